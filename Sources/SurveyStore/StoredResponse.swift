import SurveyEngine

/// A response as stored: its header and its answers as text values.
public struct StoredResponse: Equatable, Sendable {
    public var id: Int64
    public var questionnaireVersionID: Int64
    public var status: ResponseStatus
    public var mode: ResponseMode
    public var language: String
    /// Where the respondent stands: a question, the review, or nil (submitted, or not yet positioned).
    public var position: InterviewPosition?
    public var borough: String?
    public var ward: String?
    /// Question id → stored values (several for a multiple-choice answer).
    public var values: [String: [String]]
    /// Goes up by one with every save: a save that names the revision it started from fails if
    /// someone else saved in between (`SurveyStoreError.responseChanged`).
    public var revision: Int64
    /// True when the response answers an invitation (whose borough and ward it keeps).
    public var invited: Bool
    /// The day (since 1970) of the last save, as the analysis table has it for a partial response.
    public var lastSavedDay: Int?

    public init(id: Int64, questionnaireVersionID: Int64, status: ResponseStatus, mode: ResponseMode, language: String,
                position: InterviewPosition?, borough: String?, ward: String?, values: [String: [String]], revision: Int64 = 0,
                invited: Bool = false, lastSavedDay: Int? = nil) {
        self.lastSavedDay = lastSavedDay
        self.id = id
        self.questionnaireVersionID = questionnaireVersionID
        self.status = status
        self.mode = mode
        self.language = language
        self.position = position
        self.borough = borough
        self.ward = ward
        self.values = values
        self.revision = revision
        self.invited = invited
    }

    public var isComplete: Bool { status == .complete }

    /// The answers typed by the questionnaire's question types. Values for questions the
    /// questionnaire does not have are left out.
    public func answers(for questionnaire: Questionnaire) -> [String: AnswerValue] {
        var result: [String: AnswerValue] = [:]
        for (id, values) in values {
            guard let question = questionnaire.question(id), let first = values.first else { continue }
            switch question.type {
            case .multiple: result[id] = .choices(values)
            case .single, .scale, .yesno: result[id] = .choice(first)
            case .number: if let n = Double(first) { result[id] = .number(n) }
            case .date: result[id] = .date(first)
            case .text: result[id] = .text(first)
            case .note: break
            }
        }
        return result
    }
}

/// A questionnaire as published in the store: its numbered version and row id.
public struct PublishedQuestionnaire: Sendable {
    public var versionID: Int64
    public var version: Int
    public var questionnaire: Questionnaire
    /// True when this call stored a new version.
    public var isNew: Bool
}

/// What a new response is attached to and how it is being collected.
public struct ResponseOrigin: Sendable {
    public var mode: ResponseMode
    public var administration: Administration
    public var language: String
    public var invitationID: Int64?

    public init(mode: ResponseMode, administration: Administration = .selfCompleted, language: String = "en", invitationID: Int64? = nil) {
        self.mode = mode
        self.administration = administration
        self.language = language
        self.invitationID = invitationID
    }
}
