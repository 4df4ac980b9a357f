/// The frame every page shares: skip link, header with the service name, language switch,
/// optional back link, main content, footer.
struct PageLayout {
    var title: String
    var serviceName: String
    var language: String
    /// Other languages the page is available in: (code, link).
    var alternates: [(language: String, href: String)] = []
    var backLink: String?
    var hasError = false

    func render(_ content: String) -> String {
        let ui = UIText(language: language)
        var html = """
        <!DOCTYPE html>
        <html lang="\(HTML.escape(language))">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex, nofollow">
        <title>\(hasError ? HTML.escape(ui.errorPrefix) + " " : "")\(HTML.escape(title)) – \(HTML.escape(serviceName))</title>
        <link rel="stylesheet" href="/assets/canvass.css">
        </head>
        <body>
        <a href="#main" class="skip-link">\(HTML.escape(ui.skipLink))</a>
        <header class="header"><div class="container"><span class="header__name">\(HTML.escape(serviceName))</span></div></header>
        <div class="container">

        """
        if !alternates.isEmpty {
            html += "<nav class=\"phase\" aria-label=\"\(language == "cy" ? "Iaith" : "Language")\"><ul class=\"language\">"
            html += "<li><span class=\"visually-hidden\">\(ui.welsh ? "Iaith bresennol:" : "Current language:") </span>\(HTML.escape(ui.languageName))</li>"
            for (code, href) in alternates {
                let name = UIText(language: code).languageName
                html += "<li><a href=\"\(HTML.escape(href))\" lang=\"\(HTML.escape(code))\" hreflang=\"\(HTML.escape(code))\">\(HTML.escape(name))</a></li>"
            }
            html += "</ul><p>\(HTML.escape(ui.confidential))</p></nav>\n"
        }
        html += "<main class=\"main\" id=\"main\">\n"
        // Inside main, so every piece of content sits in a landmark.
        if let backLink { html += "<a href=\"\(HTML.escape(backLink))\" class=\"back-link\">\(HTML.escape(ui.back))</a>\n" }
        html += "\(content)\n</main>\n</div>\n"
        html += "<footer class=\"footer\"><div class=\"container\">Canvass</div></footer>\n</body>\n</html>\n"
        return html
    }
}
