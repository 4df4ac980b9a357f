import CSV
import Hashing
import Insight
import Reports
import SurveyEngine
import HTTP
import JSON
import SurveyStore
import Markup

extension CanvassWebApp {
    /// True when the request carries the analyst secret (`Authorization: Bearer …`) or a signed-in cookie.
    func isAnalyst(_ request: HTTPRequest) -> Bool {
        if let header = request.header("Authorization"), header.hasPrefix("Bearer ") {
            return Hex.constantTimeEqual(SHA256.hex(String(header.dropFirst(7))), analystSecretDigest)
        }
        guard let session = request.cookies["canvass_analyst"], SurveyStore.isWellFormedToken(session) else { return false }
        let digest = SHA256.hex(session)
        sessionLock.lock()
        defer { sessionLock.unlock() }
        guard let expires = analystSessions[digest] else { return false }
        if expires < now() {
            analystSessions[digest] = nil
            return false
        }
        return true
    }

    /// `/analyst` (dashboard or sign-in form), `/analyst/login`, `/analyst/logout`.
    func analyst(_ request: HTTPRequest, action: String?, store: SurveyStore) throws -> HTTPResponse {
        switch action {
        case "login": return login(request)
        case "logout":
            if let session = request.cookies["canvass_analyst"] {
                sessionLock.lock()
                analystSessions[SHA256.hex(session)] = nil
                sessionLock.unlock()
            }
            return WebResponses.redirect("/analyst", cookies: [WebResponses.cookie("canvass_analyst", "", maxAge: 0, secure: configuration.secureCookies, sameSite: "Strict")])
        default:
            guard isAnalyst(request) else { return loginPage(request, error: nil) }
            return try dashboard(request, store: store)
        }
    }

    private func login(_ request: HTTPRequest) -> HTTPResponse {
        let form = request.formValues
        guard let cookieToken = request.cookies["canvass_csrf"], validCSRF(form, expected: cookieToken) else {
            return loginPage(request, error: "This page has expired. Enter the secret again.")
        }
        guard loginLimiter.allow(clientAddress(request), now: now()) else {
            var response = loginPage(request, error: "Too many attempts. Wait a minute and try again.", status: .tooManyRequests)
            response.headers.append(("Retry-After", "60"))
            return response
        }
        let secret = form.first { $0.name == "secret" }?.value ?? ""
        guard Hex.constantTimeEqual(SHA256.hex(secret), analystSecretDigest) else {
            configuration.log("\(clientAddress(request)) analyst sign-in refused")
            auditSignIn(request, detail: "refused: wrong secret")
            return loginPage(request, error: "The secret is not right. It was printed when the server first started.", status: .unauthorized)
        }
        auditSignIn(request, detail: "signed in")
        let session = RandomToken.hex()
        sessionLock.lock()
        analystSessions[SHA256.hex(session)] = now() + configuration.analystSessionSeconds
        sessionLock.unlock()
        let cookie = WebResponses.cookie("canvass_analyst", session, maxAge: Int(configuration.analystSessionSeconds), secure: configuration.secureCookies, sameSite: "Strict")
        return WebResponses.redirect("/analyst", cookies: [cookie])
    }

    /// Records a sign-in attempt in the audit log through the writer (this runs on the read-only
    /// analysis lane); a failure to record it is logged.
    private func auditSignIn(_ request: HTTPRequest, detail: String) {
        let actor = "analyst from \(clientAddress(request))"
        let log = configuration.log
        writer.submit({ store in try store.recordAudit(.analystSignIn, actor: actor, subject: "analyst pages", detail: detail) }) { result in
            if case .failure(let error) = result { log("audit log: could not record a sign-in: \(error)") }
        }
    }

    private func loginPage(_ request: HTTPRequest, error: String?, status: HTTPStatus = .ok) -> HTTPResponse {
        let (csrfToken, cookies) = doubleSubmitToken(request)
        let layout = PageLayout(title: "Sign in", serviceName: "Canvass analysis", language: "en", hasError: error != nil)
        let page = layout.render { html in
            if let error {
                html.raw("<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\" tabindex=\"-1\"><h2 id=\"error-summary-title\">There is a problem</h2><ul><li>")
                html.element("a", ["href": "#secret"], text: error)
                html.raw("</li></ul></div>\n")
            }
            html.raw("<h1>Sign in to Canvass analysis</h1>\n<form method=\"post\" action=\"/analyst/login\" novalidate>\n")
            RespondentPages.hiddenField(&html, "csrf", csrfToken)
            html.raw(error != nil ? "<div class=\"form-group form-group--error\">\n" : "<div class=\"form-group\">\n")
            html.raw("<label class=\"label\" for=\"secret\">Analyst secret</label>\n<div id=\"secret-hint\" class=\"hint\">Printed once when the server first started.</div>\n")
            html.raw(error != nil ? "<input class=\"input input--error\"" : "<input class=\"input\"")
            html.raw(" id=\"secret\" name=\"secret\" type=\"password\" autocomplete=\"current-password\" aria-describedby=\"secret-hint\">\n</div>\n")
            html.raw("<button type=\"submit\" class=\"button\">Sign in</button>\n</form>")
        }
        return WebResponses.page(page, status: status, cookies: cookies)
    }

    private func counts(_ store: SurveyStore) throws -> [(questionnaire: String, complete: Int, partial: Int)] {
        let rows = try store.responseCounts()
        var result: [(questionnaire: String, complete: Int, partial: Int)] = []
        for row in rows {
            if let index = result.firstIndex(where: { $0.questionnaire == row.questionnaire }) {
                if row.status == .complete { result[index].complete += row.count } else { result[index].partial += row.count }
            } else {
                result.append((row.questionnaire, row.status == .complete ? row.count : 0, row.status == .complete ? 0 : row.count))
            }
        }
        return result
    }

    private func dashboard(_ request: HTTPRequest, store: SurveyStore) throws -> HTTPResponse {
        var query = ComparisonQuery(request)
        // Everything but the sign-out button is figures: rendered once per query and kept until
        // the analysis data changes (`FigureCache`).
        let body = try figures.value("dashboard\u{0}" + query.queryString + "\u{0}" + (query.problem ?? ""), store: store) {
            var html = HTMLWriter(capacity: 64 * 1024)
            let rows = try counts(store)
            let found = try comparison(&query, store: store, candidates: rows.map(\.questionnaire))
            writeComparison(&html, query, found)
            // The polls depend on the period's start alone: kept apart, so that another measure
            // in the same period does not count them again (they are most of a page's time).
            let polls = rows.filter { $0.complete > 0 }.map(\.questionnaire), from = found?.period?.from
            html.raw(try figures.value("polls\u{0}" + (from ?? "") + "\u{0}" + polls.joined(separator: "\u{0}"), store: store) {
                var section = HTMLWriter(capacity: 16 * 1024)
                try writePolls(&section, store: store, questionnaires: polls, from: from)
                return section.string
            })
            html.raw("<h2>Responses</h2>\n<table class=\"table\">\n<caption class=\"visually-hidden\">Responses per questionnaire</caption>\n")
            html.raw("<thead><tr><th scope=\"col\">Questionnaire</th><th scope=\"col\" class=\"numeric\">Complete</th><th scope=\"col\" class=\"numeric\">Partial</th></tr></thead>\n<tbody>\n")
            for row in rows {
                html.raw("<tr>")
                html.element("td", text: row.questionnaire)
                html.element("td", ["class": "numeric"], text: String(row.complete))
                html.element("td", ["class": "numeric"], text: String(row.partial))
                html.raw("</tr>\n")
            }
            html.raw("</tbody>\n</table>\n<p>Measures, trends and reports: <code>canvass measures</code>, <code>canvass trend</code> and <code>canvass report</code>; JSON: <a href=\"/api/responses/counts\">/api/responses/counts</a>.</p>\n")
            return html.string
        }
        var layout = PageLayout(title: "Analysis", serviceName: "Canvass analysis", language: "en")
        layout.wide = true
        let page = layout.render { html in
            html.raw("<h1>Analysis</h1>\n")
            html.raw(body)
            html.raw("<form method=\"post\" action=\"/analyst/logout\"><button type=\"submit\" class=\"button\">Sign out</button></form>")
        }
        return WebResponses.page(page)
    }

    /// The rapid polls' tallies: each poll questionnaire and single-choice question, by ward,
    /// the questions and wards in the order the dashboard shows them.
    private func pollTallies(_ store: SurveyStore, questionnaires: [String], from: String?) throws -> [(poll: Questionnaire, tally: PollTally)] {
        var result: [(poll: Questionnaire, tally: PollTally)] = []
        for id in Set(questionnaires).sorted() {
            guard let published = try? store.latest(id), published.questionnaire.measures.isEmpty else { continue }
            let poll = published.questionnaire
            let questions = poll.questions.filter { $0.type == .single || $0.type == .yesno }
            let counts = try store.choiceCountsByWard(questionnaireID: poll.id, questions: questions.map { ($0.id, $0.choices.map(\.code)) }, from: from)
            for question in questions {
                let tally = PollTally(question: question, counts: counts[question.id] ?? [], suppressBelow: 10)
                if !tally.wards.isEmpty { result.append((poll, tally)) }
            }
        }
        return result
    }

    /// `GET /analyst/polls.csv[?from=D]`: the poll results the dashboard shows, one line per poll,
    /// question, ward and choice (`poll,question,ward,answers,choice,share`), suppressed wards
    /// with empty figures.
    func pollsCSV(_ request: HTTPRequest, store: SurveyStore) throws -> HTTPResponse {
        guard isAnalyst(request) else { return WebResponses.redirect("/analyst") }
        let from = request.queryItems["from"].flatMap { $0.isEmpty ? nil : $0 }
        if let from, !DateText.isValidISODate(from) {
            return HTTPResponse(status: .badRequest, contentType: "text/plain; charset=utf-8", body: "The from date must be a real date written YYYY-MM-DD.\n")
        }
        var lines = [CSVWriter.line(["poll", "question", "ward", "answers", "choice", "share"])]
        for (poll, tally) in try pollTallies(store, questionnaires: try counts(store).filter { $0.complete > 0 }.map(\.questionnaire), from: from) {
            for ward in tally.wards {
                for (index, choice) in tally.choices.enumerated() {
                    lines.append(CSVWriter.line([poll.id, tally.questionID, ward.ward, ward.base.map(String.init) ?? "", choice.code,
                                                 ward.suppressed ? "" : JSONWriter.format(ward.shares[index])]))
                }
            }
        }
        return HTTPResponse(status: .ok, contentType: "text/csv; charset=utf-8", body: lines.joined(separator: "\n") + "\n",
                            headers: [("Content-Disposition", "attachment; filename=\"polls.csv\""), ("Cache-Control", "no-store")])
    }

    /// Rapid polls (questionnaires without measures): each single-choice question's answers by
    /// ward, as shares of the substantive answers, small wards suppressed. Read afresh on every
    /// reload once anyone has voted.
    private func writePolls(_ html: inout HTMLWriter, store: SurveyStore, questionnaires: [String], from: String?) throws {
        let tallies = try pollTallies(store, questionnaires: questionnaires, from: from)
        guard !tallies.isEmpty else { return }
        html.raw("<h2>Rapid polls by ward</h2>\n")
        html.element("p", text: from.map { "Answers since \($0). Reload the page for the latest." } ?? "All answers so far. Reload the page for the latest.")
        html.raw("<p>")
        html.open("a", ["href": "/analyst/polls.csv" + (from.map { "?from=\($0)" } ?? "")])
        html.text("Download the poll results as CSV")
        html.raw("</a></p>\n")
        var shownPoll: String?
        for (poll, tally) in tallies {
            if shownPoll != poll.id {
                html.element("h3", text: poll.title.text())
                shownPoll = poll.id
            }
            html.raw("<table class=\"table\">\n")
            html.element("caption", text: tally.questionLabel)
            html.raw("<thead><tr><th scope=\"col\">Ward</th><th scope=\"col\" class=\"numeric\">Answers</th>")
            for choice in tally.choices { html.element("th", ["scope": "col", "class": "numeric"], text: choice.label) }
            html.raw("</tr></thead>\n<tbody>\n")
            for ward in tally.wards {
                html.raw("<tr>")
                html.element("th", ["scope": "row"], text: ward.ward)
                // Six hundred wards a table: the cells' markup is written once, their text escaped.
                func cell(_ text: String) {
                    html.raw("<td class=\"numeric\">")
                    html.text(text)
                    html.raw("</td>")
                }
                if ward.suppressed {
                    cell("fewer than 10")
                    for _ in tally.choices { cell("suppressed") }
                } else {
                    cell(String(ward.base ?? 0))
                    for share in ward.shares { cell(MeasureReport.percent(share, decimals: 0)) }
                }
                html.raw("</tr>\n")
            }
            html.raw("</tbody>\n</table>\n")
        }
    }

    /// `GET /api/responses/counts`: `{"questionnaires": [{"questionnaire", "complete", "partial"}]}`.
    func apiCounts(_ request: HTTPRequest, store: SurveyStore) throws -> HTTPResponse {
        guard isAnalyst(request) else {
            var response = WebResponses.json("{\"error\": \"analyst secret required (Authorization: Bearer …)\"}\n", status: .unauthorized)
            response.headers.append(("WWW-Authenticate", "Bearer"))
            return response
        }
        let rows = try counts(store).map { row in
            JSONValue.object([JSONMember("questionnaire", .string(row.questionnaire)), JSONMember("complete", .number(Double(row.complete))),
                              JSONMember("partial", .number(Double(row.partial)))])
        }
        return WebResponses.json(JSONWriter(pretty: true).string(.object([JSONMember("questionnaires", .array(rows))])) + "\n")
    }
}
