/// Why an answer was refused, in words for the respondent.
public struct AnswerProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public var questionID: String
    public var message: String

    public init(questionID: String, message: String) {
        self.questionID = questionID
        self.message = message
    }

    /// `question_id: message`, as listed when several answers are refused at once.
    public var description: String { "\(questionID): \(message)" }
}

extension Interview {
    /// The question's label in the interview language, with earlier answers piped in.
    public func label(_ question: Question, answers: [String: AnswerValue]) -> String {
        pipe(question.label.text(language), answers: answers)
    }

    /// The question's hint, piped, if any.
    public func hint(_ question: Question, answers: [String: AnswerValue]) -> String? {
        question.hint.map { pipe($0.text(language), answers: answers) }
    }

    /// A choice's label in the interview language.
    public func label(_ choice: Choice) -> String { choice.label.text(language) }

    private func pipe(_ text: String, answers: [String: AnswerValue]) -> String {
        Piping.substitute(text) { id in
            guard let question = questionnaire.question(id), let value = answers[id] else { return "" }
            return display(value, for: question)
        }
    }

    /// An answer as the respondent would read it: choice labels, dates as written.
    public func display(_ value: AnswerValue, for question: Question) -> String {
        switch value {
        case .choice(let code): return question.choice(code).map(label) ?? code
        case .choices(let codes): return codes.map { question.choice($0).map(label) ?? $0 }.joined(separator: ", ")
        case .number(let n): return AnswerValue.format(n)
        case .text(let s), .date(let s): return s
        }
    }

    /// Checks `value` against the question's type, range, requiredness and `validate` rules.
    /// Returns nil when the answer is acceptable.
    public func validate(_ value: AnswerValue?, for question: Question, answers: [String: AnswerValue]) -> AnswerProblem? {
        func problem(_ message: String) -> AnswerProblem { AnswerProblem(questionID: question.id, message: message) }
        guard let value else {
            return question.required ? problem(EngineText.unanswered(question, language: language)) : nil
        }
        if let message = typeProblem(value, for: question) { return problem(message) }
        let context = EvaluationContext(answers: answers, current: value, today: today)
        for rule in question.validations where !rule.expression.holds(in: context) {
            return problem(rule.message.text(language))
        }
        return nil
    }

    private func typeProblem(_ value: AnswerValue, for question: Question) -> String? {
        switch (question.type, value) {
        case (.single, .choice(let code)), (.scale, .choice(let code)), (.yesno, .choice(let code)):
            return question.choice(code) == nil ? EngineText.unanswered(question, language: language) : nil
        case (.multiple, .choices(let codes)):
            if codes.isEmpty { return EngineText.unanswered(question, language: language) }
            if codes.contains(where: { question.choice($0) == nil }) { return EngineText.unanswered(question, language: language) }
            if codes.count > 1, let only = codes.compactMap(question.choice).first(where: \.exclusive) {
                return EngineText.exclusive(label(only), language: language)
            }
            return nil
        case (.number, .number(let n)):
            return numberProblem(n, for: question)
        case (.text, .text(let s)):
            if s.count > question.maxLength { return EngineText.tooLong(question.maxLength, language: language) }
            return s.isEmpty && question.required ? EngineText.unanswered(question, language: language) : nil
        case (.date, .date(let s)):
            return DateText.isValidISODate(s) ? nil : EngineText.invalidDate(language)
        default:
            return EngineText.unanswered(question, language: language)
        }
    }

    private func numberProblem(_ n: Double, for question: Question) -> String? {
        if !n.isFinite || (question.integerOnly && n.rounded() != n) {
            return EngineText.wholeNumber(language)
        }
        let lo = question.minimum, hi = question.maximum
        if let lo, n < lo { return EngineText.range(lo, hi, language: language) }
        if let hi, n > hi { return EngineText.range(lo, hi, language: language) }
        return nil
    }
}
