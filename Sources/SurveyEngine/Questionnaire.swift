import JSON

/// A questionnaire as loaded from its file: questions in the order they are asked, and measures.
/// Immutable once built, and shared rather than copied: every page view hands it around several
/// times, and copying its fields one by one showed in profiles.
public struct Questionnaire: Equatable, Sendable {
    private final class Storage: Sendable {
        let id: String
        let declaredVersion: String
        let title: LocalizedText
        let introduction: LocalizedText?
        let languages: [String]
        let questions: [Question]
        let measures: [Measure]
        let definition: JSONValue
        /// Question id → position, for constant-time lookups on hot paths (imports, web requests).
        let positions: [String: Int]

        init(id: String, declaredVersion: String, title: LocalizedText, introduction: LocalizedText?,
             languages: [String], questions: [Question], measures: [Measure], definition: JSONValue) {
            self.id = id
            self.declaredVersion = declaredVersion
            self.title = title
            self.introduction = introduction
            self.languages = languages
            self.questions = questions
            self.measures = measures
            self.definition = definition
            self.positions = Dictionary(questions.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    private let storage: Storage

    /// The file name without `.json`; every command and link names the questionnaire by it.
    public var id: String { storage.id }
    /// The version the author declared in the file (informational; stored versions are numbered by the store).
    public var declaredVersion: String { storage.declaredVersion }
    public var title: LocalizedText { storage.title }
    public var introduction: LocalizedText? { storage.introduction }
    public var languages: [String] { storage.languages }
    public var questions: [Question] { storage.questions }
    public var measures: [Measure] { storage.measures }
    /// The parsed file, kept so the store can publish exactly what was checked.
    public var definition: JSONValue { storage.definition }

    public init(id: String, declaredVersion: String, title: LocalizedText, introduction: LocalizedText? = nil,
                languages: [String], questions: [Question], measures: [Measure], definition: JSONValue) {
        storage = Storage(id: id, declaredVersion: declaredVersion, title: title, introduction: introduction,
                          languages: languages, questions: questions, measures: measures, definition: definition)
    }

    public static func == (a: Questionnaire, b: Questionnaire) -> Bool {
        a.storage === b.storage
            || (a.id == b.id && a.declaredVersion == b.declaredVersion && a.title == b.title && a.introduction == b.introduction
                && a.languages == b.languages && a.questions == b.questions && a.measures == b.measures && a.definition == b.definition)
    }

    /// The question with `id`, if any.
    public func question(_ id: String) -> Question? { storage.positions[id].map { storage.questions[$0] } }

    /// The position of the question with `id` in the questionnaire.
    public func index(of id: String) -> Int? { storage.positions[id] }

    /// The canonical JSON of the definition (keys sorted, no whitespace), which is what gets hashed.
    public var canonicalDefinition: String { JSONWriter(sortKeys: true).string(definition) }
}
