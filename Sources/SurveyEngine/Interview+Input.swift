import JSON

extension Interview {
    /// Reads what a respondent typed for `question`: a choice number or code (several separated by
    /// commas or spaces for `multiple`), y/n for yes/no, a number, a date (`YYYY-MM-DD` or `D M YYYY`)
    /// or text. Empty input means "skip" (nil). Only the form is checked here; `answer` validates.
    public func parseTyped(_ input: String, for question: Question) -> Result<AnswerValue?, AnswerProblem> {
        let text = input.trimmed
        if text.isEmpty { return .success(nil) }
        func fail(_ message: String) -> Result<AnswerValue?, AnswerProblem> {
            .failure(AnswerProblem(questionID: question.id, message: message))
        }
        switch question.type {
        case .single, .scale, .yesno:
            guard let code = choiceCode(text, for: question) else { return fail(choiceHelp(question)) }
            return .success(.choice(code))
        case .multiple:
            let items = text.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
            var codes: [String] = []
            for item in items {
                guard let code = choiceCode(item, for: question) else { return fail(choiceHelp(question)) }
                if !codes.contains(code) { codes.append(code) }
            }
            let order = question.choices.map(\.code)
            return .success(.choices(codes.sorted { order.firstIndex(of: $0)! < order.firstIndex(of: $1)! }))
        case .number:
            guard let n = Double(text.replacingCommas), n.isFinite else { return fail(EngineText.unanswered(question, language: language)) }
            return .success(.number(n))
        case .date:
            if DateText.isValidISODate(text) { return .success(.date(text)) }
            let parts = text.split(whereSeparator: { " /.-".contains($0) }).map(String.init)
            if parts.count == 3, let iso = DateText.fromParts(day: parts[0], month: parts[1], year: parts[2]) {
                return .success(.date(iso))
            }
            return fail(EngineText.invalidDate(language))
        case .text:
            return .success(.text(text))
        case .note:
            return .success(nil)
        }
    }

    private func choiceCode(_ text: String, for question: Question) -> String? {
        if let number = Int(text), number >= 1, number <= question.choices.count { return question.choices[number - 1].code }
        if let choice = question.choices.first(where: { $0.code.lowercased() == text.lowercased() }) { return choice.code }
        if question.type == .yesno {
            let lower = text.lowercased()
            if ["y", "yes", "ie", "do", "ydw"].contains(lower) { return question.choice("yes")?.code }
            if ["n", "no", "na", "nac ydw"].contains(lower) { return question.choice("no")?.code }
        }
        return nil
    }

    private func choiceHelp(_ question: Question) -> String {
        let range = "1–\(question.choices.count)"
        return language == "cy" ? "Rhowch rif o \(range)" : "Enter a number from \(range)"
    }

    /// Converts an answer from an answers file (a code, a list of codes, a number, text or an ISO
    /// date) into an `AnswerValue`, or says why it does not fit.
    public func answerValue(from json: JSONValue, for question: Question) -> Result<AnswerValue, AnswerProblem> {
        func fail(_ message: String) -> Result<AnswerValue, AnswerProblem> {
            .failure(AnswerProblem(questionID: question.id, message: message))
        }
        var codes: String { question.choices.map(\.code).joined(separator: ", ") }
        switch question.type {
        case .single, .scale, .yesno:
            guard let code = json.string ?? json.integer.map(String.init) else { return fail("expected a choice code (one of \(codes)), got \(json.kindDescription)") }
            return question.choice(code) == nil ? fail("'\(code)' is not a code of this question (codes: \(codes))") : .success(.choice(code))
        case .multiple:
            guard let list = json.array, list.allSatisfy({ $0.string != nil }) else { return fail("expected a list of choice codes, e.g. [\"\(question.choices.first?.code ?? "code")\"]") }
            let given = list.compactMap(\.string)
            if let unknown = given.first(where: { question.choice($0) == nil }) { return fail("'\(unknown)' is not a code of this question (codes: \(codes))") }
            return .success(.choices(question.choices.map(\.code).filter(given.contains)))
        case .number:
            guard let n = json.number else { return fail("expected a number, got \(json.kindDescription)") }
            return .success(.number(n))
        case .text:
            guard let s = json.string else { return fail("expected text, got \(json.kindDescription)") }
            return .success(.text(s))
        case .date:
            guard let s = json.string, DateText.isValidISODate(s) else { return fail("expected a date written YYYY-MM-DD") }
            return .success(.date(s))
        case .note:
            return fail("this is a note and takes no answer")
        }
    }

    /// Runs the whole interview non-interactively from a map of question id → answer, with the same
    /// rules as a respondent answering in order: each visible question's answer converted and
    /// validated, skipped questions left unanswered, answers hidden by a change dropped, and answers
    /// to questions that the branching hides (or that do not exist) reported by name.
    public func complete(with given: [String: JSONValue]) -> Result<InterviewState, SurveyEngineError> {
        var problems: [AnswerProblem] = []
        var answers: [String: AnswerValue] = [:]
        answers.reserveCapacity(given.count)
        var asked = 0
        for question in questionnaire.questions where isVisible(question, answers: answers) {
            guard !question.isNote else { continue }
            var value: AnswerValue?
            if let json = given[question.id] {
                asked += 1
                switch answerValue(from: json, for: question) {
                case .success(let v): value = v
                case .failure(let p): problems.append(p); continue
                }
            }
            if let problem = validate(value, for: question, answers: answers) {
                problems.append(problem)
                continue
            }
            // Answering in order never hides an earlier answer (showIf refers only to earlier
            // questions), so nothing needs pruning here.
            if let value { answers[question.id] = value }
        }
        if asked < given.count { problems += unaskedProblems(given, answers: answers) }
        guard problems.isEmpty else { return .failure(.invalidAnswers(source: "answers", problems: problems)) }
        return .success(InterviewState(answers: answers, position: .submitted))
    }

    private func unaskedProblems(_ given: [String: JSONValue], answers: [String: AnswerValue]) -> [AnswerProblem] {
        given.keys.sorted().compactMap { id in
            guard let question = questionnaire.question(id) else { return AnswerProblem(questionID: id, message: "not a question of \(questionnaire.id)") }
            if question.isNote { return AnswerProblem(questionID: id, message: "is a note and takes no answer") }
            return isVisible(question, answers: answers) ? nil
                : AnswerProblem(questionID: id, message: "answered, but the questionnaire hides this question given the other answers")
        }
    }
}

private extension String {
    var replacingCommas: String { String(filter { $0 != "," }) }
}
