import Foundation
import XCTest
import SQLite
@testable import WebApp

/// Who may read and write what (issue #10, part 5), in one place: analyst pages behind the
/// secret, one respondent's link never reaching another's response, completed links closed,
/// every form refusing a post without its CSRF token, and sign-in limited.
final class AccessTests: XCTestCase {
    var fixture: WebFixture!
    override func setUpWithError() throws { fixture = try WebFixture() }
    override func tearDown() { fixture.stop() }

    /// Every analyst page and the API, asked without the secret, with a wrong one, and with a
    /// forged session cookie: none gives a figure, a CSV row or a count.
    func testAnalystPagesDashboardAndAPIRefuseWithoutTheSecret() throws {
        let secret = try XCTUnwrap(fixture.app.newAnalystSecret)
        let (token, respondent, csrf) = try fixture.startedRespondent()
        XCTAssertEqual(try respondent.post("/s/\(token)/q/asb_problem", [("csrf", csrf), ("answer", "yes")]).status, 303)
        let paths = ["/analyst", "/analyst?measure=local_area&period=2026-Q1", "/analyst/comparison.csv",
                     "/analyst/polls.csv", "/analyst/report?questionnaire=asb-victim-satisfaction&borough=Hackney",
                     "/api/responses/counts"]
        let refusals: [(String, [(String, String)])] = [
            ("no credentials", []),
            ("wrong bearer", [("Authorization", "Bearer \(String(repeating: "0", count: 32))")]),
            ("bearer without the scheme", [("Authorization", secret)]),
            ("forged session", [("Cookie", "canvass_analyst=\(String(repeating: "a", count: 32))")]),
            ("malformed session", [("Cookie", "canvass_analyst=' OR 1=1 --")]),
        ]
        for (what, headers) in refusals {
            for path in paths {
                let page = try TestClient(port: fixture.server.port).get(path, headers: headers)
                let toSignIn = page.status == 303 && TestClient.path(page.location) == "/analyst"
                XCTAssertTrue(page.status == 401 || toSignIn || page.body.contains("Sign in to Canvass analysis"), "\(what): \(path) gave \(page.status)")
                XCTAssertFalse(page.body.contains("rapid-poll-local-asb,"), "\(what): \(path) leaked CSV rows")
                XCTAssertFalse(page.body.contains("\"partial\""), "\(what): \(path) leaked counts")
                XCTAssertFalse(page.body.contains("<svg"), "\(what): \(path) leaked a chart")
            }
        }
        // The same paths with the secret are served: the refusals above are about the secret.
        for path in paths {
            let page = try TestClient(port: fixture.server.port).get(path, headers: [("Authorization", "Bearer \(secret)")])
            XCTAssertFalse(page.body.contains("Sign in to Canvass analysis"), "\(path) with the secret")
            XCTAssertNotEqual(page.status, 401, "\(path) with the secret")
        }
    }

    /// A respondent holding one link cannot read or change the response behind another: its form
    /// token does not work on the other link, and no path or parameter reaches another response.
    func testOneRespondentsLinkCannotReadOrChangeAnother() throws {
        let alice = try fixture.startedRespondent()
        let bobToken = try fixture.invite(caseRef: "C2")
        let bob = TestClient(port: fixture.server.port)
        let bobCSRF = try XCTUnwrap(try bob.get("/s/\(bobToken)").csrf)
        XCTAssertEqual(try bob.post("/s/\(bobToken)/start", [("csrf", bobCSRF)]).status, 303)
        XCTAssertEqual(try bob.post("/s/\(bobToken)/q/asb_problem", [("csrf", bobCSRF), ("answer", "no")]).status, 303)
        XCTAssertNotEqual(alice.csrf, bobCSRF, "each link has its own form token")

        // Alice's browser, Alice's form token, Bob's link: refused, Bob's answer kept.
        let forged = try alice.client.post("/s/\(bobToken)/q/asb_problem", [("csrf", alice.csrf), ("answer", "yes")])
        XCTAssertEqual(forged.status, 403)
        XCTAssertEqual(try storedAnswer(caseRef: "C2"), ["no"])
        XCTAssertEqual(try alice.client.post("/s/\(bobToken)/check", [("csrf", alice.csrf)]).status, 303)
        XCTAssertEqual(try status(caseRef: "C2"), "partial", "Bob's response was not submitted by Alice's token")

        // Parameters and paths that might name another response are ignored or refused.
        for path in ["/s/\(alice.token)/q/asb_problem?response=2", "/s/\(alice.token)/q/asb_problem?token=\(bobToken)",
                     "/s/\(alice.token)%2F..%2F\(bobToken)/q/asb_problem", "/s/\(alice.token)/q/..%2F..%2F\(bobToken)%2Fq%2Fasb_problem"] {
            let page = try alice.client.get(path)
            XCTAssertFalse(page.body.contains("value=\"no\" checked"), "\(path) showed Bob's answer")
        }
        XCTAssertEqual(try storedAnswer(caseRef: "C2"), ["no"])
        XCTAssertEqual(try storedAnswer(caseRef: "C1"), nil, "nothing was stored on Alice's response either")
    }

    /// Once submitted, a link accepts nothing: no answer, no second submission, no restart.
    func testACompletedLinkAcceptsNothing() throws {
        let (token, client, csrf) = try fixture.startedRespondent()
        for (question, answer) in [("asb_problem", "no"), ("confidence", "fairly")] {
            XCTAssertEqual(try client.post("/s/\(token)/q/\(question)", [("csrf", csrf), ("answer", answer)]).status, 303)
        }
        XCTAssertEqual(try client.post("/s/\(token)/q/ward", [("csrf", csrf), ("answer", "")]).status, 303)
        XCTAssertEqual(TestClient.path(try client.post("/s/\(token)/check", [("csrf", csrf)]).location), "/s/\(token)/done")
        let before = try allAnswers()
        let attempts = [("/s/\(token)/q/asb_problem", [("csrf", csrf), ("answer", "yes")]),
                        ("/s/\(token)/q/confidence", [("csrf", csrf), ("answer", "very")]),
                        ("/s/\(token)/check", [("csrf", csrf)]),
                        ("/s/\(token)/start", [("csrf", csrf)])]
        for (path, form) in attempts {
            let page = try client.post(path, form)
            XCTAssertTrue([303, 409].contains(page.status), "\(path): \(page.status)")
            if page.status == 303 { XCTAssertTrue(["/s/\(token)/done", "/s/\(token)"].contains(TestClient.path(page.location)), path) }
        }
        XCTAssertTrue(try TestClient(port: fixture.server.port).get("/s/\(token)").body.contains("already") ||
                      TestClient.path(try TestClient(port: fixture.server.port).get("/s/\(token)").location) == "/s/\(token)/done")
        XCTAssertEqual(try allAnswers(), before, "a completed response is unchanged")
        XCTAssertEqual(try status(caseRef: "C1"), "complete")
    }

    /// Every form post without its CSRF token, or with a wrong one, stores nothing.
    func testPostsWithoutTheirCSRFTokenStoreNothing() throws {
        let secret = try XCTUnwrap(fixture.app.newAnalystSecret)
        let token = try fixture.invite()
        let client = TestClient(port: fixture.server.port)
        _ = try client.get("/s/\(token)")
        for form in [[], [("csrf", "")], [("csrf", String(repeating: "f", count: 32))]] as [[(String, String)]] {
            _ = try client.post("/s/\(token)/start", form)
            XCTAssertEqual(try count("SELECT count(*) FROM responses WHERE invitation_id IS NOT NULL"), 0, "start without its token")
            _ = try client.post("/s/\(token)/q/asb_problem", form + [("answer", "yes")])
            // The public poll: no cookie token, or a form token that is not the cookie's.
            let poll = TestClient(port: fixture.server.port)
            _ = try poll.get("/p/rapid-poll-local-asb")
            _ = try poll.post("/p/rapid-poll-local-asb", form)
            XCTAssertEqual(try count("SELECT count(*) FROM responses"), 0, "poll start without its token")
            // Sign-in with the right secret but no form token: no session.
            let analyst = TestClient(port: fixture.server.port)
            _ = try analyst.get("/analyst")
            let page = try analyst.post("/analyst/login", form + [("secret", secret)])
            XCTAssertFalse(page.cookies.contains { $0.hasPrefix("canvass_analyst=") && !$0.hasPrefix("canvass_analyst=;") }, "signed in without a form token")
        }
        XCTAssertEqual(try count("SELECT count(*) FROM answers"), 0)
    }

    /// Sign-in is limited per client address, and the limit holds even for the right secret.
    func testSignInIsRateLimited() throws {
        let secret = try XCTUnwrap(fixture.app.newAnalystSecret)
        let guesser = TestClient(port: fixture.server.port)
        let csrf = try XCTUnwrap(try guesser.get("/analyst").csrf)
        var statuses: [Int] = []
        for _ in 0..<6 { statuses.append(try guesser.post("/analyst/login", [("csrf", csrf), ("secret", "guess")]).status) }
        XCTAssertEqual(statuses.first, 401)
        XCTAssertEqual(statuses.last, 429)
        let limited = try guesser.post("/analyst/login", [("csrf", csrf), ("secret", secret)])
        XCTAssertEqual(limited.status, 429, "the right secret is not tried once the address is limited")
        XCTAssertEqual(limited.header("Retry-After"), "60")
    }

    private func db() throws -> Connection { try Connection(path: fixture.dbPath, mode: .readOnly) }

    private func count(_ sql: String) throws -> Int64 { try db().scalar(sql).int64 ?? -1 }

    private func storedAnswer(caseRef: String) throws -> [String]? {
        let values = try db().prepare("""
            SELECT a.value FROM answers a JOIN responses r ON r.id = a.response_id JOIN invitations i ON i.id = r.invitation_id
            WHERE i.case_ref = ? AND a.question_id = 'asb_problem' ORDER BY a.ordinal
            """).rows([caseRef]).map { try $0.get("value", as: String.self) }
        return values.isEmpty ? nil : values
    }

    private func status(caseRef: String) throws -> String? {
        try db().scalar("SELECT r.status FROM responses r JOIN invitations i ON i.id = r.invitation_id WHERE i.case_ref = ?", [caseRef]).string
    }

    private func allAnswers() throws -> [String] {
        try db().prepare("SELECT response_id, question_id, ordinal, value FROM answers ORDER BY 1, 2, 3").rows().map {
            "\(try $0.get("response_id", as: Int64.self)) \(try $0.get("question_id", as: String.self)) \(try $0.get("value", as: String.self))"
        }
    }
}
