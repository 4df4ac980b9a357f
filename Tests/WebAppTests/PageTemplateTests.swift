import Foundation
import XCTest
import HTTP
import SurveyEngine
@testable import WebApp

/// Question pages served from templates must be exactly the pages the renderer makes, and each
/// respondent's page must carry that respondent's tokens and nobody else's.
final class PageTemplateTests: XCTestCase {
    var fixture: WebFixture!

    override func setUpWithError() throws { fixture = try WebFixture() }
    override func tearDown() { fixture.stop() }

    /// The same database served without templates: the reference renderer. It reads every page
    /// view from the database (its cache would not see the served app's writes for a while).
    private func renderingApp() throws -> CanvassWebApp {
        var configuration = WebAppConfiguration(databasePath: fixture.dbPath)
        configuration.pageTemplates = 0
        configuration.respondentCacheSeconds = 0
        return try CanvassWebApp(configuration: configuration)
    }

    private func request(_ path: String, cookies: [String: String]) -> HTTPRequest {
        var text = "GET \(path) HTTP/1.1\r\nHost: localhost\r\n"
        if !cookies.isEmpty { text += "Cookie: " + cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") + "\r\n" }
        var parser = HTTPRequestParser()
        parser.append(Array((text + "\r\n").utf8))
        guard case .request(let request) = parser.next() else { preconditionFailure("test request did not parse") }
        return request
    }

    /// A valid answer for whatever the page asks, read from its form as a person would.
    private func answer(for body: String) -> [(String, String)] {
        if body.contains("name=\"answer-day\"") { return [("answer-day", "1"), ("answer-month", "2"), ("answer-year", "2025")] }
        if body.contains("inputmode=\"decimal\"") { return [("answer", "2")] }
        if let range = body.range(of: "name=\"answer\" type=\"radio\" value=\"") ?? body.range(of: "name=\"answer\" type=\"checkbox\" value=\"") {
            return [("answer", String(body[range.upperBound...].prefix { $0 != "\"" }))]
        }
        return [("answer", "Hoxton & <Shoreditch>")]
    }

    /// Walks a whole questionnaire; on every question page (also when changing an answer and in
    /// every language) compares the served page with the reference rendering, byte for byte.
    private func assertEveryPageMatchesTheRenderer(_ questionnaire: String, language: String?) throws {
        let reference = try renderingApp()
        defer { reference.shutdown() }
        let token = try fixture.invite(questionnaire, caseRef: "T-\(questionnaire)-\(language ?? "en")")
        let client = TestClient(port: fixture.server.port)
        let csrf = try XCTUnwrap(try client.get("/s/\(token)" + (language.map { "?lang=\($0)" } ?? "")).csrf)
        var page = try client.post("/s/\(token)/start", [("csrf", csrf)])
        var location = TestClient.path(try client.get(TestClient.path(page.location)).location)
        var compared = 0
        while location.contains("/q/") {
            // Before answering, while changing the answer, and again once answered (the answer
            // shows, checked or typed in).
            for variant in [location, location + "?change=1", location + "?again"] {
                if variant.hasSuffix("?again") {
                    page = try client.post(location, [("csrf", csrf)] + answer(for: try client.get(location).body))
                    XCTAssertEqual(page.status, 303, "\(location): \(page.body.prefix(300))")
                }
                let served = try client.get(variant)
                let rendered = reference.handle(request(variant, cookies: client.cookies))
                XCTAssertEqual(served.status, 200, variant)
                XCTAssertEqual(rendered.status.code, 200, "\(variant) \(rendered.headers)")
                XCTAssertEqual(served.body, String(decoding: rendered.body, as: UTF8.self), "\(variant) differs from the renderer's page")
                XCTAssertTrue(served.body.contains("action=\"/s/\(token)/q/"), "the respondent's own link token")
                XCTAssertEqual(served.csrf, csrf)
                compared += 1
            }
            location = TestClient.path(page.location)
        }
        XCTAssertEqual(location, "/s/\(token)/check")
        XCTAssertGreaterThanOrEqual(compared, 8, "walked the questionnaire")
    }

    func testVictimSatisfactionPagesAreTheRenderersPages() throws {
        try assertEveryPageMatchesTheRenderer("asb-victim-satisfaction", language: nil)
        XCTAssertGreaterThan(fixture.app.templates.count, 10)
    }

    func testWelshPollPagesAreTheRenderersPages() throws {
        try assertEveryPageMatchesTheRenderer("rapid-poll-local-asb", language: "cy")
        try assertEveryPageMatchesTheRenderer("rapid-poll-local-asb", language: nil)
    }

    func testRespondentsShareATemplateButSeeOnlyTheirOwnTokens() throws {
        let first = try fixture.startedRespondent()
        let second = try fixture.startedRespondent()
        let a = try first.client.get("/s/\(first.token)/q/asb_problem")
        let b = try second.client.get("/s/\(second.token)/q/asb_problem")
        XCTAssertEqual(fixture.app.templates.count, 1, "one page shape, one template")
        XCTAssertTrue(a.body.contains(first.token) && a.body.contains(first.csrf))
        XCTAssertTrue(b.body.contains(second.token) && b.body.contains(second.csrf))
        XCTAssertFalse(a.body.contains(second.token) || a.body.contains(second.csrf))
        XCTAssertFalse(b.body.contains(first.token) || b.body.contains(first.csrf))
        for placeholder in [fixture.app.templates.tokenPlaceholder, fixture.app.templates.csrfPlaceholder] {
            XCTAssertFalse(a.body.contains(placeholder) || b.body.contains(placeholder))
        }
        let swapped = a.body.replacingOccurrences(of: first.token, with: second.token).replacingOccurrences(of: first.csrf, with: second.csrf)
        XCTAssertEqual(swapped, b.body, "the pages differ only in their tokens")
    }

    /// A questionnaire where, for each thing a template is keyed on, two respondents' pages
    /// differ in that alone: the question (`more_home`/`more_street`), the back link (`how`), the
    /// piped hint (`feel`), the piped heading (`last`), the language and the questionnaire version
    /// (`ward`, whose label is the same in Welsh and whose choices change in version 1.1).
    private func pipedQuestionnaire(version: String, north: String) -> String {
        """
        {"id": "piped", "version": "\(version)", "languages": ["en", "cy"], "title": {"en": "Piped", "cy": "Piped"}, "questions": [
          {"id": "where", "type": "single", "label": {"en": "Where?", "cy": "Ble?"},
           "choices": [{"code": "home", "label": {"en": "Home", "cy": "Cartref"}}, {"code": "street", "label": {"en": "Street", "cy": "Stryd"}}]},
          {"id": "more_home", "type": "text", "showIf": "${where} = 'home'", "label": {"en": "Tell us more", "cy": "Dywedwch fwy"}},
          {"id": "more_street", "type": "text", "showIf": "${where} = 'street'", "label": {"en": "Tell us more", "cy": "Dywedwch fwy"}},
          {"id": "how", "type": "text", "label": {"en": "How safe?", "cy": "Pa mor ddiogel?"}},
          {"id": "feel", "type": "text", "label": {"en": "Feel?", "cy": "Teimlo?"}, "hint": {"en": "Thinking of ${where}.", "cy": "Meddwl am ${where}."}},
          {"id": "last", "type": "text", "label": {"en": "Anything else about ${where}?", "cy": "Unrhyw beth arall am ${where}?"}},
          {"id": "ward", "type": "single", "label": {"en": "Ward", "cy": "Ward"},
           "choices": [{"code": "n", "label": {"en": "\(north)", "cy": "Gogledd"}}, {"code": "s", "label": {"en": "South", "cy": "De"}}]}]}
        """
    }

    private func publish(_ json: String) throws {
        let folder = fixture.directory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("piped.json")
        try json.write(to: file, atomically: true, encoding: .utf8)
        _ = try fixture.store.publish(try QuestionnaireLoader.load(path: file.path))
    }

    func testPagesThatDifferInAnyOneFactAreEachTheRenderersPage() throws {
        try publish(pipedQuestionnaire(version: "1.0", north: "North"))
        let reference = try renderingApp()
        defer { reference.shutdown() }
        let home = [("where", "home"), ("more_home", "x"), ("how", "x"), ("feel", "x"), ("last", "x")]
        let street = [("where", "street"), ("more_street", "x"), ("how", "x"), ("feel", "x"), ("last", "x")]
        let respondents: [(route: [(String, String)], language: String?, newVersion: Bool)] = [
            (home, nil, false), (street, nil, false), (home, "cy", false), (home, nil, true),
        ]
        var clients: [(TestClient, String, String)] = []
        for (index, respondent) in respondents.enumerated() {
            if respondent.newVersion { try publish(pipedQuestionnaire(version: "1.1", north: "North ward")) }
            let token = try fixture.invite("piped", caseRef: "P\(index)")
            let client = TestClient(port: fixture.server.port)
            let csrf = try XCTUnwrap(try client.get("/s/\(token)" + (respondent.language.map { "?lang=\($0)" } ?? "")).csrf)
            XCTAssertEqual(try client.post("/s/\(token)/start", [("csrf", csrf)]).status, 303)
            clients.append((client, token, csrf))
        }
        var pages: [[String]] = []
        for ((client, token, csrf), respondent) in zip(clients, respondents) {
            var seen: [String] = []
            for (question, answer) in respondent.route + [("ward", "n")] {
                let path = "/s/\(token)/q/\(question)"
                let served = try client.get(path)
                XCTAssertEqual(served.body, String(decoding: reference.handle(request(path, cookies: client.cookies)).body, as: UTF8.self),
                               "\(question) for respondent \(pages.count)")
                seen.append(served.body)
                XCTAssertEqual(try client.post(path, [("csrf", csrf), ("answer", answer)]).status, 303, question)
            }
            pages.append(seen)
        }
        XCTAssertTrue(pages[0][4].contains("Anything else about Home?") && pages[1][4].contains("Anything else about Street?"))
        XCTAssertTrue(pages[0][2].contains("/q/more_home\" class=\"back-link\"") && pages[1][2].contains("/q/more_street\" class=\"back-link\""))
        XCTAssertTrue(pages[2][5].contains("Gogledd") && pages[3][5].contains("North ward") && pages[0][5].contains(">North<"))
    }

    func testTemplateIsCutAtEveryPlaceholder() {
        let page = Array("TTab<TT>cCcC>T".utf8)
        let template = PageTemplate(page, token: Array("TT".utf8), csrf: Array("cC".utf8))
        XCTAssertEqual(template.holes.map(\.hole), [.token, .token, .csrf, .csrf])
        XCTAssertEqual(template.holes.map(\.offset), [0, 3, 4, 4])
        XCTAssertEqual(String(decoding: template.bytes, as: UTF8.self), "ab<>>T")
        XCTAssertEqual(String(decoding: template.filled(token: "1234", csrf: "z"), as: UTF8.self), "1234ab<1234>zz>T")
    }

    func testTheStoreIsBounded() {
        let store = PageTemplates(capacity: 2)
        var renders = 0
        for id in ["a", "b", "c", "a"] {
            let key = PageTemplates.Key(versionID: 1, questionID: id, language: "en", changing: false, back: .entry, heading: id, hint: nil, values: .init())
            let page = store.page(key, token: "tok", csrf: "cs") {
                renders += 1
                return Array("\(id) \(store.tokenPlaceholder) \(store.csrfPlaceholder)".utf8)
            }
            XCTAssertEqual(String(decoding: page, as: UTF8.self), "\(id) tok cs")
            XCTAssertLessThanOrEqual(store.count, 2)
        }
        XCTAssertEqual(renders, 4, "'a' was dropped when the full store started again")
    }
    /// Headings (or hints) of the same length hash alike; they must still get their own templates.
    func testTextsOfTheSameLengthKeepTheirOwnTemplates() {
        let store = PageTemplates(capacity: 8)
        var renders = 0
        for (heading, hint) in [("About Alpha", "in Alpha"), ("About Bravo", "in Alpha"), ("About Alpha", "in Bravo"), ("About Alpha", "in Alpha")] {
            let key = PageTemplates.Key(versionID: 1, questionID: "q", language: "en", changing: false, back: .entry,
                                        heading: heading, hint: hint, values: .init())
            let page = store.page(key, token: "tok", csrf: "cs") {
                renders += 1
                return Array("\(heading) / \(hint) \(store.tokenPlaceholder)".utf8)
            }
            XCTAssertEqual(String(decoding: page, as: UTF8.self), "\(heading) / \(hint) tok")
        }
        XCTAssertEqual(renders, 3, "three different pages; the fourth is the first again")
    }
}
