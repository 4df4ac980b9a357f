/// A proportion from weighted outcomes, with Kish's effective sample size.
public struct WeightedProportion: Equatable, Sendable {
    /// p = Σwy / Σw.
    public var proportion: Double
    /// Kish (1965) effective sample size: (Σw)² / Σw².
    public var effectiveN: Double
    /// Design effect due to weighting: n / n_eff.
    public var designEffect: Double
    /// The unweighted count.
    public var n: Int

    /// Computes the weighted proportion of `outcomes` (true = success) with `weights`.
    public init(outcomes: [Bool], weights: [Double]) throws(StatisticsError) {
        guard outcomes.count == weights.count else { throw .mismatchedLengths(outcomes.count, weights.count) }
        guard !outcomes.isEmpty else { throw .emptySample }
        var sum = 0.0, sumSquares = 0.0, successes = 0.0
        for (index, (y, w)) in zip(outcomes, weights).enumerated() {
            guard w > 0, w.isFinite else { throw .invalidWeight(index: index, value: w) }
            sum += w
            sumSquares += w * w
            if y { successes += w }
        }
        self.init(weightedSuccesses: successes, sumOfWeights: sum, sumOfSquaredWeights: sumSquares, n: outcomes.count)
    }

    /// From running sums (for streaming over many rows).
    public init(weightedSuccesses: Double, sumOfWeights: Double, sumOfSquaredWeights: Double, n: Int) {
        proportion = weightedSuccesses / sumOfWeights
        effectiveN = sumOfWeights * sumOfWeights / sumOfSquaredWeights
        designEffect = Double(n) / effectiveN
        self.n = n
    }

    /// The interval computed on the effective sample: x_eff = p·n_eff successes of n_eff.
    public func interval(level: Double = 0.95, method: ProportionInterval.Method = .wilson) throws(StatisticsError) -> ProportionInterval {
        try ProportionInterval.compute(successes: proportion * effectiveN, n: effectiveN, level: level, method: method)
    }
}
