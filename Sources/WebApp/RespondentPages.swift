import SurveyEngine

/// The pages around the questions: start, check your answers, confirmation, already completed.
enum RespondentPages {
    static func start(questionnaire: Questionnaire, language: String, action: String, csrf: String, hidden: [(String, String)] = []) -> String {
        let ui = UIText(language: language)
        var html = "<h1>\(HTML.escape(questionnaire.title.text(language)))</h1>\n"
        if let intro = questionnaire.introduction { html += "<p>\(HTML.escape(intro.text(language)))</p>\n" }
        html += "<form method=\"post\" action=\"\(HTML.escape(action))\" novalidate>\n<input type=\"hidden\" name=\"csrf\" value=\"\(HTML.escape(csrf))\">\n"
        for (name, value) in hidden { html += "<input type=\"hidden\" name=\"\(HTML.escape(name))\" value=\"\(HTML.escape(value))\">\n" }
        html += "<button type=\"submit\" class=\"button button--start\">\(HTML.escape(ui.startButton))</button>\n</form>"
        return html
    }

    static func check(_ items: [(item: SummaryItem, changeLink: String)], language: String, action: String, csrf: String, error: String?) -> String {
        let ui = UIText(language: language)
        var html = ""
        if let error {
            html += "<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\" tabindex=\"-1\"><h2 id=\"error-summary-title\">\(HTML.escape(ui.problem))</h2><ul><li>\(HTML.escape(error))</li></ul></div>\n"
        }
        html += "<h1>\(HTML.escape(ui.checkTitle))</h1>\n<dl class=\"summary-list\">\n"
        for (item, link) in items {
            html += "<div class=\"summary-list__row\"><dt class=\"summary-list__key\">\(HTML.escape(item.question))</dt>"
            html += "<dd class=\"summary-list__value\">\(HTML.escape(item.answer))</dd>"
            html += "<dd class=\"summary-list__actions\"><a href=\"\(HTML.escape(link))\">\(HTML.escape(ui.change))<span class=\"visually-hidden\"> \(HTML.escape(item.question))</span></a></dd></div>\n"
        }
        html += "</dl>\n<p>\(HTML.escape(ui.sendNote))</p>\n"
        html += "<form method=\"post\" action=\"\(HTML.escape(action))\" novalidate>\n<input type=\"hidden\" name=\"csrf\" value=\"\(HTML.escape(csrf))\">\n"
        html += "<button type=\"submit\" class=\"button\">\(HTML.escape(ui.send))</button>\n</form>"
        return html
    }

    static func done(language: String, already: Bool) -> String {
        let ui = UIText(language: language)
        if already {
            return "<h1>\(HTML.escape(ui.alreadyDone))</h1>\n<p>\(HTML.escape(ui.alreadyDoneBody))</p>"
        }
        return """
        <div class="panel"><h1>\(HTML.escape(ui.thankYou))</h1><div class="panel__body">\(HTML.escape(ui.answersSent))</div></div>
        <h2>\(HTML.escape(ui.whatNext))</h2>
        <p>\(HTML.escape(ui.whatNextBody))</p>
        """
    }

    static func message(title: String, body: String) -> String {
        "<h1>\(HTML.escape(title))</h1>\n<p>\(HTML.escape(body))</p>"
    }
}
