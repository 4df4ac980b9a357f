/// Errors of the insight layer: what was asked for that does not exist or cannot be computed.
public enum InsightError: Error, Equatable, CustomStringConvertible {
    case unknownMeasure(String, available: [String])
    case noMeasures(questionnaire: String)
    case invalidBaselineFile(path: String, line: Int, reason: String)
    case statistics(String)
    case store(String)
    /// A period or rolling window that cannot be made.
    case invalidWindow(String)

    public var description: String {
        switch self {
        case .unknownMeasure(let id, let available):
            return "no measure '\(id)'; the questionnaire defines: \(available.joined(separator: ", "))"
        case .noMeasures(let id):
            return "questionnaire '\(id)' defines no measures; add \"measures\" to its file"
        case .invalidBaselineFile(let path, let line, let reason):
            return "\(path):\(line): \(reason)"
        case .statistics(let message): return message
        case .store(let message): return message
        case .invalidWindow(let message): return message
        }
    }
}
