import JSON

/// A questionnaire as loaded from its file: questions in the order they are asked, and measures.
public struct Questionnaire: Equatable, Sendable {
    /// The file name without `.json`; every command and link names the questionnaire by it.
    public var id: String
    /// The version the author declared in the file (informational; stored versions are numbered by the store).
    public var declaredVersion: String
    public var title: LocalizedText
    public var introduction: LocalizedText?
    public var languages: [String]
    public let questions: [Question]
    public var measures: [Measure]
    /// The parsed file, kept so the store can publish exactly what was checked.
    public var definition: JSONValue
    /// Question id → position, for constant-time lookups on hot paths (imports, web requests).
    private let positions: [String: Int]

    public init(id: String, declaredVersion: String, title: LocalizedText, introduction: LocalizedText? = nil,
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

    /// The question with `id`, if any.
    public func question(_ id: String) -> Question? { positions[id].map { questions[$0] } }

    /// The position of the question with `id` in the questionnaire.
    public func index(of id: String) -> Int? { positions[id] }

    /// The canonical JSON of the definition (keys sorted, no whitespace), which is what gets hashed.
    public var canonicalDefinition: String { JSONWriter(sortKeys: true).string(definition) }
}
