import SurveyEngine

/// The variables of an export: the response's metadata, then one per question of the
/// questionnaire's latest version in its order (and any question only older versions asked,
/// after them), each with its labels in the export's language.
public struct ExportLayout: Sendable {
    /// One question as exported.
    public struct Variable: Sendable {
        public var questionID: String
        public var type: QuestionType
        public var label: String
        /// Choice codes and labels, for questions with choices.
        public var choices: [(code: String, label: String)]
        /// Codes outside a measure's base ("Don't know", "Prefer not to say"): missing values.
        public var missingCodes: Set<String>
    }

    /// Metadata columns, in order; `case_ref` only when asked for.
    public private(set) var metadata: [String]
    public let variables: [Variable]
    public let language: String

    public init(questionnaires: [Questionnaire], language: String, includeCaseRef: Bool) {
        self.language = language
        metadata = ["response_id", "questionnaire_version", "status", "mode", "administration", "language", "borough", "ward", "weight",
                    "started_at", "completed_at"] + (includeCaseRef ? ["case_ref"] : [])
        var seen = Set<String>()
        var variables: [Variable] = []
        // Latest first: its wording and order win.
        for questionnaire in questionnaires.reversed() {
            for question in questionnaire.questions where question.type != .note && seen.insert(question.id).inserted {
                variables.append(Variable(questionID: question.id, type: question.type, label: question.label.text(language),
                                          choices: question.choices.map { ($0.code, $0.label.text(language)) },
                                          missingCodes: Set(question.choices.filter(\.excludeFromBase).map(\.code))))
            }
        }
        self.variables = variables
        // A question may share a metadata column's name (a `borough` question filling the
        // response's borough): the metadata column then takes a prefix, so names stay unique.
        let questionIDs = Set(variables.map(\.questionID))
        metadata = metadata.map { questionIDs.contains($0) ? "response_" + $0 : $0 }
    }
}
