import JSON

/// One thing wrong with a questionnaire file, located by question and field.
public struct QuestionnaireProblem: Equatable, Sendable, CustomStringConvertible {
    /// The question (or measure) the problem is in; nil for the file as a whole.
    public var location: String?
    /// The field within it (`showIf`, `choices[2].code`, …).
    public var field: String?
    /// What is wrong and what to do about it.
    public var message: String

    public init(location: String? = nil, field: String? = nil, message: String) {
        self.location = location
        self.field = field
        self.message = message
    }

    public var description: String {
        var place: [String] = []
        if let location { place.append(location) }
        if let field { place.append(field) }
        return place.isEmpty ? message : place.joined(separator: ", ") + ": " + message
    }
}

/// Errors of the survey engine: files that cannot be read or are not valid questionnaires, and
/// answers that do not fit a questionnaire.
public enum SurveyEngineError: Error, Equatable, CustomStringConvertible {
    case unreadableFile(path: String, reason: String)
    case malformedJSON(path: String, JSONParseError)
    case invalidQuestionnaire(path: String, problems: [QuestionnaireProblem])
    case invalidAnswers(source: String, problems: [AnswerProblem])

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "\(path): cannot read the file: \(reason)"
        case .malformedJSON(let path, let error):
            return "\(path):\(error.line):\(error.column): not valid JSON: \(error.message)"
        case .invalidQuestionnaire(let path, let problems):
            let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
            return "\(path): \(count):\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        case .invalidAnswers(let source, let problems):
            return "\(source): the answers do not fit the questionnaire:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        }
    }
}
