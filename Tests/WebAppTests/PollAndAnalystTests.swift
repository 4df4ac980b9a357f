import Foundation
import XCTest
import HTTP
import SQLite
import SurveyStore
@testable import WebApp

final class PollAndAnalystTests: XCTestCase {
    var fixture: WebFixture!

    override func setUpWithError() throws { fixture = try WebFixture { $0.pollStartsPerMinute = 3; $0.loginAttemptsPerMinute = 3 } }
    override func tearDown() { fixture.stop() }

    func testPollIsOneResponsePerBrowserWithWardAndRateLimit() throws {
        let client = TestClient(port: fixture.server.port)
        var page = try client.get("/p/rapid-poll-local-asb?ward=E05009367")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.body.contains("name=\"ward\" value=\"E05009367\""))
        let csrf = try XCTUnwrap(page.csrf)
        page = try client.post("/p/rapid-poll-local-asb", [("csrf", csrf), ("ward", "E05009367")])
        XCTAssertEqual(page.status, 303)
        let session = TestClient.path(page.location)
        XCTAssertTrue(session.hasPrefix("/s/"))
        // The same browser comes back to the same response.
        page = try client.get("/p/rapid-poll-local-asb")
        XCTAssertEqual(TestClient.path(page.location), session)
        let db = try Connection(path: fixture.dbPath, mode: .readOnly)
        XCTAssertEqual(try db.scalar("SELECT ward || ':' || mode FROM responses").string, "E05009367:web")
        // Other browsers from the same address are limited (3 a minute here).
        var statuses: [Int] = []
        for _ in 0..<4 {
            let other = TestClient(port: fixture.server.port)
            let start = try other.get("/p/rapid-poll-local-asb")
            statuses.append(try other.post("/p/rapid-poll-local-asb", [("csrf", start.csrf ?? "")]).status)
        }
        XCTAssertEqual(statuses, [303, 303, 429, 429])
        XCTAssertEqual(try client.get("/p/no-such-poll").status, 404)
        // Without the CSRF cookie the form is just shown again.
        let forged = TestClient(port: fixture.server.port)
        XCTAssertEqual(try forged.post("/p/rapid-poll-local-asb", [("csrf", "x")]).location.map(TestClient.path), "/p/rapid-poll-local-asb")
    }

    func testAnalystPagesNeedTheSecret() throws {
        let secret = try XCTUnwrap(fixture.app.newAnalystSecret)
        let client = TestClient(port: fixture.server.port)
        var page = try client.get("/analyst")
        XCTAssertTrue(page.body.contains("Sign in to Canvass analysis"))
        XCTAssertEqual(try client.get("/api/responses/counts").status, 401)
        let csrf = try XCTUnwrap(page.csrf)
        page = try client.post("/analyst/login", [("csrf", csrf), ("secret", "wrong")])
        XCTAssertEqual(page.status, 401)
        page = try client.post("/analyst/login", [("csrf", csrf), ("secret", secret)])
        XCTAssertEqual(page.status, 303)
        // Both attempts are in the audit log (written through the writer, a moment later).
        var audit: [AuditEntry] = []
        for _ in 0..<100 where audit.count < 2 {
            audit = try fixture.store.auditEntries().filter { $0.action == .analystSignIn }
            if audit.count < 2 { Thread.sleep(forTimeInterval: 0.02) }
        }
        XCTAssertEqual(audit.map(\.detail), ["refused: wrong secret", "signed in"])
        XCTAssertEqual(audit.first?.actor, "analyst from 127.0.0.1")
        let cookie = try XCTUnwrap(page.cookies.first { $0.hasPrefix("canvass_analyst=") })
        XCTAssertTrue(cookie.contains("HttpOnly"))
        XCTAssertTrue(cookie.contains("SameSite=Strict"))
        page = try client.get("/analyst")
        XCTAssertTrue(page.body.contains("<th scope=\"col\">Questionnaire</th>"))
        let api = TestClient(port: fixture.server.port)
        let token = try fixture.invite()
        let respondent = TestClient(port: fixture.server.port)
        _ = try respondent.post("/s/\(token)/start", [("csrf", try XCTUnwrap(try respondent.get("/s/\(token)").csrf))])
        let json = try api.get("/api/responses/counts", headers: [("Authorization", "Bearer \(secret)")])
        XCTAssertEqual(json.status, 200)
        XCTAssertTrue(json.body.contains("\"questionnaire\": \"rapid-poll-local-asb\""), json.body)
        XCTAssertTrue(json.body.contains("\"partial\": 1"), json.body)
        XCTAssertEqual(try api.get("/api/responses/counts", headers: [("Authorization", "Bearer nope")]).status, 401)
        // Sign-in attempts are limited per address.
        let guesser = TestClient(port: fixture.server.port)
        let guessCSRF = try XCTUnwrap(try guesser.get("/analyst").csrf)
        let statuses = try (0..<4).map { _ in try guesser.post("/analyst/login", [("csrf", guessCSRF), ("secret", "guess")]).status }
        XCTAssertEqual(statuses.last, 429)
    }

    func testForwardedAddressesCountOnlyFromTrustedProxies() throws {
        var configuration = WebAppConfiguration(databasePath: fixture.dbPath)
        configuration.trustedProxies = ["10.0.0.1"]
        let app = try CanvassWebApp(configuration: configuration)
        defer { app.shutdown() }
        var request = HTTPRequest(method: "GET", target: "/", path: "/", query: "", version: "HTTP/1.1",
                                  headers: [("X-Forwarded-For", "203.0.113.9, 198.51.100.7")], body: [])
        request.remoteAddress = "10.0.0.1"
        XCTAssertEqual(app.clientAddress(request), "198.51.100.7", "the address the trusted proxy appended")
        request.remoteAddress = "192.0.2.50"
        XCTAssertEqual(app.clientAddress(request), "192.0.2.50", "anyone else's X-Forwarded-For is ignored")
    }

    func testSecretIsPrintedOnlyOnFirstStart() throws {
        let again = try CanvassWebApp(configuration: WebAppConfiguration(databasePath: fixture.dbPath))
        XCTAssertNil(again.newAnalystSecret)
        again.shutdown()
    }
}
