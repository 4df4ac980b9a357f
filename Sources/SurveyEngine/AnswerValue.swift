/// One answer to one question.
public enum AnswerValue: Equatable, Hashable, Sendable {
    /// A choice code (`single`, `scale`, `yesno`).
    case choice(String)
    /// Choice codes (`multiple`), in the order of the questionnaire's choices.
    case choices([String])
    case number(Double)
    case text(String)
    /// An ISO 8601 calendar date, `YYYY-MM-DD`.
    case date(String)

    /// The answer as stored text values (one per selected code for `multiple`).
    public var storedValues: [String] {
        switch self {
        case .choice(let code): return [code]
        case .choices(let codes): return codes
        case .number(let n): return [AnswerValue.format(n)]
        case .text(let s), .date(let s): return [s]
        }
    }

    /// A number formatted without a trailing `.0` when whole.
    public static func format(_ n: Double) -> String {
        n.rounded() == n && abs(n) < 1e15 ? String(Int64(n)) : String(n)
    }
}
