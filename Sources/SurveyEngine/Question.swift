/// The kinds of question a questionnaire can ask.
public enum QuestionType: String, CaseIterable, Sendable {
    case single, multiple, scale, yesno, number, text, date, note

    /// Types whose answers are codes from a list of choices.
    public var hasChoices: Bool { self == .single || self == .multiple || self == .scale || self == .yesno }
}

/// One option of a choice question.
public struct Choice: Equatable, Sendable {
    /// The value stored and analysed (letters, digits, `_` and `-`).
    public var code: String
    public var label: LocalizedText
    /// "Don't know", "Prefer not to say": answers that leave the base of a measure.
    public var excludeFromBase: Bool
    /// For `multiple`: selecting this ("None of these") excludes every other choice.
    public var exclusive: Bool

    public init(code: String, label: LocalizedText, excludeFromBase: Bool = false, exclusive: Bool = false) {
        self.code = code
        self.label = label
        self.excludeFromBase = excludeFromBase
        self.exclusive = exclusive
    }
}

/// A rule an answer must satisfy, with the message shown when it does not.
public struct ValidationRule: Equatable, Sendable {
    public var source: String
    public var expression: Condition
    public var message: LocalizedText
}

/// A response-level field that a question's answer fills in (so public polls can be grouped by ward).
public enum ResponseField: String, Sendable, CaseIterable {
    case borough, ward
}

/// One question of a questionnaire.
public struct Question: Equatable, Sendable {
    public var id: String
    public var type: QuestionType
    public var label: LocalizedText
    public var hint: LocalizedText?
    public var choices: [Choice]
    public var required: Bool
    public var showIf: Condition?
    public var showIfSource: String?
    public var validations: [ValidationRule]
    public var minimum: Double?
    public var maximum: Double?
    public var integerOnly: Bool
    public var maxLength: Int
    public var responseField: ResponseField?

    public init(id: String, type: QuestionType, label: LocalizedText, hint: LocalizedText? = nil,
                choices: [Choice] = [], required: Bool = true, showIf: Condition? = nil,
                showIfSource: String? = nil, validations: [ValidationRule] = [], minimum: Double? = nil,
                maximum: Double? = nil, integerOnly: Bool = false, maxLength: Int = 2_000,
                responseField: ResponseField? = nil) {
        self.id = id
        self.type = type
        self.label = label
        self.hint = hint
        self.choices = choices
        self.required = required
        self.showIf = showIf
        self.showIfSource = showIfSource
        self.validations = validations
        self.minimum = minimum
        self.maximum = maximum
        self.integerOnly = integerOnly
        self.maxLength = maxLength
        self.responseField = responseField
    }

    /// The choice with `code`, if any.
    public func choice(_ code: String) -> Choice? { choices.first { $0.code == code } }

    /// True when the question takes no answer (a `note`).
    public var isNote: Bool { type == .note }
}
