/// A parsed `showIf` or `validate` expression, in an XLSForm-like syntax:
/// `${q1} = 'yes' and (${q2} >= 3 or selected(${q3}, 'noise'))`, `not(answered(${q4}))`, `. <= 120`.
/// Parsed once when the questionnaire loads; evaluated many times.
public indirect enum Condition: Equatable, Sendable {
    case string(String)
    case number(Double)
    case boolean(Bool)
    /// `${id}`: the answer to an earlier question.
    case reference(String)
    /// `.`: the answer being validated.
    case current
    case not(Condition)
    case negate(Condition)
    case binary(BinaryOperator, Condition, Condition)
    /// A function call: `selected`, `answered`, `count_selected`, `length`, `today`.
    case call(String, [Condition])

    public enum BinaryOperator: String, Sendable, CaseIterable {
        case and, or
        case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case add = "+", subtract = "-", multiply = "*", divide = "/"
    }

    /// The functions the language knows, with how many arguments each takes.
    public static let functions: [String: Int] = [
        "selected": 2, "answered": 1, "count_selected": 1, "length": 1, "today": 0, "number": 1,
    ]

    /// Every question id this expression refers to.
    public var references: [String] {
        switch self {
        case .reference(let id): return [id]
        case .not(let e), .negate(let e): return e.references
        case .binary(_, let l, let r): return l.references + r.references
        case .call(_, let args): return args.flatMap(\.references)
        case .string, .number, .boolean, .current: return []
        }
    }

    /// True if the expression uses `.` (the answer being validated).
    public var usesCurrent: Bool {
        switch self {
        case .current: return true
        case .not(let e), .negate(let e): return e.usesCurrent
        case .binary(_, let l, let r): return l.usesCurrent || r.usesCurrent
        case .call(_, let args): return args.contains { $0.usesCurrent }
        case .string, .number, .boolean, .reference: return false
        }
    }

    /// Every `(question id, code)` pair the expression compares or tests with `selected`,
    /// so the loader can check that the codes exist.
    public var codeComparisons: [(String, String)] {
        switch self {
        case .binary(let op, .reference(let id), .string(let code)) where op == .equal || op == .notEqual:
            return [(id, code)]
        case .binary(let op, .string(let code), .reference(let id)) where op == .equal || op == .notEqual:
            return [(id, code)]
        case .call("selected", let args) where args.count == 2:
            if case .reference(let id) = args[0], case .string(let code) = args[1] { return [(id, code)] }
            return []
        case .not(let e), .negate(let e): return e.codeComparisons
        case .binary(_, let l, let r): return l.codeComparisons + r.codeComparisons
        case .call(_, let args): return args.flatMap(\.codeComparisons)
        default: return []
        }
    }
}
