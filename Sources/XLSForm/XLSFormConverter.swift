import Foundation
import JSON
import SurveyEngine

/// Turns an XLSForm (its survey, choices and settings sheets) into a Canvass questionnaire
/// file, following the XLSForm specification: `select_one` and `select_multiple` (with their
/// choice lists), `integer`, `decimal`, `text`, `date` and `note`; groups (their `relevant`
/// joined to each question's); `relevant`, `constraint` (with `.`) and its message, `required`
/// in every spelling XLSForm accepts; labels, hints and messages per language
/// (`label::English (en)`) and `default_language`. What it cannot translate (repeats,
/// calculations, geopoints, media, choice filters, …) is named line by line in `notes`; no row
/// is passed over without a word.
public struct XLSFormConverter {
    /// The questionnaire file, and what could not be translated.
    public struct Result: Sendable {
        public var json: String
        public var notes: [String]
    }

    let survey: XLSFormSheet
    let choices: XLSFormSheet?
    let settings: XLSFormSheet?

    public init(survey: XLSFormSheet, choices: XLSFormSheet?, settings: XLSFormSheet?) {
        self.survey = survey
        self.choices = choices
        self.settings = settings
    }

    /// Types with no Canvass equivalent: named, and the row left out.
    static let untranslatable: [String: String] = [
        "calculate": "calculations are not supported", "geopoint": "locations are not collected", "geotrace": "locations are not collected",
        "geoshape": "locations are not collected", "image": "media uploads are not supported", "audio": "media uploads are not supported",
        "video": "media uploads are not supported", "file": "file uploads are not supported", "barcode": "barcodes are not supported",
        "acknowledge": "use a yes/no question instead", "range": "use an integer with a constraint instead", "rank": "ranking is not supported",
        "time": "times of day are not supported", "datetime": "date and time together are not supported", "hidden": "hidden fields are not supported",
        "start": "a metadata field, not a question", "end": "a metadata field, not a question", "today": "a metadata field, not a question",
        "deviceid": "a metadata field, not a question", "username": "a metadata field, not a question", "phonenumber": "a metadata field, not a question",
        "email": "a metadata field, not a question", "audit": "a metadata field, not a question", "xml-external": "external data is not supported",
        "csv-external": "external data is not supported", "background-audio": "media uploads are not supported",
    ]

    /// "English (en)" → "en", "Welsh" → "cy", "Cymraeg (cy)" → "cy".
    public static func languageCode(_ name: String) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if let open = trimmed.lastIndex(of: "("), let close = trimmed.lastIndex(of: ")"), open < close {
            return String(trimmed[trimmed.index(after: open)..<close]).trimmingCharacters(in: .whitespaces).lowercased()
        }
        switch trimmed.lowercased() {
        case "english": return "en"
        case "welsh", "cymraeg": return "cy"
        case "default", "": return "en"
        default: return trimmed.lowercased()
        }
    }

    /// XLSForm's spellings of yes for `required`: `yes`, `true`, `true()`, `1` (any case).
    static func isYes(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "yes", "true", "true()", "1", "y": return true
        case "", "no", "false", "false()", "0", "n": return false
        default: return nil
        }
    }

    public func convert(id: String) throws(XLSFormError) -> Result {
        var notes: [String] = []
        let settingsRow = settings?.rows.first?.cells ?? []
        let defaultLanguage = settings.map { Self.languageCode($0.value(settingsRow, "default_language")) } ?? "en"
        // Every language any column is translated into.
        var languages = [defaultLanguage]
        for column in survey.header + (choices?.header ?? []) where column.contains("::") {
            let code = Self.languageCode(String(column[column.range(of: "::")!.upperBound...]))
            if !languages.contains(code) { languages.append(code) }
        }
        for required in ["type", "name"] where !survey.header.contains(where: { $0.caseInsensitiveCompare(required) == .orderedSame }) {
            throw XLSFormError(sheet: "survey", line: 1, message: "no '\(required)' column; the survey sheet needs type, name and label")
        }
        let lists = try choiceLists(languages: languages, defaultLanguage: defaultLanguage)
        for column in survey.header where ["appearance", "default", "read_only", "choice_filter", "parameters", "trigger", "repeat_count"].contains(column.lowercased()) {
            notes.append("survey sheet: the '\(column)' column is not translated (where a row fills it, the line is named below)")
        }
        var questions: [JSONValue] = []
        var groups: [(name: String, relevant: String)] = []
        var repeatDepth = 0
        for (line, cells) in survey.rows {
            let typeText = survey.value(cells, "type").replacingOccurrences(of: "  ", with: " ")
            let name = survey.value(cells, "name")
            let words = typeText.split(separator: " ").map(String.init)
            let type = words.first?.lowercased() ?? ""
            func note(_ text: String) { notes.append("survey sheet, line \(line)\(name.isEmpty ? "" : " (\(name))"): \(text)") }
            switch type {
            case _ where type == "begin_group" || (type == "begin" && words.count > 1 && words[1].lowercased() == "group"):
                groups.append((name, survey.value(cells, "relevant")))
                if !survey.value(cells, "appearance").isEmpty { note("the group's appearance is not translated") }
                continue
            case _ where type == "end_group" || (type == "end" && words.count > 1 && words[1].lowercased() == "group"):
                guard !groups.isEmpty else { throw XLSFormError(sheet: "survey", line: line, message: "'end group' with no group open") }
                groups.removeLast()
                continue
            case _ where type == "begin_repeat" || (type == "begin" && words.count > 1 && words[1].lowercased() == "repeat"):
                repeatDepth += 1
                note("repeats are not supported: the repeat and every question in it are left out")
                continue
            case _ where type == "end_repeat" || (type == "end" && words.count > 1 && words[1].lowercased() == "repeat"):
                repeatDepth = max(0, repeatDepth - 1)
                continue
            default: break
            }
            if repeatDepth > 0 {
                note("inside a repeat: left out")
                continue
            }
            if let reason = Self.untranslatable[type] {
                note("type '\(typeText)' cannot be translated (\(reason)): left out")
                continue
            }
            guard !name.isEmpty else { throw XLSFormError(sheet: "survey", line: line, message: "the row has the type '\(typeText)' but no name") }
            var members: [JSONMember] = [JSONMember("id", .string(name))]
            switch type {
            case "select_one", "select_multiple", "select_one_from_file", "select_multiple_from_file":
                guard !type.hasSuffix("_from_file") else {
                    note("choices from a file cannot be translated: left out")
                    continue
                }
                guard words.count >= 2, let list = lists[words[1]] else {
                    throw XLSFormError(sheet: "survey", line: line, message: "'\(typeText)' names no choice list on the choices sheet (list_name '\(words.count >= 2 ? words[1] : "")')")
                }
                members.append(JSONMember("type", .string(type == "select_one" ? "single" : "multiple")))
                members.append(JSONMember("label", try text("label", cells, line, languages, defaultLanguage, required: true)))
                if let hint = try optionalText("hint", cells, languages, defaultLanguage) { members.append(JSONMember("hint", hint)) }
                members.append(JSONMember("choices", .array(list)))
                if !survey.value(cells, "choice_filter").isEmpty { note("the choice filter '\(survey.value(cells, "choice_filter"))' is not translated: every choice is offered") }
            case "integer", "decimal", "text", "date", "note":
                members.append(JSONMember("type", .string(type == "integer" || type == "decimal" ? "number" : type)))
                if type == "integer" { members.append(JSONMember("integer", .bool(true))) }
                members.append(JSONMember("label", try text("label", cells, line, languages, defaultLanguage, required: true)))
                if let hint = try optionalText("hint", cells, languages, defaultLanguage) { members.append(JSONMember("hint", hint)) }
            default:
                throw XLSFormError(sheet: "survey", line: line, message: "the type '\(typeText)' is not an XLSForm type Canvass knows")
            }
            if type != "note" {
                let requiredText = survey.value(cells, "required")
                guard let required = Self.isYes(requiredText) else {
                    throw XLSFormError(sheet: "survey", line: line, message: "required is '\(requiredText)'; write yes or no (or true(), false())")
                }
                members.append(JSONMember("required", .bool(required)))
            }
            // The question's relevance and every open group's, all of which must hold.
            let conditions = (groups.map(\.relevant) + [survey.value(cells, "relevant")]).filter { !$0.isEmpty }.map(Self.expression)
            if !conditions.isEmpty {
                members.append(JSONMember("showIf", .string(conditions.count == 1 ? conditions[0] : conditions.map { "(\($0))" }.joined(separator: " and "))))
            }
            let constraint = survey.value(cells, "constraint")
            if !constraint.isEmpty, type != "note" {
                var rule = [JSONMember("expression", .string(Self.expression(constraint)))]
                rule.append(JSONMember("message", try optionalText("constraint_message", cells, languages, defaultLanguage) ?? .string("Check this answer.")))
                members.append(JSONMember("validate", .object(rule)))
            }
            for column in ["default", "appearance", "read_only", "calculation", "required_message"] where !survey.value(cells, column).isEmpty {
                note("the \(column) '\(survey.value(cells, column))' is not translated")
            }
            questions.append(.object(members))
        }
        if !groups.isEmpty { throw XLSFormError(sheet: "survey", line: 0, message: "the group '\(groups.last!.name)' is never ended ('end group')") }
        let title = settings.map { $0.value(settingsRow, "form_title") }.flatMap { $0.isEmpty ? nil : $0 } ?? id
        let version = settings.map { $0.value(settingsRow, "version") }.flatMap { $0.isEmpty ? nil : $0 } ?? "1"
        let titleValue: JSONValue = languages.count == 1 ? .string(title) : .object(languages.map { JSONMember($0, .string(title)) })
        if languages.count > 1 { notes.append("settings: the form title is not translated; '\(title)' is used in every language") }
        let object = JSONValue.object([
            JSONMember("id", .string(id)), JSONMember("version", .string(version)), JSONMember("title", titleValue),
            JSONMember("languages", .array(languages.map(JSONValue.string))), JSONMember("questions", .array(questions)),
        ])
        return Result(json: JSONWriter(pretty: true).string(object) + "\n", notes: notes)
    }

    /// XLSForm's expression functions in the Canvass language: `string-length` is `length`.
    static func expression(_ text: String) -> String {
        text.replacingOccurrences(of: "string-length(", with: "length(")
    }

    /// The choice lists by name, each a list of `{code, label}`.
    private func choiceLists(languages: [String], defaultLanguage: String) throws(XLSFormError) -> [String: [JSONValue]] {
        guard let choices else { return [:] }
        var lists: [String: [JSONValue]] = [:]
        let listColumn = choices.header.contains { $0.lowercased() == "list_name" } ? "list_name" : "list name"
        for (line, cells) in choices.rows {
            let list = choices.value(cells, listColumn), name = choices.value(cells, "name")
            guard !list.isEmpty, !name.isEmpty else {
                throw XLSFormError(sheet: "choices", line: line, message: "a choice needs a list_name and a name")
            }
            var translations: [JSONMember] = []
            for (language, column) in choices.translations(of: "label", defaultLanguage: defaultLanguage) {
                let value = choices.value(cells, column)
                if !value.isEmpty { translations.append(JSONMember(language, .string(value))) }
            }
            guard let label = Self.localized(translations, languages, defaultLanguage) else {
                throw XLSFormError(sheet: "choices", line: line, message: "the choice '\(name)' of list '\(list)' has no label")
            }
            lists[list, default: []].append(.object([JSONMember("code", .string(name)), JSONMember("label", label)]))
        }
        return lists
    }

    /// A text with every language: a missing translation takes the default language's text.
    static func localized(_ translations: [JSONMember], _ languages: [String], _ defaultLanguage: String) -> JSONValue? {
        guard let fallback = translations.first(where: { $0.key == defaultLanguage })?.value ?? translations.first?.value else { return nil }
        if languages.count == 1 { return fallback }
        return .object(languages.map { language in JSONMember(language, translations.first { $0.key == language }?.value ?? fallback) })
    }

    private func text(_ base: String, _ cells: [String], _ line: Int, _ languages: [String], _ defaultLanguage: String, required: Bool) throws(XLSFormError) -> JSONValue {
        guard let value = try optionalText(base, cells, languages, defaultLanguage) else {
            throw XLSFormError(sheet: "survey", line: line, message: "the question has no \(base)")
        }
        return value
    }

    private func optionalText(_ base: String, _ cells: [String], _ languages: [String], _ defaultLanguage: String) throws(XLSFormError) -> JSONValue? {
        var translations: [JSONMember] = []
        for (language, column) in survey.translations(of: base, defaultLanguage: defaultLanguage) {
            let value = survey.value(cells, column)
            if !value.isEmpty { translations.append(JSONMember(language, .string(value))) }
        }
        return Self.localized(translations, languages, defaultLanguage)
    }
}
