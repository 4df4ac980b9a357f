import Foundation
import JSON

/// Turns a parsed JSON document into a `Questionnaire`, recording every problem it finds.
struct QuestionnaireBuilder {
    let id: String
    let json: JSONValue
    var problems: [QuestionnaireProblem] = []
    var languages: [String] = ["en"]

    init(id: String, json: JSONValue) {
        self.id = id
        self.json = json
    }

    mutating func problem(_ location: String?, _ field: String?, _ message: String) {
        problems.append(QuestionnaireProblem(location: location, field: field, message: message))
    }

    mutating func build() -> Questionnaire? {
        guard let members = json.members else {
            problem(nil, nil, "the file must hold one JSON object with \"title\" and \"questions\", not \(json.kindDescription)")
            return nil
        }
        for member in members where !QuestionnaireLoader.topLevelKeys.contains(member.key) {
            problem(nil, member.key, "unknown field; expected one of \(QuestionnaireLoader.topLevelKeys.sorted().joined(separator: ", "))")
        }
        if let declared = json["id"], declared.string != id {
            problem(nil, "id", "the id \(JSONWriter().string(declared)) does not match the file name; a questionnaire's id is its file name without .json (\"\(id)\")")
        }
        readLanguages()
        let version = readVersion()
        let title = text(json["title"], location: nil, field: "title", required: true) ?? LocalizedText("")
        let introduction = text(json["introduction"], location: nil, field: "introduction", required: false)
        let questions = readQuestions()
        let measures = readMeasures(questions)
        return Questionnaire(id: id, declaredVersion: version, title: title, introduction: introduction,
                             languages: languages, questions: questions, measures: measures, definition: json)
    }

    private mutating func readLanguages() {
        guard let value = json["languages"] else { return }
        guard let list = value.array, !list.isEmpty, list.allSatisfy({ $0.string != nil }) else {
            problem(nil, "languages", "must be a list of language codes such as [\"en\", \"cy\"]")
            return
        }
        languages = list.compactMap(\.string)
        if Set(languages).count != languages.count { problem(nil, "languages", "lists a language twice") }
    }

    private mutating func readVersion() -> String {
        switch json["version"] {
        case .string(let s)? where !s.isEmpty: return s
        case .number(let n)?: return JSONWriter.format(n)
        case nil: problem(nil, "version", "missing; give the questionnaire a version such as \"1.0\""); return ""
        default: problem(nil, "version", "must be a string such as \"1.0\""); return ""
        }
    }

    /// Reads a label: a string (English) or an object of language → string covering every declared language.
    mutating func text(_ value: JSONValue?, location: String?, field: String, required: Bool) -> LocalizedText? {
        guard let value else {
            if required { problem(location, field, "missing") }
            return nil
        }
        if let s = value.string {
            if s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problem(location, field, "is empty") }
            if languages != ["en"] && languages.count > 1 {
                problem(location, field, "has only one text but the questionnaire declares languages \(languages.joined(separator: ", ")); give an object such as {\"en\": …, \"cy\": …}")
            }
            return LocalizedText(s)
        }
        guard let members = value.members else {
            problem(location, field, "must be text or an object of language → text, not \(value.kindDescription)")
            return nil
        }
        var pairs: [(String, String)] = []
        for member in members {
            guard let s = member.value.string else {
                problem(location, "\(field).\(member.key)", "must be text")
                continue
            }
            if !languages.contains(member.key) {
                problem(location, "\(field).\(member.key)", "language '\(member.key)' is not in the questionnaire's languages (\(languages.joined(separator: ", ")))")
            }
            pairs.append((member.key, s))
        }
        for language in languages where !pairs.contains(where: { $0.0 == language }) {
            problem(location, field, "missing the '\(language)' text")
        }
        return LocalizedText(translations: pairs)
    }
}

