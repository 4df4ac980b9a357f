/// What stops a report being made, each case saying what to change.
public enum ReportError: Error, Equatable, CustomStringConvertible {
    /// A `--period` that is not a year, quarter or month.
    case invalidPeriod(String)
    /// A `--from`/`--to` pair that makes no period.
    case invalidRange(from: String, to: String)
    /// No complete response to report on.
    case noResponses(questionnaire: String)
    /// A borough with no responses, with the boroughs there are.
    case unknownBorough(String, known: [String])
    case insight(String)

    public var description: String {
        switch self {
        case .invalidPeriod(let text):
            return "the period '\(text)' is not a year, quarter or month: write it like 2025, 2025-Q3 or 2025-07"
        case .invalidRange(let from, let to):
            return "the dates \(from) to \(to) make no period: both must be real dates written YYYY-MM-DD, the first on or before the second"
        case .noResponses(let id):
            return "no complete responses to '\(id)' are stored: there is nothing to report on yet (try canvass demo for a data set)"
        case .unknownBorough(let name, let known):
            let list = known.prefix(40).joined(separator: ", ")
            return "no responses are stored for the borough '\(name)'; boroughs with responses: \(list)\(known.count > 40 ? ", …" : "")"
        case .insight(let message): return message
        }
    }
}
