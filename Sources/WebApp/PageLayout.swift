import Markup
/// The frame every page shares: skip link, header with the service name, language switch,
/// optional back link, main content, footer.
struct PageLayout {
    /// A link to the same page in another language.
    struct Alternate {
        var language: String
        var href: String
    }

    var title: String
    var serviceName: String
    var language: String
    /// Other languages the page is available in.
    var alternates: [Alternate] = []
    var backLink: String?
    var hasError = false
    /// Analysts' pages: tables and charts use the container's width, not a reading measure.
    var wide = false

    /// The page around what `content` writes, as bytes.
    func render(_ content: PageContent) -> [UInt8] {
        page(content)
    }

    /// The page around what `content` writes, as bytes.
    func page(_ content: (inout HTMLWriter) -> Void) -> [UInt8] {
        var html = HTMLWriter()
        write(to: &html, content)
        return html.bytes
    }

    func write(to html: inout HTMLWriter, _ content: (inout HTMLWriter) -> Void) {
        let ui = UIText(language: language)
        html.raw("<!DOCTYPE html>\n<html lang=\"")
        html.text(language)
        html.raw("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        html.raw("<meta name=\"robots\" content=\"noindex, nofollow\">\n<title>")
        if hasError {
            html.text(ui.errorPrefix)
            html.raw(" ")
        }
        html.text(title)
        html.raw(" – ")
        html.text(serviceName)
        html.raw("</title>\n<link rel=\"stylesheet\" href=\"/assets/canvass.css\">\n</head>\n<body>\n<a href=\"#main\" class=\"skip-link\">")
        html.text(ui.skipLink)
        html.raw("</a>\n<header class=\"header\"><div class=\"container\"><span class=\"header__name\">")
        html.text(serviceName)
        html.raw("</span></div></header>\n<div class=\"container\">\n")
        if !alternates.isEmpty { writeLanguages(to: &html, ui) }
        html.raw(wide ? "<main class=\"main main--wide\" id=\"main\">\n" : "<main class=\"main\" id=\"main\">\n")
        // Inside main, so every piece of content sits in a landmark.
        if let backLink {
            html.raw("<a href=\"")
            html.text(backLink)
            html.raw("\" class=\"back-link\">")
            html.text(ui.back)
            html.raw("</a>\n")
        }
        content(&html)
        html.raw("\n</main>\n</div>\n<footer class=\"footer\"><div class=\"container\">Canvass</div></footer>\n</body>\n</html>\n")
    }

    private func writeLanguages(to html: inout HTMLWriter, _ ui: UIText) {
        html.raw("<nav class=\"phase\" aria-label=\"")
        html.raw(language == "cy" ? "Iaith" : "Language")
        html.raw("\"><ul class=\"language\"><li><span class=\"visually-hidden\">")
        html.raw(ui.welsh ? "Iaith bresennol:" : "Current language:")
        html.raw(" </span>")
        html.text(ui.languageName)
        html.raw("</li>")
        for alternate in alternates {
            html.raw("<li><a href=\"")
            html.text(alternate.href)
            html.raw("\" lang=\"")
            html.text(alternate.language)
            html.raw("\" hreflang=\"")
            html.text(alternate.language)
            html.raw("\">")
            html.text(UIText(language: alternate.language).languageName)
            html.raw("</a></li>")
        }
        html.raw("</ul><p>")
        html.text(ui.confidential)
        html.raw("</p></nav>\n")
    }
}
