import SurveyEngine
import Markup

/// What goes inside a page's `<main>`, written through the escaping `HTMLWriter`.
typealias PageContent = (inout HTMLWriter) -> Void

/// The pages around the questions: start, check your answers, confirmation, already completed.
enum RespondentPages {
    static func start(questionnaire: Questionnaire, language: String, action: String, csrf: String, hidden: [(String, String)] = []) -> PageContent {
        { html in
            let ui = UIText(language: language)
            html.element("h1", text: questionnaire.title.text(language))
            html.raw("\n")
            if let intro = questionnaire.introduction {
                html.element("p", text: intro.text(language))
                html.raw("\n")
            }
            html.open("form", ["method": "post", "action": action])
            html.raw("\n")
            hiddenField(&html, "csrf", csrf)
            for (name, value) in hidden { hiddenField(&html, name, value) }
            html.element("button", ["type": "submit", "class": "button button--start"], text: ui.startButton)
            html.raw("\n</form>")
        }
    }

    static func check(_ items: [(item: SummaryItem, changeLink: String)], language: String, action: String, csrf: String, error: String?) -> PageContent {
        { html in
            let ui = UIText(language: language)
            if let error {
                html.raw("<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\" tabindex=\"-1\">")
                html.element("h2", ["id": "error-summary-title"], text: ui.problem)
                html.raw("<ul>")
                html.element("li", text: error)
                html.raw("</ul></div>\n")
            }
            html.element("h1", text: ui.checkTitle)
            html.raw("\n<dl class=\"summary-list\">\n")
            for (item, link) in items {
                html.raw("<div class=\"summary-list__row\">")
                html.element("dt", ["class": "summary-list__key"], text: item.question)
                html.element("dd", ["class": "summary-list__value"], text: item.answer)
                html.raw("<dd class=\"summary-list__actions\">")
                html.open("a", ["href": link])
                html.text(ui.change)
                html.element("span", ["class": "visually-hidden"], text: " " + item.question)
                html.raw("</a></dd></div>\n")
            }
            html.raw("</dl>\n")
            html.element("p", text: ui.sendNote)
            html.raw("\n")
            html.open("form", ["method": "post", "action": action])
            html.raw("\n")
            hiddenField(&html, "csrf", csrf)
            html.element("button", ["type": "submit", "class": "button"], text: ui.send)
            html.raw("\n</form>")
        }
    }

    static func done(language: String, already: Bool) -> PageContent {
        { html in
            let ui = UIText(language: language)
            if already {
                html.element("h1", text: ui.alreadyDone)
                html.raw("\n")
                html.element("p", text: ui.alreadyDoneBody)
                return
            }
            html.raw("<div class=\"panel\">")
            html.element("h1", text: ui.thankYou)
            html.element("div", ["class": "panel__body"], text: ui.answersSent)
            html.raw("</div>\n")
            html.element("h2", text: ui.whatNext)
            html.raw("\n")
            html.element("p", text: ui.whatNextBody)
        }
    }

    static func message(title: String, body: String) -> PageContent {
        { html in
            html.element("h1", text: title)
            html.raw("\n")
            html.element("p", text: body)
        }
    }

    /// `<input type="hidden" name="…" value="…">` and a line break.
    static func hiddenField(_ html: inout HTMLWriter, _ name: String, _ value: String) {
        html.open("input", ["type": "hidden", "name": name, "value": value])
        html.raw("\n")
    }
}
