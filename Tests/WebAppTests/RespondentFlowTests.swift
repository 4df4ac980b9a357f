import Foundation
import XCTest
import SQLite
@testable import WebApp

/// Whole questionnaires over HTTP, scraping the CSRF token as a browser would, then reading SQLite.
final class RespondentFlowTests: XCTestCase {
    var fixture: WebFixture!

    override func setUpWithError() throws { fixture = try WebFixture() }
    override func tearDown() { fixture.stop() }

    private func answers(_ db: String) throws -> [String] {
        try Connection(path: db, mode: .readOnly).rows("SELECT question_id || '=' || value FROM answers ORDER BY response_id, question_id, ordinal").map { $0[0].string! }
    }

    func testWholeQuestionnaireOverHTTP() throws {
        let token = try fixture.invite()
        let client = TestClient(port: fixture.server.port)
        var page = try client.get("/s/\(token)")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.body.contains("Start now"))
        XCTAssertEqual(page.header("Content-Security-Policy")?.contains("default-src 'none'"), true)
        XCTAssertEqual(page.header("Referrer-Policy"), "no-referrer")
        XCTAssertEqual(page.header("X-Content-Type-Options"), "nosniff")
        XCTAssertFalse(page.body.contains("<script"), "no JavaScript at all")
        let csrf = try XCTUnwrap(page.csrf)
        page = try client.post("/s/\(token)/start", [("csrf", csrf)])
        XCTAssertEqual(page.status, 303)
        page = try client.get(TestClient.path(page.location))
        XCTAssertEqual(page.location.map(TestClient.path), "/s/\(token)/q/asb_problem")
        page = try client.get("/s/\(token)/q/asb_problem")
        XCTAssertTrue(page.body.contains("<legend><h1 class=\"legend-heading\">In the last month"))
        XCTAssertTrue(page.body.contains("<label class=\"choices__label\" for=\"answer\">Yes</label>"))

        let steps: [(String, [(String, String)], String)] = [
            ("asb_problem", [("answer", "yes")], "/q/asb_kinds"),
            ("asb_kinds", [("answer", "noise"), ("answer", "drugs")], "/q/confidence"),
            ("confidence", [("answer", "fairly")], "/q/ward"),
            ("ward", [("answer", "<b>Hoxton & Shoreditch</b>")], "/check"),
        ]
        for (question, fields, next) in steps {
            page = try client.post("/s/\(token)/q/\(question)", [("csrf", csrf)] + fields)
            XCTAssertEqual(page.status, 303, "\(question): \(page.body.prefix(200))")
            XCTAssertEqual(TestClient.path(page.location), "/s/\(token)\(next)")
        }
        page = try client.get("/s/\(token)/check")
        XCTAssertTrue(page.body.contains("Check your answers before sending them"))
        XCTAssertTrue(page.body.contains("&lt;b&gt;Hoxton &amp; Shoreditch&lt;/b&gt;"), "answers are escaped")
        XCTAssertTrue(page.body.contains("href=\"/s/\(token)/q/confidence?change=1\">Change<span class=\"visually-hidden\">"))
        page = try client.post("/s/\(token)/check", [("csrf", csrf)])
        XCTAssertEqual(TestClient.path(page.location), "/s/\(token)/done")
        page = try client.get("/s/\(token)/done")
        XCTAssertTrue(page.body.contains("Your answers have been sent"))

        XCTAssertEqual(try answers(fixture.dbPath), ["asb_kinds=noise", "asb_kinds=drugs", "asb_problem=yes", "confidence=fairly", "ward=<b>Hoxton & Shoreditch</b>"])
        let header = try Connection(path: fixture.dbPath, mode: .readOnly).firstRow("SELECT status, mode, case_ref, borough, ward FROM responses")
        XCTAssertEqual(header?.values, [.text("complete"), .text("web"), .text("C1"), .text("Hackney"), .text("Hoxton East")],
                       "the case's ward stays; the respondent's answer is kept as an answer")

        page = try client.get("/s/\(token)")
        XCTAssertTrue(page.body.contains("You have already completed this survey"))
        page = try client.post("/s/\(token)/q/asb_problem", [("csrf", csrf), ("answer", "no")])
        XCTAssertEqual(page.status, 409)
        XCTAssertEqual(try answers(fixture.dbPath).count, 5, "nothing more is accepted")
    }

    func testValidationErrorsFollowTheGOVUKPatternAndKeepWhatWasTyped() throws {
        let token = try fixture.invite("asb-victim-satisfaction")
        let client = TestClient(port: fixture.server.port)
        let csrf = try XCTUnwrap(try client.get("/s/\(token)").csrf)
        _ = try client.post("/s/\(token)/start", [("csrf", csrf)])
        var page = try client.post("/s/\(token)/q/how_reported", [("csrf", csrf)])
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.body.contains("<title>Error: How did you report"))
        XCTAssertTrue(page.body.contains("<div class=\"error-summary\" role=\"alert\""))
        XCTAssertTrue(page.body.contains("<a href=\"#answer\">Select one option</a>"))
        XCTAssertTrue(page.body.contains("<p id=\"answer-error\" class=\"error-message\"><span class=\"visually-hidden\">Error:</span> Select one option</p>"))
        XCTAssertTrue(page.body.contains("aria-describedby=\"answer-error\""))
        // Walk to the number question and type something out of range: it stays in the box.
        for (question, value) in [("how_reported", "phone_101"), ("contact_sat", "very_satisfied"), ("action_taken", "no"),
                                  ("incident_sat", "neither"), ("kept_informed", "yes"), ("info_sat", "neither"), ("treatment", "yes"),
                                  ("local_sat", "fairly_satisfied"), ("experienced_before", "yes")] {
            page = try client.post("/s/\(token)/q/\(question)", [("csrf", csrf), ("answer", value)])
            XCTAssertEqual(page.status, 303, question)
        }
        XCTAssertEqual(TestClient.path(page.location), "/s/\(token)/q/times_before")
        page = try client.post("/s/\(token)/q/times_before", [("csrf", csrf), ("answer", "5000")])
        XCTAssertTrue(page.body.contains("Enter a number between 1 and 999"))
        XCTAssertTrue(page.body.contains("value=\"5000\""))
        // Going back and answering "no" drops the answers that depended on "yes".
        page = try client.post("/s/\(token)/q/times_before", [("csrf", csrf), ("answer", "3")])
        page = try client.post("/s/\(token)/q/asked_repeat", [("csrf", csrf), ("answer", "yes")])
        XCTAssertTrue(try answers(fixture.dbPath).contains("times_before=3"))
        page = try client.post("/s/\(token)/q/experienced_before", [("csrf", csrf), ("answer", "no")])
        XCTAssertEqual(TestClient.path(page.location), "/s/\(token)/q/impact")
        let stored = try answers(fixture.dbPath)
        XCTAssertFalse(stored.contains("times_before=3"))
        XCTAssertFalse(stored.contains("asked_repeat=yes"))
        // A question that is not reachable yet sends the respondent back to where they are.
        page = try client.get("/s/\(token)/q/comments")
        XCTAssertEqual(page.status, 303)
    }

    func testReopeningTheLinkResumesWhereTheVictimLeftOff() throws {
        let token = try fixture.invite()
        let phone = TestClient(port: fixture.server.port)
        let csrf = try XCTUnwrap(try phone.get("/s/\(token)").csrf)
        _ = try phone.post("/s/\(token)/start", [("csrf", csrf)])
        _ = try phone.post("/s/\(token)/q/asb_problem", [("csrf", csrf), ("answer", "yes")])
        _ = try phone.post("/s/\(token)/q/asb_kinds", [("csrf", csrf), ("answer", "vandalism")])
        // Later, from another browser (no cookies): the link alone brings the victim back.
        let later = TestClient(port: fixture.server.port)
        let page = try later.get("/s/\(token)")
        XCTAssertEqual(TestClient.path(page.location), "/s/\(token)/q/confidence")
        let kinds = try later.get("/s/\(token)/q/asb_kinds")
        XCTAssertTrue(kinds.body.contains("value=\"vandalism\" checked"), "earlier answers are shown")
    }

    func testMissingCSRFStoresNothing() throws {
        let token = try fixture.invite()
        let client = TestClient(port: fixture.server.port)
        let csrf = try XCTUnwrap(try client.get("/s/\(token)").csrf)
        _ = try client.post("/s/\(token)/start", [("csrf", csrf)])
        let page = try client.post("/s/\(token)/q/asb_problem", [("csrf", "0000"), ("answer", "yes")])
        XCTAssertEqual(page.status, 403)
        XCTAssertTrue(page.body.contains("This page has expired"))
        XCTAssertTrue(try answers(fixture.dbPath).isEmpty)
    }

    func testUnknownAndMalformedTokensAre404WithoutInternals() throws {
        let client = TestClient(port: fixture.server.port)
        for path in ["/s/0123456789abcdef0123456789abcdef", "/s/not-a-token", "/s/'%20OR%201=1--", "/nowhere"] {
            let page = try client.get(path)
            XCTAssertEqual(page.status, 404, path)
            XCTAssertTrue(page.body.contains("Page not found"))
            XCTAssertFalse(page.body.contains("SQLite"))
        }
        XCTAssertEqual(try client.get("/healthz").body, "ok\n")
        XCTAssertEqual(try client.send("PUT", "/healthz", body: nil, headers: []).status, 405)
    }

    func testWelshPagesAndLanguageSwitch() throws {
        let token = try fixture.invite()
        let client = TestClient(port: fixture.server.port)
        var page = try client.get("/s/\(token)?lang=cy")
        XCTAssertTrue(page.body.contains("<html lang=\"cy\">"))
        XCTAssertTrue(page.body.contains("Dechrau nawr"))
        XCTAssertEqual(client.cookies["lang"], "cy")
        let csrf = try XCTUnwrap(page.csrf)
        _ = try client.post("/s/\(token)/start", [("csrf", csrf)])
        page = try client.get("/s/\(token)/q/asb_problem")
        XCTAssertTrue(page.body.contains("Yn ystod y mis diwethaf"))
        XCTAssertTrue(page.body.contains("hreflang=\"en\""))
        page = try client.post("/s/\(token)/q/asb_problem", [("csrf", csrf)])
        XCTAssertTrue(page.body.contains("Dewiswch un opsiwn"))
    }

    func testStorageFailureGives503AndKeepsTypedAnswer() throws {
        let token = try fixture.invite("asb-victim-satisfaction")
        let client = TestClient(port: fixture.server.port)
        let csrf = try XCTUnwrap(try client.get("/s/\(token)").csrf)
        _ = try client.post("/s/\(token)/start", [("csrf", csrf)])
        XCTAssertEqual(try client.post("/s/\(token)/q/how_reported", [("csrf", csrf), ("answer", "online")]).status, 303)
        // The database becomes unwritable (as with a read-only file or a full disk).
        try fixture.app.writer.performOutsideTransaction { try $0.connection.execute("PRAGMA query_only = ON") }
        var page = try client.post("/s/\(token)/q/contact_sat", [("csrf", csrf), ("answer", "fairly_satisfied")])
        XCTAssertEqual(page.status, 503, page.body)
        XCTAssertTrue(page.body.contains("Sorry, we could not save your answer"))
        XCTAssertTrue(page.body.contains("value=\"fairly_satisfied\" checked"), "the typed answer is still selected")
        XCTAssertEqual(page.header("Retry-After"), "30")
        XCTAssertEqual(try Connection(path: fixture.dbPath, mode: .readOnly).scalar("SELECT count(*) FROM answers").int!, 1)
        XCTAssertEqual(try client.get("/healthz").status, 200, "the server stays up")
        // Once the database is writable again, the same submission goes through.
        try fixture.app.writer.performOutsideTransaction { try $0.connection.execute("PRAGMA query_only = OFF") }
        page = try client.post("/s/\(token)/q/contact_sat", [("csrf", csrf), ("answer", "fairly_satisfied")])
        XCTAssertEqual(page.status, 303)
        XCTAssertEqual(try Connection(path: fixture.dbPath, mode: .readOnly).scalar("SELECT count(*) FROM answers").int!, 2)
    }
}
