/// What an expression sees when it is evaluated: the answers so far, the answer being validated
/// (`.`), and today's date (injected, so evaluation is pure).
public struct EvaluationContext: Sendable {
    public var answers: [String: AnswerValue]
    public var current: AnswerValue?
    /// Today as `YYYY-MM-DD`, for `today()`.
    public var today: String

    public init(answers: [String: AnswerValue], current: AnswerValue? = nil, today: String = "1970-01-01") {
        self.answers = answers
        self.current = current
        self.today = today
    }
}

/// A value during evaluation. Unanswered questions are `null`, which equals `''` and fails every
/// other comparison.
public enum ConditionValue: Equatable, Sendable {
    case null
    case string(String)
    case number(Double)
    case boolean(Bool)
    case list([String])

    init(_ answer: AnswerValue?) {
        switch answer {
        case nil: self = .null
        case .choice(let s)?, .text(let s)?, .date(let s)?: self = .string(s)
        case .choices(let codes)?: self = .list(codes)
        case .number(let n)?: self = .number(n)
        }
    }

    /// Truthiness: false for null, false, 0, '' and an empty list.
    public var isTrue: Bool {
        switch self {
        case .null: return false
        case .boolean(let b): return b
        case .number(let n): return n != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.isEmpty
        }
    }

    var asNumber: Double? {
        switch self {
        case .number(let n): return n
        case .string(let s): return Double(s)
        case .boolean(let b): return b ? 1 : 0
        case .list(let l) where l.count == 1: return Double(l[0])
        default: return nil
        }
    }

    var asText: String? {
        switch self {
        case .null: return ""
        case .string(let s): return s
        case .number(let n): return AnswerValue.format(n)
        case .boolean(let b): return b ? "true" : "false"
        case .list(let l): return l.joined(separator: " ")
        }
    }
}

extension Condition {
    /// True when the expression holds in `context`.
    public func holds(in context: EvaluationContext) -> Bool { evaluate(in: context).isTrue }

    /// The value of the expression in `context`.
    public func evaluate(in context: EvaluationContext) -> ConditionValue {
        switch self {
        case .string(let s): return .string(s)
        case .number(let n): return .number(n)
        case .boolean(let b): return .boolean(b)
        case .reference(let id): return ConditionValue(context.answers[id])
        case .current: return ConditionValue(context.current)
        case .not(let e): return .boolean(!e.evaluate(in: context).isTrue)
        case .negate(let e): return e.evaluate(in: context).asNumber.map { .number(-$0) } ?? .null
        case .binary(let op, let l, let r): return Self.apply(op, l, r, in: context)
        case .call(let name, let args): return Self.call(name, args.map { $0.evaluate(in: context) }, context: context)
        }
    }

    private static func apply(_ op: BinaryOperator, _ l: Condition, _ r: Condition, in context: EvaluationContext) -> ConditionValue {
        switch op {
        case .and: return .boolean(l.evaluate(in: context).isTrue && r.evaluate(in: context).isTrue)
        case .or: return .boolean(l.evaluate(in: context).isTrue || r.evaluate(in: context).isTrue)
        default: break
        }
        let a = l.evaluate(in: context), b = r.evaluate(in: context)
        switch op {
        case .equal: return .boolean(equal(a, b))
        case .notEqual: return .boolean(!equal(a, b))
        case .less, .lessOrEqual, .greater, .greaterOrEqual: return .boolean(compare(op, a, b))
        default: return arithmetic(op, a, b)
        }
    }

    private static func equal(_ a: ConditionValue, _ b: ConditionValue) -> Bool {
        switch (a, b) {
        case (.list(let x), .list(let y)): return x == y
        case (.list(let x), .string(let s)), (.string(let s), .list(let x)): return x == [s]
        case (.number(let x), _): return b.asNumber == x
        case (_, .number(let y)): return a.asNumber == y
        default: return a.asText == b.asText
        }
    }

    private static func compare(_ op: BinaryOperator, _ a: ConditionValue, _ b: ConditionValue) -> Bool {
        if a == .null || b == .null { return false }
        let ordering: Int
        if let x = a.asNumber, let y = b.asNumber {
            ordering = x < y ? -1 : (x > y ? 1 : 0)
        } else if let x = a.asText, let y = b.asText {
            ordering = x < y ? -1 : (x > y ? 1 : 0)
        } else {
            return false
        }
        switch op {
        case .less: return ordering < 0
        case .lessOrEqual: return ordering <= 0
        case .greater: return ordering > 0
        default: return ordering >= 0
        }
    }

    private static func arithmetic(_ op: BinaryOperator, _ a: ConditionValue, _ b: ConditionValue) -> ConditionValue {
        guard let x = a.asNumber, let y = b.asNumber else { return .null }
        switch op {
        case .add: return .number(x + y)
        case .subtract: return .number(x - y)
        case .multiply: return .number(x * y)
        default: return y == 0 ? .null : .number(x / y)
        }
    }

    private static func call(_ name: String, _ args: [ConditionValue], context: EvaluationContext) -> ConditionValue {
        switch name {
        case "selected":
            let code = args[1].asText ?? ""
            switch args[0] {
            case .list(let codes): return .boolean(codes.contains(code))
            case .string(let s): return .boolean(s == code)
            default: return .boolean(false)
            }
        case "answered":
            return .boolean(args[0].isTrue || args[0].asNumber != nil)
        case "count_selected":
            switch args[0] {
            case .list(let codes): return .number(Double(codes.count))
            case .null: return .number(0)
            default: return .number(1)
            }
        case "length": return .number(Double(args[0].asText?.count ?? 0))
        case "number": return args[0].asNumber.map { .number($0) } ?? .null
        case "today": return .string(context.today)
        default: return .null
        }
    }
}
