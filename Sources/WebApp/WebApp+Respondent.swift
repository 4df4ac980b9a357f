import HTTP
import SurveyEngine
import SurveyStore

/// What a `/s/<token>` link gives access to.
struct RespondentAccess {
    var token: String
    var invitation: Invitation?
    var responseID: Int64?
    var questionnaireID: String
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
        if get, let response = try readers.with({ store in
            // Every GET reads in one borrowed connection and one snapshot.
            try store.connection.read { try respondentPage(request, token: token, rest: rest, store: store) }
        }) {
            return .response(response)
        }
        // POSTs read what they need in one snapshot, then wait for the writer without holding it.
        let (resolved, loaded) = try readers.with { store in
            try store.connection.read { () throws -> (RespondentAccess?, LoadedResponse?) in
                let access = try resolve(token, store: store)
                return (access, try access?.responseID.map { try load($0, request: request, store: store) })
            }
        }
        guard let access = resolved else { return .response(notFound(language: language(request, available: ["en", "cy"]))) }
        switch (rest.first, rest.count, get, post) {
        case ("start", 1, _, true): return try start(request, access)
        case ("q", 2, _, true): return answerQuestion(request, access, loaded, questionID: rest[1])
        case ("check", 1, _, true): return submit(request, access, loaded)
        case (nil, 0, _, _), ("start", 1, _, _), ("q", 2, _, _), ("check", 1, _, _), ("done", 1, _, _):
            return .response(HTTPResponse(status: .methodNotAllowed, headers: [("Allow", rest.first == "start" ? "POST" : rest.first == "done" || rest.isEmpty ? "GET, HEAD" : "GET, HEAD, POST")]))
        default:
            return .response(notFound(language: language(request, available: ["en", "cy"])))
        }
    }

    /// The GET pages (nil for anything else), reading through `store`.
    private func respondentPage(_ request: HTTPRequest, token: String, rest: [String], store: SurveyStore) throws -> HTTPResponse? {
        guard let access = try resolve(token, store: store) else { return notFound(language: language(request, available: ["en", "cy"])) }
        switch (rest.first, rest.count) {
        case (nil, 0): return try entry(request, access, store: store)
        case ("q", 2): return try showQuestion(request, access, questionID: rest[1], store: store)
        case ("check", 1): return try showCheck(request, access, error: nil, store: store)
        case ("done", 1): return try showDone(request, access, store: store)
        default: return nil
        }
    }

    /// Finds the invitation or poll session behind a token.
    func resolve(_ token: String) throws -> RespondentAccess? {
        try readers.with { store in try resolve(token, store: store) }
    }

    func resolve(_ token: String, store: SurveyStore) throws -> RespondentAccess? {
        guard SurveyStore.isWellFormedToken(token) else { return nil }
        if let invitation = try store.invitation(token: token) {
            return RespondentAccess(token: token, invitation: invitation, responseID: invitation.responseID, questionnaireID: invitation.questionnaireID)
        }
        guard let responseID = try store.responseID(sessionToken: token) else { return nil }
        let stored = try store.response(responseID)
        let questionnaire = try self.questionnaire(versionID: stored.questionnaireVersionID, store: store)
        return RespondentAccess(token: token, invitation: nil, responseID: responseID, questionnaireID: questionnaire.id)
    }

    func load(_ responseID: Int64, request: HTTPRequest, store: SurveyStore) throws -> LoadedResponse {
        let stored = try store.response(responseID)
        let questionnaire = try self.questionnaire(versionID: stored.questionnaireVersionID, store: store)
        let lang = language(request, available: questionnaire.languages, stored: stored.language)
        let interview = Interview(questionnaire: questionnaire, language: lang, today: today())
        return LoadedResponse(stored: stored, questionnaire: questionnaire, interview: interview, answers: stored.answers(for: questionnaire))
    }

    /// The latest published questionnaire for a new response.
    func latestQuestionnaire(_ id: String) throws -> PublishedQuestionnaire? {
        try readers.with { store in try store.latest(id) }
    }

    func layout(_ title: String, _ questionnaire: Questionnaire, _ language: String, request: HTTPRequest, back: String? = nil, error: Bool = false) -> PageLayout {
        let alternates = questionnaire.languages.filter { $0 != language }.map { ($0, request.path + "?lang=" + $0) }
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

    private func entry(_ request: HTTPRequest, _ access: RespondentAccess, store: SurveyStore) throws -> HTTPResponse {
        guard let responseID = access.responseID else {
            guard let published = try store.latest(access.questionnaireID) else { return notFound(language: "en") }
            let q = published.questionnaire
            let lang = language(request, available: q.languages)
            let content = RespondentPages.start(questionnaire: q, language: lang, action: "/s/\(access.token)/start", csrf: csrf(for: access.token))
            return WebResponses.page(layout(q.title.text(lang), q, lang, request: request).render(content), cookies: languageCookie(request, lang))
        }
        let loaded = try load(responseID, request: request, store: store)
        if loaded.stored.isComplete { return alreadyCompleted(request, loaded) }
        if loaded.stored.position == "review" { return WebResponses.redirect("/s/\(access.token)/check") }
        let state = loaded.interview.resume(answers: loaded.answers, at: loaded.stored.position)
        return WebResponses.redirect(location(access.token, state.position), cookies: languageCookie(request, loaded.interview.language))
    }

    private func start(_ request: HTTPRequest, _ access: RespondentAccess) throws -> WebOutcome {
        let again = WebResponses.redirect("/s/\(access.token)")
        guard validCSRF(request.formValues, expected: csrf(for: access.token)) else { return .response(again) }
        guard access.responseID == nil, let invitation = access.invitation else { return .response(again) }
        guard let published = try latestQuestionnaire(access.questionnaireID) else { return .response(notFound(language: "en")) }
        let lang = language(request, available: published.questionnaire.languages)
        let origin = ResponseOrigin(mode: "web", language: lang, invitationID: invitation.id)
        let token = access.token
        return .write({ store in
            // A second click (or tab) finds the response the first one created.
            if try store.invitation(token: token)?.responseID == nil {
                _ = try store.startResponse(versionID: published.versionID, origin: origin)
            }
        }, then: { [self] error in
            error.map { failure($0, request: request, language: lang) } ?? again
        })
    }

    private func reachable(_ question: Question, _ loaded: LoadedResponse) -> Bool {
        let visible = loaded.interview.visibleQuestions(loaded.answers)
        guard let index = visible.firstIndex(where: { $0.id == question.id }) else { return false }
        return visible[..<index].allSatisfy { $0.isNote || !$0.required || loaded.answers[$0.id] != nil }
    }

    private func showQuestion(_ request: HTTPRequest, _ access: RespondentAccess, questionID: String, store: SurveyStore) throws -> HTTPResponse {
        guard let responseID = access.responseID else { return WebResponses.redirect("/s/\(access.token)") }
        let loaded = try load(responseID, request: request, store: store)
        if loaded.stored.isComplete { return alreadyCompleted(request, loaded) }
        guard let question = loaded.questionnaire.question(questionID), reachable(question, loaded) else {
            return WebResponses.redirect("/s/\(access.token)")
        }
        return questionPage(request, access, loaded, question, values: .init(loaded.answers[questionID]), error: nil)
    }

    func questionPage(_ request: HTTPRequest, _ access: RespondentAccess, _ loaded: LoadedResponse, _ question: Question,
                      values: QuestionPage.FieldValues, error: String?, notice: String? = nil, status: HTTPStatus = .ok) -> HTTPResponse {
        let changing = request.queryItems["change"] == "1"
        let state = InterviewState(answers: loaded.answers, position: .question(question.id))
        let back: String
        if changing {
            back = "/s/\(access.token)/check"
        } else {
            let previous = loaded.interview.back(state).position
            back = previous == state.position ? "/s/\(access.token)" : location(access.token, previous)
        }
        let page = QuestionPage(interview: loaded.interview, question: question, answers: loaded.answers, submitted: values, error: error,
                                action: "/s/\(access.token)/q/\(question.id)" + (changing ? "?change=1" : ""), csrf: csrf(for: access.token), notice: notice)
        let lang = loaded.interview.language
        let title = loaded.interview.label(question, answers: loaded.answers)
        let html = layout(title, loaded.questionnaire, lang, request: request, back: back, error: error != nil).render(page.render())
        var response = WebResponses.page(html, status: status, cookies: languageCookie(request, lang))
        if status == .serviceUnavailable { response.headers.append(("Retry-After", "30")) }
        return response
    }

    private func answerQuestion(_ request: HTTPRequest, _ access: RespondentAccess, _ loaded: LoadedResponse?, questionID: String) -> WebOutcome {
        guard let responseID = access.responseID, let loaded else { return .response(WebResponses.redirect("/s/\(access.token)")) }
        if loaded.stored.isComplete { return .response(alreadyCompleted(request, loaded, status: .conflict)) }
        guard let question = loaded.questionnaire.question(questionID), reachable(question, loaded) else {
            return .response(WebResponses.redirect("/s/\(access.token)"))
        }
        let form = request.formValues
        let values = FormAnswer.fieldValues(form)
        guard validCSRF(form, expected: csrf(for: access.token)) else {
            return .response(questionPage(request, access, loaded, question, values: values, error: nil, notice: UIText(language: loaded.interview.language).expired, status: .forbidden))
        }
        let changing = request.queryItems["change"] == "1"
        let state = InterviewState(answers: loaded.answers, position: .question(questionID), changing: changing)
        let result = FormAnswer.value(form, for: question, interview: loaded.interview).flatMap { loaded.interview.answer($0, in: state) }
        switch result {
        case .failure(let problem):
            return .response(questionPage(request, access, loaded, question, values: values, error: problem.message))
        case .success(let next):
            let questionnaire = loaded.questionnaire
            return .write({ store in
                try store.save(responseID: responseID, state: next, questionnaire: questionnaire)
            }, then: { [self] error in
                guard let error else { return WebResponses.redirect(location(access.token, next.position, changing: next.changing)) }
                configuration.log("could not save an answer: \(error)")
                return questionPage(request, access, loaded, question, values: values, error: nil,
                                    notice: UIText(language: loaded.interview.language).saveFailed, status: .serviceUnavailable)
            })
        }
    }

    private func showCheck(_ request: HTTPRequest, _ access: RespondentAccess, error: String?, store: SurveyStore) throws -> HTTPResponse {
        guard let responseID = access.responseID else { return WebResponses.redirect("/s/\(access.token)") }
        let loaded = try load(responseID, request: request, store: store)
        if loaded.stored.isComplete { return alreadyCompleted(request, loaded) }
        let state = InterviewState(answers: loaded.answers, position: .review)
        if let missing = loaded.interview.visibleQuestions(loaded.answers).first(where: { !$0.isNote && $0.required && loaded.answers[$0.id] == nil }) {
            return WebResponses.redirect(location(access.token, .question(missing.id)))
        }
        let items = loaded.interview.summary(state).map { ($0, "/s/\(access.token)/q/\($0.questionID)?change=1") }
        let lang = loaded.interview.language
        let content = RespondentPages.check(items, language: lang, action: "/s/\(access.token)/check", csrf: csrf(for: access.token), error: error)
        let back = loaded.interview.back(state).position
        return WebResponses.page(layout(UIText(language: lang).checkTitle, loaded.questionnaire, lang, request: request,
                                        back: location(access.token, back), error: error != nil).render(content),
                                 cookies: languageCookie(request, lang))
    }

    private func submit(_ request: HTTPRequest, _ access: RespondentAccess, _ loaded: LoadedResponse?) -> WebOutcome {
        guard let responseID = access.responseID, let loaded else { return .response(WebResponses.redirect("/s/\(access.token)")) }
        if loaded.stored.isComplete { return .response(alreadyCompleted(request, loaded, status: .conflict)) }
        guard validCSRF(request.formValues, expected: csrf(for: access.token)) else { return .response(WebResponses.redirect("/s/\(access.token)/check")) }
        switch loaded.interview.submit(InterviewState(answers: loaded.answers, position: .review)) {
        case .failure(let problem):
            return .response(WebResponses.redirect(location(access.token, .question(problem.questionID))))
        case .success(let submitted):
            let questionnaire = loaded.questionnaire
            return .write({ store in
                try store.save(responseID: responseID, state: submitted, questionnaire: questionnaire, complete: true)
            }, then: { [self] error in
                switch error {
                case nil: return WebResponses.redirect("/s/\(access.token)/done")
                case SurveyStoreError.responseAlreadyComplete?: return alreadyCompleted(request, loaded, status: .conflict)
                case let error?:
                    configuration.log("could not submit a response: \(error)")
                    return serviceProblem(status: .serviceUnavailable, language: loaded.interview.language)
                }
            })
        }
    }

    private func showDone(_ request: HTTPRequest, _ access: RespondentAccess, store: SurveyStore) throws -> HTTPResponse {
        guard let responseID = access.responseID else { return WebResponses.redirect("/s/\(access.token)") }
        let loaded = try load(responseID, request: request, store: store)
        guard loaded.stored.isComplete else { return WebResponses.redirect("/s/\(access.token)") }
        let lang = loaded.interview.language
        let page = layout(UIText(language: lang).thankYou, loaded.questionnaire, lang, request: request)
        return WebResponses.page(page.render(RespondentPages.done(language: lang, already: false)), cookies: languageCookie(request, lang))
    }
}
