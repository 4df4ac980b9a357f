import JSON

extension QuestionnaireBuilder {
    static let questionKeys: Set<String> = [
        "id", "type", "label", "hint", "choices", "required", "showIf", "validate", "min", "max",
        "maxLength", "integer", "field",
    ]
    static let choiceKeys: Set<String> = ["code", "label", "excludeFromBase", "exclusive"]

    mutating func readQuestions() -> [Question] {
        guard let list = json["questions"]?.array else {
            problem(nil, "questions", json["questions"] == nil ? "missing; list the questions in order" : "must be a list of questions")
            return []
        }
        if list.isEmpty { problem(nil, "questions", "the list is empty; add at least one question") }
        var questions: [Question] = []
        for (offset, item) in list.enumerated() {
            guard let question = readQuestion(item, number: offset + 1) else { continue }
            if questions.contains(where: { $0.id == question.id }) {
                problem("question '\(question.id)'", "id", "duplicate id; question ids must be unique")
                continue
            }
            questions.append(question)
        }
        checkReferences(questions)
        return questions
    }

    private mutating func readQuestion(_ item: JSONValue, number: Int) -> Question? {
        guard let members = item.members else {
            problem("question \(number)", nil, "must be an object, not \(item.kindDescription)")
            return nil
        }
        guard let id = item["id"]?.string, QuestionnaireLoader.isValidIdentifier(id) else {
            let shown = item["id"].map { JSONWriter().string($0) } ?? "missing"
            problem("question \(number)", "id", "\(shown) is not a valid id: use a letter then letters, digits or _ (at most 32), e.g. \"q1_contact\"")
            return nil
        }
        let location = "question '\(id)'"
        for member in members where !Self.questionKeys.contains(member.key) {
            problem(location, member.key, "unknown field; expected one of \(Self.questionKeys.sorted().joined(separator: ", "))")
        }
        guard let typeName = item["type"]?.string, let type = QuestionType(rawValue: typeName) else {
            let shown = item["type"].map { JSONWriter().string($0) } ?? "missing"
            problem(location, "type", "\(shown) is not a question type; use one of \(QuestionType.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        var question = Question(id: id, type: type, label: text(item["label"], location: location, field: "label", required: true) ?? LocalizedText(""))
        question.hint = text(item["hint"], location: location, field: "hint", required: false)
        question.choices = readChoices(item, type: type, location: location)
        question.required = type == .note ? false : readBool(item["required"], location: location, field: "required", default: true)
        question.integerOnly = readBool(item["integer"], location: location, field: "integer", default: false)
        readLimits(item, into: &question, location: location)
        readConditions(item, into: &question, location: location)
        readField(item, into: &question, location: location)
        return question
    }

    private mutating func readBool(_ value: JSONValue?, location: String, field: String, default fallback: Bool) -> Bool {
        guard let value else { return fallback }
        guard let b = value.bool else {
            problem(location, field, "must be true or false")
            return fallback
        }
        return b
    }

    private mutating func readChoices(_ item: JSONValue, type: QuestionType, location: String) -> [Choice] {
        guard let value = item["choices"] else {
            if type == .yesno { return yesNoChoices() }
            if type.hasChoices { problem(location, "choices", "a \(type.rawValue) question needs a list of choices") }
            return []
        }
        guard type.hasChoices else {
            problem(location, "choices", "a \(type.rawValue) question takes no choices")
            return []
        }
        guard let list = value.array, !list.isEmpty else {
            problem(location, "choices", "must be a non-empty list of {\"code\": …, \"label\": …}")
            return []
        }
        var choices: [Choice] = []
        for (offset, entry) in list.enumerated() {
            let field = "choices[\(offset + 1)]"
            guard let members = entry.members else {
                problem(location, field, "must be an object with \"code\" and \"label\"")
                continue
            }
            for member in members where !Self.choiceKeys.contains(member.key) {
                problem(location, "\(field).\(member.key)", "unknown field; expected one of \(Self.choiceKeys.sorted().joined(separator: ", "))")
            }
            guard let code = entry["code"].flatMap({ $0.string ?? $0.integer.map(String.init) }) else {
                problem(location, "\(field).code", "missing; every choice needs a code (the value stored), e.g. \"very_satisfied\"")
                continue
            }
            guard QuestionnaireLoader.isValidCode(code) else {
                problem(location, "\(field).code", "'\(code)' is not a valid code: use letters, digits, _ or - (at most 40)")
                continue
            }
            if choices.contains(where: { $0.code == code }) {
                problem(location, "\(field).code", "duplicate code '\(code)'")
                continue
            }
            let label = text(entry["label"], location: location, field: "\(field).label", required: true) ?? LocalizedText(code)
            choices.append(Choice(code: code, label: label,
                                  excludeFromBase: readBool(entry["excludeFromBase"], location: location, field: "\(field).excludeFromBase", default: false),
                                  exclusive: readBool(entry["exclusive"], location: location, field: "\(field).exclusive", default: false)))
        }
        if type == .scale {
            let points = choices.filter { !$0.excludeFromBase }.count
            if points != 5 && points != 7 {
                problem(location, "choices", "a scale needs 5 or 7 points (not counting choices with excludeFromBase); it has \(points)")
            }
        }
        if type != .multiple, choices.contains(where: \.exclusive) {
            problem(location, "choices", "\"exclusive\" only applies to multiple-choice questions")
        }
        return choices
    }

    private func yesNoChoices() -> [Choice] {
        let yes = LocalizedText(translations: [("en", "Yes"), ("cy", "Ie")])
        let no = LocalizedText(translations: [("en", "No"), ("cy", "Na")])
        return [Choice(code: "yes", label: yes), Choice(code: "no", label: no)]
    }

    private mutating func readLimits(_ item: JSONValue, into question: inout Question, location: String) {
        for key in ["min", "max"] {
            guard let value = item[key] else { continue }
            guard question.type == .number else {
                problem(location, key, "only number questions take \(key)")
                continue
            }
            guard let n = value.number else {
                problem(location, key, "must be a number")
                continue
            }
            if key == "min" { question.minimum = n } else { question.maximum = n }
        }
        if let lo = question.minimum, let hi = question.maximum, lo > hi {
            problem(location, "min", "min (\(JSONWriter.format(lo))) is greater than max (\(JSONWriter.format(hi)))")
        }
        if let value = item["maxLength"] {
            if question.type != .text {
                problem(location, "maxLength", "only text questions take maxLength")
            } else if let n = value.integer, n > 0 {
                question.maxLength = n
            } else {
                problem(location, "maxLength", "must be a whole number above 0")
            }
        }
    }

    private mutating func readField(_ item: JSONValue, into question: inout Question, location: String) {
        guard let value = item["field"] else { return }
        guard let name = value.string, let field = ResponseField(rawValue: name) else {
            problem(location, "field", "must be one of \(ResponseField.allCases.map(\.rawValue).joined(separator: ", "))")
            return
        }
        guard question.type == .single || question.type == .text else {
            problem(location, "field", "only single-choice or text questions can fill the response's \(name)")
            return
        }
        question.responseField = field
    }
}
