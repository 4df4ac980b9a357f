import SurveyEngine
import Markup

/// One question as a GOV.UK-style form: the question is the page heading (in the legend for
/// radios, checkboxes and dates, in the label otherwise), hint, error message beside the field,
/// error summary linking to it, and a Continue button.
struct QuestionPage {
    let interview: Interview
    let question: Question
    /// The question as asked (piped with earlier answers) and its hint, likewise.
    let heading: String
    let hint: String?
    /// Values to show in the fields (the stored answer, or what was just typed when it failed).
    let submitted: FieldValues
    let error: String?
    let action: String
    let csrf: String
    var notice: String?

    /// Raw field values from a form (so a failed submission shows exactly what was typed).
    struct FieldValues: Hashable {
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

    /// Writes the form (notice, error summary, field, button).
    func write(to html: inout HTMLWriter) {
        if let notice {
            html.raw("<div class=\"notification\" role=\"alert\"><p>")
            html.text(notice)
            html.raw("</p></div>\n")
        }
        if let error {
            html.raw("<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\" tabindex=\"-1\">\n<h2 id=\"error-summary-title\">")
            html.text(ui.problem)
            html.raw("</h2>\n<ul><li><a href=\"#")
            html.token(fieldID)
            html.raw("\">")
            html.text(error)
            html.raw("</a></li></ul>\n</div>\n")
        }
        html.raw("<form method=\"post\" action=\"")
        html.text(action)
        html.raw("\" novalidate>\n<input type=\"hidden\" name=\"csrf\" value=\"")
        html.text(csrf)
        html.raw("\">\n")
        writeField(to: &html)
        html.raw("<button type=\"submit\" class=\"button\">")
        html.text(ui.continueButton)
        html.raw("</button>\n</form>")
    }

    private var label: String {
        heading + (question.required || question.isNote ? "" : " " + ui.optional)
    }

    private var describedBy: String {
        var ids: [String] = []
        if hint != nil || question.type == .date { ids.append("answer-hint") }
        if error != nil { ids.append("answer-error") }
        return ids.isEmpty ? "" : " aria-describedby=\"\(ids.joined(separator: " "))\""
    }

    private func writeHintAndError(to html: inout HTMLWriter) {
        var hint = self.hint
        if question.type == .date { hint = [hint, ui.dateHint].compactMap { $0 }.joined(separator: " ") }
        if let hint {
            html.raw("<div id=\"answer-hint\" class=\"hint\">")
            html.text(hint)
            html.raw("</div>\n")
        }
        if let error {
            html.raw("<p id=\"answer-error\" class=\"error-message\"><span class=\"visually-hidden\">")
            html.text(ui.errorPrefix)
            html.raw("</span> ")
            html.text(error)
            html.raw("</p>\n")
        }
    }

    private func writeField(to html: inout HTMLWriter) {
        let group: StaticString = error != nil ? "<div class=\"form-group form-group--error\">\n" : "<div class=\"form-group\">\n"
        switch question.type {
        case .single, .scale, .yesno, .multiple, .date:
            html.raw(group)
            html.raw(question.type == .date ? "<fieldset role=\"group\"" : "<fieldset")
            html.raw(describedBy)
            html.raw(">\n<legend><h1 class=\"legend-heading\">")
            html.text(label)
            html.raw("</h1></legend>\n")
            writeHintAndError(to: &html)
            if question.type == .date { writeDateInputs(to: &html) } else { writeChoices(to: &html) }
            html.raw("</fieldset>\n</div>\n")
        case .number, .text:
            html.raw(group)
            html.raw("<h1><label class=\"label label--heading\" for=\"answer\">")
            html.text(label)
            html.raw("</label></h1>\n")
            writeHintAndError(to: &html)
            writeTextInput(to: &html)
            html.raw("</div>\n")
        case .note:
            html.raw("<h1>")
            html.text(heading)
            html.raw("</h1>\n")
            if let hint {
                html.raw("<p>")
                html.text(hint)
                html.raw("</p>\n")
            }
        }
    }

    private func writeChoices(to html: inout HTMLWriter) {
        let multiple = question.type == .multiple
        html.raw(multiple ? "<div class=\"choices choices--checkbox\">\n" : "<div class=\"choices choices--radio\">\n")
        for (offset, choice) in question.choices.enumerated() {
            let id = offset == 0 ? "answer" : "answer-\(offset + 1)"
            if choice.exclusive && offset > 0 {
                html.raw(ui.welsh ? "<div class=\"choices__divider\">neu</div>\n" : "<div class=\"choices__divider\">or</div>\n")
            }
            html.raw("<div class=\"choices__item\"><input class=\"choices__input\" id=\"")
            html.token(id)
            html.raw(multiple ? "\" name=\"answer\" type=\"checkbox\" value=\"" : "\" name=\"answer\" type=\"radio\" value=\"")
            html.text(choice.code)
            html.raw(submitted.answer.contains(choice.code) ? "\" checked>" : "\">")
            html.raw("<label class=\"choices__label\" for=\"")
            html.token(id)
            html.raw("\">")
            html.text(interview.label(choice))
            html.raw("</label></div>\n")
        }
        html.raw("</div>\n")
    }

    private func writeDateInputs(to html: inout HTMLWriter) {
        let errorClass = error != nil ? " input--error" : ""
        func item(_ part: String, _ label: String, _ value: String, year: Bool = false) {
            html.raw(year ? "<div class=\"date__item date__item--year\">" : "<div class=\"date__item\">")
            html.raw("<label class=\"label\" for=\"answer-\(part)\">")
            html.text(label)
            html.raw("</label><input class=\"input\(errorClass)\" id=\"answer-\(part)\" name=\"answer-\(part)\" type=\"text\" inputmode=\"numeric\" value=\"")
            html.text(value)
            html.raw(part == "day" ? "\" autocomplete=\"off\"></div>\n" : "\"></div>\n")
        }
        html.raw("<div class=\"date\">\n")
        item("day", ui.day, submitted.day)
        item("month", ui.month, submitted.month)
        item("year", ui.year, submitted.year, year: true)
        html.raw("</div>\n")
    }

    private func writeTextInput(to html: inout HTMLWriter) {
        let errorClass = error != nil ? " input--error" : ""
        let value = submitted.answer.first ?? ""
        if question.type == .number {
            html.raw("<input class=\"input input--width-10\(errorClass)\" id=\"answer\" name=\"answer\" type=\"text\" inputmode=\"decimal\" spellcheck=\"false\" value=\"")
            html.text(value)
            html.raw("\"\(describedBy)>\n")
        } else if question.maxLength > 100 {
            html.raw("<textarea class=\"textarea\(error != nil ? " textarea--error" : "")\" id=\"answer\" name=\"answer\" rows=\"5\"\(describedBy)>")
            html.text(value)
            html.raw("</textarea>\n")
        } else {
            html.raw("<input class=\"input\(errorClass)\" id=\"answer\" name=\"answer\" type=\"text\" value=\"")
            html.text(value)
            html.raw("\"\(describedBy)>\n")
        }
    }
}
