import JSON

extension QuestionnaireBuilder {
    mutating func readConditions(_ item: JSONValue, into question: inout Question, location: String) {
        if let value = item["showIf"] {
            if let source = value.string, let condition = parse(source, location: location, field: "showIf") {
                question.showIf = condition
                question.showIfSource = source
                if condition == .boolean(false) {
                    problem(location, "showIf", "is always false, so the question can never be reached; remove the question or fix the condition")
                }
                if condition.usesCurrent { problem(location, "showIf", "'.' (this answer) only makes sense in validate") }
            } else if value.string == nil {
                problem(location, "showIf", "must be an expression in a string, e.g. \"${q1} = 'yes'\"")
            }
        }
        guard let value = item["validate"] else { return }
        let entries = value.array ?? [value]
        for (offset, entry) in entries.enumerated() {
            let field = entries.count > 1 ? "validate[\(offset + 1)]" : "validate"
            guard let source = entry["expression"]?.string else {
                problem(location, field, "must be {\"expression\": \"…\", \"message\": \"…\"} (or a list of them)")
                continue
            }
            guard let message = text(entry["message"], location: location, field: "\(field).message", required: true),
                  let condition = parse(source, location: location, field: "\(field).expression") else { continue }
            if question.isNote { problem(location, field, "a note takes no answer, so it cannot be validated") }
            question.validations.append(ValidationRule(source: source, expression: condition, message: message))
        }
    }

    private mutating func parse(_ source: String, location: String, field: String) -> Condition? {
        do {
            return try ConditionParser.parse(source)
        } catch {
            problem(location, field, "cannot parse \"\(source)\" \(error)")
            return nil
        }
    }

    /// Checks that expressions and piped labels refer only to earlier questions, and that compared codes exist.
    mutating func checkReferences(_ questions: [Question]) {
        for (index, question) in questions.enumerated() {
            let location = "question '\(question.id)'"
            var uses: [(field: String, ids: [String])] = []
            if let showIf = question.showIf { uses.append(("showIf", showIf.references)) }
            for rule in question.validations { uses.append(("validate", rule.expression.references)) }
            let texts = question.label.allTexts + (question.hint?.allTexts ?? []) + question.choices.flatMap(\.label.allTexts)
            uses.append(("label", texts.flatMap(Piping.references(in:))))
            for (field, ids) in uses {
                for id in Set(ids).sorted() {
                    checkReference(id, from: index, in: questions, location: location, field: field)
                }
            }
            let comparisons = (question.showIf?.codeComparisons ?? []) + question.validations.flatMap(\.expression.codeComparisons)
            for (id, code) in comparisons {
                guard let target = questions.first(where: { $0.id == id }), target.type.hasChoices,
                      target.choice(code) == nil else { continue }
                problem(location, "showIf", "'\(code)' is not a code of question '\(id)' (codes: \(target.choices.map(\.code).joined(separator: ", ")))")
            }
        }
    }

    private mutating func checkReference(_ id: String, from index: Int, in questions: [Question], location: String, field: String) {
        guard let target = questions.firstIndex(where: { $0.id == id }) else {
            problem(location, field, "refers to ${\(id)}, which is not a question in this file")
            return
        }
        if target == index {
            if field != "validate" { problem(location, field, "refers to itself; use '.' for this question's own answer in validate") }
        } else if target > index {
            problem(location, field, "refers to ${\(id)}, which comes later; a question can only depend on earlier questions")
        } else if questions[target].isNote {
            problem(location, field, "refers to ${\(id)}, which is a note and has no answer")
        }
    }

    static let measureKeys: Set<String> = ["id", "label", "question", "satisfied", "baseline", "baselineSource"]

    mutating func readMeasures(_ questions: [Question]) -> [Measure] {
        guard let value = json["measures"] else { return [] }
        guard let list = value.array else {
            problem(nil, "measures", "must be a list")
            return []
        }
        var measures: [Measure] = []
        for (offset, item) in list.enumerated() {
            guard let id = item["id"]?.string, QuestionnaireLoader.isValidIdentifier(id) else {
                problem("measure \(offset + 1)", "id", "missing or not a valid id (a letter, then letters, digits or _)")
                continue
            }
            let location = "measure '\(id)'"
            if measures.contains(where: { $0.id == id }) { problem(location, "id", "duplicate measure id") }
            for member in item.members ?? [] where !Self.measureKeys.contains(member.key) {
                problem(location, member.key, "unknown field; expected one of \(Self.measureKeys.sorted().joined(separator: ", "))")
            }
            if let measure = readMeasure(item, id: id, location: location, questions: questions) { measures.append(measure) }
        }
        return measures
    }

    private mutating func readMeasure(_ item: JSONValue, id: String, location: String, questions: [Question]) -> Measure? {
        let label = text(item["label"], location: location, field: "label", required: true) ?? LocalizedText(id)
        guard let questionID = item["question"]?.string else {
            problem(location, "question", "missing; name the scale question the measure reads")
            return nil
        }
        guard let question = questions.first(where: { $0.id == questionID }) else {
            problem(location, "question", "'\(questionID)' is not a question in this file")
            return nil
        }
        guard question.type == .scale else {
            problem(location, "question", "'\(questionID)' is a \(question.type.rawValue) question; measures read scale questions")
            return nil
        }
        let codes = item["satisfied"]?.array?.compactMap(\.string) ?? []
        if codes.isEmpty { problem(location, "satisfied", "list the choice codes that count as satisfied, e.g. [\"very_satisfied\", \"fairly_satisfied\"]") }
        for code in codes {
            guard let choice = question.choice(code) else {
                problem(location, "satisfied", "'\(code)' is not a code of question '\(questionID)'")
                continue
            }
            if choice.excludeFromBase { problem(location, "satisfied", "'\(code)' is excluded from the base, so it cannot count as satisfied") }
        }
        var baseline: Double?
        if let value = item["baseline"] {
            if let p = value.number, p >= 0, p <= 1 {
                baseline = p
            } else {
                problem(location, "baseline", "must be a fraction between 0 and 1 (write 82% as 0.82)")
            }
        }
        return Measure(id: id, label: label, questionID: questionID, satisfiedCodes: codes, baseline: baseline,
                       baselineSource: item["baselineSource"]?.string)
    }
}
