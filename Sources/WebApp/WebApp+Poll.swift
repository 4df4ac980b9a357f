import Hashing
import HTTP
import SurveyEngine
import SurveyStore

extension CanvassWebApp {
    /// `/p/<questionnaire-id>[?ward=CODE]`: a public rapid poll. One response per browser (a cookie
    /// remembers it) and a limited number of new responses per client address per minute.
    func poll(_ request: HTTPRequest, questionnaireID: String, post: Bool) throws -> WebOutcome {
        guard QuestionnaireLoader.isValidCode(questionnaireID), let published = try latestQuestionnaire(questionnaireID) else {
            return .response(notFound(language: language(request, available: ["en", "cy"])))
        }
        let cookieName = "canvass_poll_" + String(SHA256.hex(questionnaireID).prefix(12))
        if let existing = request.cookies[cookieName], try respondentSnapshot(existing) != nil {
            return .response(WebResponses.redirect("/s/\(existing)"))
        }
        let q = published.questionnaire
        let lang = language(request, available: q.languages)
        let form = post ? request.formValues : []
        let ward = Self.cleanWard(post ? form.first { $0.name == "ward" }?.value : request.queryItems["ward"])
        guard post else {
            let (csrfToken, cookies) = doubleSubmitToken(request)
            let hidden = ward.map { [("ward", $0)] } ?? []
            let content = RespondentPages.start(questionnaire: q, language: lang, action: "/p/\(questionnaireID)", csrf: csrfToken, hidden: hidden)
            return .response(WebResponses.page(layout(q.title.text(lang), q, lang, request: request).render(content), cookies: cookies + languageCookie(request, lang)))
        }
        guard let cookieToken = request.cookies["canvass_csrf"], validCSRF(form, expected: cookieToken) else {
            return .response(WebResponses.redirect("/p/\(questionnaireID)"))
        }
        guard pollLimiter.allow(clientAddress(request), now: now()) else {
            let ui = UIText(language: lang)
            var response = WebResponses.page(layout(ui.tooMany, q, lang, request: request).render(RespondentPages.message(title: ui.tooMany, body: "")), status: .tooManyRequests)
            response.headers.append(("Retry-After", "60"))
            return .response(response)
        }
        let versionID = published.versionID
        let secure = configuration.secureCookies
        return .write(WebWrite(work: { store in
            let id = try store.startResponse(versionID: versionID, origin: ResponseOrigin(mode: .web, language: lang))
            if let ward { try store.setWard(responseID: id, ward: ward) }
            return try store.createWebSession(responseID: id)
        }, reply: { [self] result in
            switch result {
            case .failure(let error):
                return failure(error, request: request, language: lang)
            case .success(let token):
                let cookie = WebResponses.cookie(cookieName, token, maxAge: 90 * 86_400, secure: secure)
                return WebResponses.redirect("/s/\(token)", cookies: [cookie])
            }
        }))
    }

    /// A ward code from a link: letters, digits, spaces, `-` and `_`, at most 40.
    static func cleanWard(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value.count <= 40,
              value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == " " || $0 == "-" || $0 == "_" }) else { return nil }
        return value
    }

    /// The double-submit CSRF token for forms that have no respondent token yet (poll start,
    /// analyst login): the cookie's value, set if missing.
    func doubleSubmitToken(_ request: HTTPRequest) -> (String, [String]) {
        if let existing = request.cookies["canvass_csrf"], SurveyStore.isWellFormedToken(existing) { return (existing, []) }
        let token = RandomToken.hex()
        return (token, [WebResponses.cookie("canvass_csrf", token, secure: configuration.secureCookies, sameSite: "Strict")])
    }
}
