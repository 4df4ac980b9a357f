import SurveyEngine

/// Reads a question's answer from submitted form fields.
enum FormAnswer {
    static func fieldValues(_ form: [(name: String, value: String)]) -> QuestionPage.FieldValues {
        var values = QuestionPage.FieldValues()
        values.answer = form.filter { $0.name == "answer" }.map(\.value)
        values.day = form.first { $0.name == "answer-day" }?.value ?? ""
        values.month = form.first { $0.name == "answer-month" }?.value ?? ""
        values.year = form.first { $0.name == "answer-year" }?.value ?? ""
        return values
    }

    /// The answer (nil: nothing given), or a problem in the respondent's words.
    static func value(_ form: [(name: String, value: String)], for question: Question, interview: Interview) -> Result<AnswerValue?, AnswerProblem> {
        let fields = fieldValues(form)
        switch question.type {
        case .multiple:
            // Known codes in the questionnaire's order; anything else is kept so validation refuses it.
            let known = question.choices.map(\.code).filter(fields.answer.contains)
            let unknown = fields.answer.filter { question.choice($0) == nil }
            return .success(known.isEmpty && unknown.isEmpty ? nil : .choices(known + unknown))
        case .single, .scale, .yesno:
            guard let code = fields.answer.first, !code.isEmpty else { return .success(nil) }
            return .success(.choice(code))
        case .date:
            let parts = [fields.day, fields.month, fields.year].map { $0.filter { !$0.isWhitespace } }
            if parts.allSatisfy(\.isEmpty) { return .success(nil) }
            return interview.parseTyped(parts.joined(separator: " "), for: question)
        case .number, .text:
            return interview.parseTyped(fields.answer.first ?? "", for: question)
        case .note:
            return .success(nil)
        }
    }
}
