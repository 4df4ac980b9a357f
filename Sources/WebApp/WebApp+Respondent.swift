import HTTP
import SurveyEngine
import SurveyStore

/// What a `/s/<token>` link gives access to.
struct RespondentAccess {
    var token: String
    var invitation: Invitation?
    var responseID: Int64?
    var questionnaireID: String
    /// The CSRF token for this link's forms.
    var csrf: String
}

/// A loaded response with its questionnaire and interview.
struct LoadedResponse {
    var stored: StoredResponse
    var questionnaire: Questionnaire
    var interview: Interview
    var answers: [String: AnswerValue]
}

extension CanvassWebApp {
    /// `/s/<token>[/start | /q/<id> | /check | /done]`.
    func respondent(_ request: HTTPRequest, token: String, rest: [String], get: Bool, post: Bool) throws -> WebOutcome {
        guard let snapshot = try respondentSnapshot(token) else {
            return .response(notFound(language: language(request, available: ["en", "cy"])))
        }
        let access = snapshot.access
        let loaded = try snapshot.stored.map { try load($0, request: request) }
        switch (rest.first, rest.count, get, post) {
        case (nil, 0, true, _): return .response(try entry(request, access, loaded))
        case ("q", 2, true, _): return .response(showQuestion(request, access, loaded, questionID: rest[1]))
        case ("check", 1, true, _): return .response(showCheck(request, access, loaded, error: nil))
        case ("done", 1, true, _): return .response(showDone(request, access, loaded))
        case ("start", 1, _, true): return try start(request, access)
        case ("q", 2, _, true): return answerQuestion(request, access, loaded, questionID: rest[1])
        case ("check", 1, _, true): return submit(request, access, loaded)
        case (nil, 0, _, _), ("start", 1, _, _), ("q", 2, _, _), ("check", 1, _, _), ("done", 1, _, _):
            return .response(HTTPResponse(status: .methodNotAllowed, headers: [("Allow", rest.first == "start" ? "POST" : rest.first == "done" || rest.isEmpty ? "GET, HEAD" : "GET, HEAD, POST")]))
        default:
            return .response(notFound(language: language(request, available: ["en", "cy"])))
        }
    }

    /// The invitation or poll session behind a token, with its stored response: from the cache
    /// when fresh, else read from the database in one snapshot (and cached).
    func respondentSnapshot(_ token: String) throws -> RespondentSnapshot? {
        guard SurveyStore.isWellFormedToken(token) else { return nil }
        let now = self.now()
        if let hit = respondents.lookup(token, now: now) { return hit }
        let epoch = respondents.currentEpoch(for: token)
        let read = try readers.with { store in
            try store.connection.read { try readSnapshot(token, store: store) }
        }
        guard let snapshot = read else { return nil }
        respondents.insert(snapshot, readAt: epoch, now: now)
        return snapshot
    }

    private func readSnapshot(_ token: String, store: SurveyStore) throws -> RespondentSnapshot? {
        if let invitation = try store.invitation(token: token) {
            let access = RespondentAccess(token: token, invitation: invitation, responseID: invitation.responseID,
                                          questionnaireID: invitation.questionnaireID, csrf: csrf(for: token))
            return RespondentSnapshot(access: access, stored: try invitation.responseID.map { try store.response($0) })
        }
        guard let responseID = try store.responseID(sessionToken: token) else { return nil }
        let stored = try store.response(responseID)
        let questionnaire = try self.questionnaire(versionID: stored.questionnaireVersionID, store: store)
        let access = RespondentAccess(token: token, invitation: nil, responseID: responseID, questionnaireID: questionnaire.id, csrf: csrf(for: token))
        return RespondentSnapshot(access: access, stored: stored)
    }

    func load(_ stored: StoredResponse, request: HTTPRequest) throws -> LoadedResponse {
        let questionnaire = try self.questionnaire(versionID: stored.questionnaireVersionID)
        let lang = language(request, available: questionnaire.languages, stored: stored.language)
        let interview = self.interview(versionID: stored.questionnaireVersionID, questionnaire, language: lang)
        return LoadedResponse(stored: stored, questionnaire: questionnaire, interview: interview, answers: stored.answers(for: questionnaire))
    }

    /// The latest published questionnaire for a new response.
    func latestQuestionnaire(_ id: String) throws -> PublishedQuestionnaire? {
        try readers.with { store in try store.latest(id) }
    }

    func layout(_ title: String, _ questionnaire: Questionnaire, _ language: String, request: HTTPRequest, back: String? = nil, error: Bool = false) -> PageLayout {
        layout(title, questionnaire, language, path: request.path, back: back, error: error)
    }

    /// The layout of a page at `path` (its language links go to `path?lang=…`).
    func layout(_ title: String, _ questionnaire: Questionnaire, _ language: String, path: String, back: String? = nil, error: Bool = false) -> PageLayout {
        let alternates = questionnaire.languages.filter { $0 != language }.map { PageLayout.Alternate(language: $0, href: path + "?lang=" + $0) }
        return PageLayout(title: title, serviceName: questionnaire.title.text(language), language: language,
                          alternates: alternates, backLink: back, hasError: error)
    }

    func location(_ token: String, _ position: InterviewPosition, changing: Bool = false) -> String {
        switch position {
        case .question(let id): return "/s/\(token)/q/\(id)" + (changing ? "?change=1" : "")
        case .review: return "/s/\(token)/check"
        case .submitted: return "/s/\(token)/done"
        }
    }

    private func alreadyCompleted(_ request: HTTPRequest, _ loaded: LoadedResponse, status: HTTPStatus = .ok) -> HTTPResponse {
        let lang = loaded.interview.language
        let page = layout(UIText(language: lang).alreadyDone, loaded.questionnaire, lang, request: request)
        return WebResponses.page(page.render(RespondentPages.done(language: lang, already: true)), status: status, cookies: languageCookie(request, lang))
    }

    // MARK: - Pages

    private func entry(_ request: HTTPRequest, _ access: RespondentAccess, _ loaded: LoadedResponse?) throws -> HTTPResponse {
        guard let loaded else {
            guard let published = try latestQuestionnaire(access.questionnaireID) else { return notFound(language: "en") }
            let q = published.questionnaire
            let lang = language(request, available: q.languages)
            let content = RespondentPages.start(questionnaire: q, language: lang, action: "/s/\(access.token)/start", csrf: access.csrf)
            return WebResponses.page(layout(q.title.text(lang), q, lang, request: request).render(content), cookies: languageCookie(request, lang))
        }
        if loaded.stored.isComplete { return alreadyCompleted(request, loaded) }
        let state = loaded.interview.resume(answers: loaded.answers, at: loaded.stored.position)
        return WebResponses.redirect(location(access.token, state.position), cookies: languageCookie(request, loaded.interview.language))
    }

    private func start(_ request: HTTPRequest, _ access: RespondentAccess) throws -> WebOutcome {
        let again = WebResponses.redirect("/s/\(access.token)")
        guard validCSRF(request.formValues, expected: access.csrf) else { return .response(again) }
        guard access.responseID == nil, let invitation = access.invitation else { return .response(again) }
        guard let published = try latestQuestionnaire(access.questionnaireID) else { return .response(notFound(language: "en")) }
        let lang = language(request, available: published.questionnaire.languages)
        let origin = ResponseOrigin(mode: .web, language: lang, invitationID: invitation.id)
        let token = access.token
        return .write(WebWrite(work: { store in
            // A second click (or tab) finds the response the first one created.
            if try store.invitation(token: token)?.responseID == nil {
                _ = try store.startResponse(versionID: published.versionID, origin: origin)
            }
        }, committed: { [self] _ in
            respondents.forget(token)
        }, reply: { [self] result in
            result.error.map { failure($0, request: request, language: lang) } ?? again
        }))
    }

    private func reachable(_ question: Question, _ loaded: LoadedResponse) -> Bool {
        loaded.interview.isReachable(question.id, answers: loaded.answers)
    }

    private func showQuestion(_ request: HTTPRequest, _ access: RespondentAccess, _ loaded: LoadedResponse?, questionID: String) -> HTTPResponse {
        guard let loaded else { return WebResponses.redirect("/s/\(access.token)") }
        if loaded.stored.isComplete { return alreadyCompleted(request, loaded) }
        guard let question = loaded.questionnaire.question(questionID), reachable(question, loaded) else {
            return WebResponses.redirect("/s/\(access.token)")
        }
        return questionPage(request, access, loaded, question, values: .init(loaded.answers[questionID]), error: nil)
    }

    /// A question page. Without an error or notice (an ordinary view) it comes from a template
    /// shared by every respondent whose page differs only in its tokens (see `PageTemplates`).
    func questionPage(_ request: HTTPRequest, _ access: RespondentAccess, _ loaded: LoadedResponse, _ question: Question,
                      values: QuestionPage.FieldValues, error: String?, notice: String? = nil, status: HTTPStatus = .ok) -> HTTPResponse {
        let facts = QuestionPageFacts(loaded, question, values: values, changing: request.queryItems["change"] == "1")
        let html: [UInt8]
        if error == nil && notice == nil && templates.isEnabled {
            let key = PageTemplates.Key(versionID: loaded.stored.questionnaireVersionID, facts: facts)
            html = templates.page(key, token: access.token, csrf: access.csrf) { [self] in
                render(facts, loaded, error: nil, notice: nil, token: templates.tokenPlaceholder, csrf: templates.csrfPlaceholder)
            }
        } else {
            html = render(facts, loaded, error: error, notice: notice, token: access.token, csrf: access.csrf)
        }
        var response = WebResponses.page(bytes: html, status: status, cookies: languageCookie(request, loaded.interview.language))
        if status == .serviceUnavailable { response.headers.append(("Retry-After", "30")) }
        return response
    }

    /// A question page's bytes, with `token` in its links and `csrf` in its form.
    private func render(_ facts: QuestionPageFacts, _ loaded: LoadedResponse, error: String?, notice: String?, token: String, csrf: String) -> [UInt8] {
        let back: String
        switch facts.back {
        case .check: back = "/s/\(token)/check"
        case .entry: back = "/s/\(token)"
        case .question(let position): back = location(token, position)
        }
        let path = "/s/\(token)/q/\(facts.question.id)"
        let form = QuestionPage(interview: loaded.interview, question: facts.question, heading: facts.heading, hint: facts.hint,
                                submitted: facts.values, error: error, action: path + (facts.changing ? "?change=1" : ""), csrf: csrf, notice: notice)
        let layout = layout(facts.heading, loaded.questionnaire, loaded.interview.language, path: path, back: back, error: error != nil)
        return layout.page { form.write(to: &$0) }
    }

    private func answerQuestion(_ request: HTTPRequest, _ access: RespondentAccess, _ loaded: LoadedResponse?, questionID: String) -> WebOutcome {
        guard access.responseID != nil, let loaded else { return .response(WebResponses.redirect("/s/\(access.token)")) }
        if loaded.stored.isComplete { return .response(alreadyCompleted(request, loaded, status: .conflict)) }
        guard let question = loaded.questionnaire.question(questionID), reachable(question, loaded) else {
            return .response(WebResponses.redirect("/s/\(access.token)"))
        }
        let form = request.formValues
        let values = FormAnswer.fieldValues(form)
        guard validCSRF(form, expected: access.csrf) else {
            return .response(questionPage(request, access, loaded, question, values: values, error: nil, notice: UIText(language: loaded.interview.language).expired, status: .forbidden))
        }
        let changing = request.queryItems["change"] == "1"
        let state = InterviewState(answers: loaded.answers, position: .question(questionID), changing: changing)
        let result = FormAnswer.value(form, for: question, interview: loaded.interview).flatMap { loaded.interview.answer($0, in: state) }
        switch result {
        case .failure(let problem):
            return .response(questionPage(request, access, loaded, question, values: values, error: problem.message))
        case .success(let next):
            return save(next, complete: false, access, loaded) { [self] error in
                guard let error else { return WebResponses.redirect(location(access.token, next.position, changing: next.changing)) }
                if Self.isStale(error) {
                    // Saved elsewhere meanwhile (another tab, an interviewer): show the latest state.
                    return WebResponses.redirect("/s/\(access.token)")
                }
                configuration.log("could not save an answer: \(error)")
                return questionPage(request, access, loaded, question, values: values, error: nil,
                                    notice: UIText(language: loaded.interview.language).saveFailed, status: .serviceUnavailable)
            }
        }
    }

    private func showCheck(_ request: HTTPRequest, _ access: RespondentAccess, _ loaded: LoadedResponse?, error: String?) -> HTTPResponse {
        guard let loaded else { return WebResponses.redirect("/s/\(access.token)") }
        if loaded.stored.isComplete { return alreadyCompleted(request, loaded) }
        let state = InterviewState(answers: loaded.answers, position: .review)
        if let missing = loaded.interview.visibleQuestions(loaded.answers).first(where: { !$0.isNote && $0.required && loaded.answers[$0.id] == nil }) {
            return WebResponses.redirect(location(access.token, .question(missing.id)))
        }
        let items = loaded.interview.summary(state).map { ($0, "/s/\(access.token)/q/\($0.questionID)?change=1") }
        let lang = loaded.interview.language
        let content = RespondentPages.check(items, language: lang, action: "/s/\(access.token)/check", csrf: access.csrf, error: error)
        let back = loaded.interview.back(state).position
        return WebResponses.page(layout(UIText(language: lang).checkTitle, loaded.questionnaire, lang, request: request,
                                        back: location(access.token, back), error: error != nil).render(content),
                                 cookies: languageCookie(request, lang))
    }

    private func submit(_ request: HTTPRequest, _ access: RespondentAccess, _ loaded: LoadedResponse?) -> WebOutcome {
        guard access.responseID != nil, let loaded else { return .response(WebResponses.redirect("/s/\(access.token)")) }
        if loaded.stored.isComplete { return .response(alreadyCompleted(request, loaded, status: .conflict)) }
        guard validCSRF(request.formValues, expected: access.csrf) else { return .response(WebResponses.redirect("/s/\(access.token)/check")) }
        switch loaded.interview.submit(InterviewState(answers: loaded.answers, position: .review)) {
        case .failure(let problem):
            return .response(WebResponses.redirect(location(access.token, .question(problem.questionID))))
        case .success(let submitted):
            return save(submitted, complete: true, access, loaded) { [self] error in
                switch error {
                case nil: return WebResponses.redirect("/s/\(access.token)/done")
                case SurveyStoreError.responseAlreadyComplete?: return alreadyCompleted(request, loaded, status: .conflict)
                case let error? where Self.isStale(error): return WebResponses.redirect("/s/\(access.token)")
                case let error?:
                    configuration.log("could not submit a response: \(error)")
                    return serviceProblem(status: .serviceUnavailable, language: loaded.interview.language)
                }
            }
        }
    }

    private func showDone(_ request: HTTPRequest, _ access: RespondentAccess, _ loaded: LoadedResponse?) -> HTTPResponse {
        guard let loaded else { return WebResponses.redirect("/s/\(access.token)") }
        guard loaded.stored.isComplete else { return WebResponses.redirect("/s/\(access.token)") }
        let lang = loaded.interview.language
        let page = layout(UIText(language: lang).thankYou, loaded.questionnaire, lang, request: request)
        return WebResponses.page(page.render(RespondentPages.done(language: lang, already: false)), cookies: languageCookie(request, lang))
    }

    /// The write that saves `state` from the revision the respondent's page was read at (so it
    /// never overwrites a save made meanwhile), keeps the cache current, and answers with `then`.
    private func save(_ state: InterviewState, complete: Bool, _ access: RespondentAccess, _ loaded: LoadedResponse,
                      then: @escaping @Sendable ((any Error)?) -> HTTPResponse) -> WebOutcome {
        let questionnaire = loaded.questionnaire
        let previous = loaded.stored
        return .write(WebWrite(work: { store in
            try store.save(state, over: previous, questionnaire: questionnaire, complete: complete)
        }, selfContained: true, committed: { [self] result in
            remember(result, access: access)
        }, reply: { then($0.error) }))
    }

    /// Keeps the cache current after a save: runs on the writer thread once the batch has
    /// committed (or failed, when what is stored is left for the next read to find).
    private func remember(_ result: Result<StoredResponse, any Error>, access: RespondentAccess) {
        switch result {
        case .success(let stored): respondents.committed(stored, access: access, now: now())
        case .failure: respondents.forget(access.token)
        }
    }

    /// True when a save failed because the response moved on since the page was read (saved
    /// elsewhere, or completed): nothing was written, and the respondent should see the latest state.
    static func isStale(_ error: any Error) -> Bool {
        switch error as? SurveyStoreError {
        case .responseChanged?, .responseAlreadyComplete?: return true
        default: return false
        }
    }
}
