import SurveyEngine

/// One question as a GOV.UK-style form: the question is the page heading (in the legend for
/// radios, checkboxes and dates, in the label otherwise), hint, error message beside the field,
/// error summary linking to it, and a Continue button.
struct QuestionPage {
    let interview: Interview
    let question: Question
    let answers: [String: AnswerValue]
    /// Values to show in the fields (the stored answer, or what was just typed when it failed).
    let submitted: FieldValues
    let error: String?
    let action: String
    let csrf: String
    var notice: String?

    /// Raw field values from a form (so a failed submission shows exactly what was typed).
    struct FieldValues {
        var answer: [String] = []
        var day = "", month = "", year = ""

        init() {}

        init(_ value: AnswerValue?) {
            guard let value else { return }
            switch value {
            case .date(let iso):
                let parts = iso.split(separator: "-").map(String.init)
                if parts.count == 3 { (year, month, day) = (parts[0], String(Int(parts[1]) ?? 0), String(Int(parts[2]) ?? 0)) }
            default: answer = value.storedValues
            }
        }
    }

    var ui: UIText { UIText(language: interview.language) }
    var fieldID: String { question.type == .date ? "answer-day" : "answer" }

    func render() -> String {
        var html = ""
        if let notice { html += "<div class=\"notification\" role=\"alert\"><p>\(HTML.escape(notice))</p></div>\n" }
        if let error {
            html += """
            <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
            <h2 id="error-summary-title">\(HTML.escape(ui.problem))</h2>
            <ul><li><a href="#\(fieldID)">\(HTML.escape(error))</a></li></ul>
            </div>

            """
        }
        html += "<form method=\"post\" action=\"\(HTML.escape(action))\" novalidate>\n"
        html += "<input type=\"hidden\" name=\"csrf\" value=\"\(HTML.escape(csrf))\">\n"
        html += field()
        html += "<button type=\"submit\" class=\"button\">\(HTML.escape(ui.continueButton))</button>\n</form>"
        return html
    }

    private var label: String {
        interview.label(question, answers: answers) + (question.required || question.isNote ? "" : " " + ui.optional)
    }

    private var describedBy: String {
        var ids: [String] = []
        if interview.hint(question, answers: answers) != nil || question.type == .date { ids.append("answer-hint") }
        if error != nil { ids.append("answer-error") }
        return ids.isEmpty ? "" : " aria-describedby=\"\(ids.joined(separator: " "))\""
    }

    private var hintAndError: String {
        var html = ""
        var hint = interview.hint(question, answers: answers)
        if question.type == .date { hint = [hint, ui.dateHint].compactMap { $0 }.joined(separator: " ") }
        if let hint { html += "<div id=\"answer-hint\" class=\"hint\">\(HTML.escape(hint))</div>\n" }
        if let error {
            html += "<p id=\"answer-error\" class=\"error-message\"><span class=\"visually-hidden\">\(HTML.escape(ui.errorPrefix))</span> \(HTML.escape(error))</p>\n"
        }
        return html
    }

    private func field() -> String {
        let group = "<div class=\"form-group\(error != nil ? " form-group--error" : "")\">\n"
        switch question.type {
        case .single, .scale, .yesno, .multiple:
            return group + "<fieldset\(describedBy)>\n<legend><h1 class=\"legend-heading\">\(HTML.escape(label))</h1></legend>\n"
                + hintAndError + choices() + "</fieldset>\n</div>\n"
        case .date:
            return group + "<fieldset role=\"group\"\(describedBy)>\n<legend><h1 class=\"legend-heading\">\(HTML.escape(label))</h1></legend>\n"
                + hintAndError + dateInputs() + "</fieldset>\n</div>\n"
        case .number, .text:
            return group + "<h1><label class=\"label label--heading\" for=\"answer\">\(HTML.escape(label))</label></h1>\n" + hintAndError + textInput() + "</div>\n"
        case .note:
            var html = "<h1>\(HTML.escape(interview.label(question, answers: answers)))</h1>\n"
            if let hint = interview.hint(question, answers: answers) { html += "<p>\(HTML.escape(hint))</p>\n" }
            return html
        }
    }

    private func choices() -> String {
        let multiple = question.type == .multiple
        var html = "<div class=\"choices choices--\(multiple ? "checkbox" : "radio")\">\n"
        for (offset, choice) in question.choices.enumerated() {
            let id = offset == 0 ? "answer" : "answer-\(offset + 1)"
            let checked = submitted.answer.contains(choice.code) ? " checked" : ""
            if choice.exclusive && offset > 0 {
                html += "<div class=\"choices__divider\">\(ui.welsh ? "neu" : "or")</div>\n"
            }
            html += "<div class=\"choices__item\"><input class=\"choices__input\" id=\"\(id)\" name=\"answer\" type=\"\(multiple ? "checkbox" : "radio")\" value=\"\(HTML.escape(choice.code))\"\(checked)>"
            html += "<label class=\"choices__label\" for=\"\(id)\">\(HTML.escape(interview.label(choice)))</label></div>\n"
        }
        return html + "</div>\n"
    }

    private func dateInputs() -> String {
        let errorClass = error != nil ? " input--error" : ""
        func item(_ part: String, _ label: String, _ value: String, year: Bool = false) -> String {
            "<div class=\"date__item\(year ? " date__item--year" : "")\"><label class=\"label\" for=\"answer-\(part)\">\(HTML.escape(label))</label>"
                + "<input class=\"input\(errorClass)\" id=\"answer-\(part)\" name=\"answer-\(part)\" type=\"text\" inputmode=\"numeric\" value=\"\(HTML.escape(value))\""
                + (part == "day" ? " autocomplete=\"off\"" : "") + "></div>\n"
        }
        return "<div class=\"date\">\n" + item("day", ui.day, submitted.day) + item("month", ui.month, submitted.month)
            + item("year", ui.year, submitted.year, year: true) + "</div>\n"
    }

    private func textInput() -> String {
        let value = HTML.escape(submitted.answer.first ?? "")
        let errorClass = error != nil ? " input--error" : ""
        if question.type == .number {
            return "<input class=\"input input--width-10\(errorClass)\" id=\"answer\" name=\"answer\" type=\"text\" inputmode=\"decimal\" spellcheck=\"false\" value=\"\(value)\"\(describedBy)>\n"
        }
        if question.maxLength > 100 {
            return "<textarea class=\"textarea\(error != nil ? " textarea--error" : "")\" id=\"answer\" name=\"answer\" rows=\"5\"\(describedBy)>\(value)</textarea>\n"
        }
        return "<input class=\"input\(errorClass)\" id=\"answer\" name=\"answer\" type=\"text\" value=\"\(value)\"\(describedBy)>\n"
    }
}
