import Foundation
import XCTest
import SQLite
@testable import WebApp

/// A full disk (issue #10, part 6), made real inside the test with `PRAGMA max_page_count` on the
/// writer's connection: SQLite then fails with SQLITE_FULL exactly as it does when the file system
/// has no room. (`Benchmarks/reliability/disk_full.sh` does the same on a small tmpfs.)
final class DiskFullTests: XCTestCase {
    func testAFullDatabaseGives503KeepsWhatWasTypedDamagesNothingAndRecovers() throws {
        let fixture = try WebFixture()
        defer { fixture.stop() }
        let respondents = try (0..<40).map { index -> (String, TestClient, String) in
            let token = try fixture.invite(caseRef: "D\(index)")
            let client = TestClient(port: fixture.server.port)
            let csrf = try XCTUnwrap(try client.get("/s/\(token)").csrf)
            XCTAssertEqual(try client.post("/s/\(token)/start", [("csrf", csrf)]).status, 303)
            return (token, client, csrf)
        }
        let storedBefore = try answers(fixture.dbPath)
        // No room to grow: the database may not exceed the pages it has now.
        try fixture.app.writer.performOutsideTransaction { store in
            let pages = try store.connection.scalar("PRAGMA page_count").int64 ?? 0
            _ = try store.connection.scalar("PRAGMA max_page_count = \(pages)")
        }
        // Answers (60-character texts among them) grow the database until it is full.
        var refused: (page: TestClient.Response, respondent: Int, question: String, typed: String)?
        var acknowledgedWards = 0
        posting: for (index, (token, client, csrf)) in respondents.enumerated() {
            let typed = String(("Ward \(index), " + String(repeating: "noise every night ", count: 4)).prefix(60))
            for (question, answer) in [("asb_problem", "no"), ("confidence", "fairly"), ("ward", typed)] {
                let page = try client.post("/s/\(token)/q/\(question)", [("csrf", csrf), ("answer", answer)])
                guard page.status == 303 else { refused = (page, index, question, answer); break posting }
                if question == "ward" { acknowledgedWards += 1 }
            }
        }
        let (page, respondent, question, typed) = try XCTUnwrap(refused, "the database never filled: the test did not test anything")
        print("DiskFullTests: full after \(acknowledgedWards) respondents, at \(question) of respondent \(respondent)")
        XCTAssertEqual(page.status, 503, page.body)
        XCTAssertTrue(page.body.contains("Sorry, we could not save your answer"), page.body)
        XCTAssertTrue(page.body.contains(question == "ward" ? "value=\"\(typed)\"" : "value=\"\(typed)\" checked"),
                      "what the respondent typed is on the page: \(typed)")
        XCTAssertEqual(page.header("Retry-After"), "30")
        XCTAssertEqual(try TestClient(port: fixture.server.port).get("/healthz").status, 200, "the server stays up")

        // Nothing stored before is damaged, and every acknowledged answer is there.
        let db = try Connection(path: fixture.dbPath, mode: .readOnly)
        XCTAssertEqual(try db.scalar("PRAGMA integrity_check").string, "ok")
        let storedNow = try answers(fixture.dbPath)
        XCTAssertTrue(storedBefore.isSubset(of: storedNow))
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM answers WHERE question_id = 'ward'").int64, Int64(acknowledgedWards))

        // Room again: the same submission now goes through.
        try fixture.app.writer.performOutsideTransaction { store in _ = try store.connection.scalar("PRAGMA max_page_count = 1073741823") }
        let (token, client, csrf) = respondents[respondent]
        XCTAssertEqual(try client.post("/s/\(token)/q/\(question)", [("csrf", csrf), ("answer", typed)]).status, 303)
        XCTAssertTrue(try answers(fixture.dbPath).contains { $0.hasSuffix("/\(question)/\(typed)") }, "the retried answer is stored")
        XCTAssertEqual(try db.scalar("PRAGMA integrity_check").string, "ok")
    }

    private func answers(_ path: String) throws -> Set<String> {
        let rows = try Connection(path: path, mode: .readOnly).prepare("SELECT response_id, question_id, value FROM answers").rows()
        return Set(try rows.map { "\(try $0.get("response_id", as: Int64.self))/\(try $0.get("question_id", as: String.self))/\(try $0.get("value", as: String.self))" })
    }
}
