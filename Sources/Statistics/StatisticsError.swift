/// Inputs the statistics functions cannot work with, each naming the offending values.
public enum StatisticsError: Error, Equatable, CustomStringConvertible {
    case emptySample
    case successesOutOfRange(successes: Double, n: Double)
    case levelOutOfRange(Double)
    case probabilityOutOfRange(name: String, value: Double)
    case invalidWeight(index: Int, value: Double)
    case mismatchedLengths(Int, Int)
    case invalidTable(String)
    /// Weighted running sums that describe no sample: a weight sum of zero (or less), or weighted successes outside 0…Σw.
    case invalidWeightedSums(successes: Double, sumOfWeights: Double, sumOfSquaredWeights: Double)
    /// A term separates the outcomes perfectly or almost: its odds ratio has no finite estimate.
    case separation(term: String)
    /// A term is a combination of the others (an empty category, a constant): it cannot be estimated.
    case singularDesign(term: String)

    public var description: String {
        switch self {
        case .emptySample: return "the sample is empty (n = 0): there is no proportion to estimate"
        case .successesOutOfRange(let x, let n):
            return "successes (\(Self.format(x))) must be between 0 and n (\(Self.format(n)))"
        case .levelOutOfRange(let level): return "confidence level \(level) must be between 0 and 1 (e.g. 0.95)"
        case .probabilityOutOfRange(let name, let value): return "\(name) \(value) must be a proportion between 0 and 1"
        case .invalidWeight(let index, let value): return "weight \(value) at position \(index + 1) must be a positive finite number"
        case .mismatchedLengths(let a, let b): return "\(a) outcomes but \(b) weights"
        case .invalidTable(let reason): return "invalid contingency table: \(reason)"
        case .separation(let term):
            return "the term \(term) separates satisfied from not satisfied (perfect or quasi-perfect separation): its odds ratio has no finite estimate. Merge its category with another, or leave the term out"
        case .singularDesign(let term):
            return "the term \(term) cannot be estimated: it is constant or a combination of the other terms (an empty category?). Leave it out or merge categories"
        case .invalidWeightedSums(let sy, let sw, let sw2):
            return "weighted sums Σwy = \(sy), Σw = \(sw), Σw² = \(sw2) describe no sample: Σw and Σw² must be above 0 and Σwy between 0 and Σw"
        }
    }

    private static func format(_ v: Double) -> String { v.rounded() == v ? String(Int(v)) : String(v) }
}
