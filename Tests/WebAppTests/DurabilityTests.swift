import Foundation
import Hashing
import XCTest
import SQLite
@testable import WebApp

/// Stops the server while many respondents are answering: every answer that was acknowledged
/// (a 303 came back) must be in the database afterwards.
final class DurabilityTests: XCTestCase {
    func testAcknowledgedAnswersSurviveAStopMidway() throws {
        let fixture = try WebFixture()
        let tokens = try (0..<12).map { try fixture.invite(caseRef: "C\($0)") }
        let acknowledged = Acks()
        let port = fixture.server.port
        let group = DispatchGroup()
        for token in tokens {
            group.enter()
            Thread {
                defer { group.leave() }
                let client = TestClient(port: port)
                guard let csrf = try? client.get("/s/\(token)").csrf, (try? client.post("/s/\(token)/start", [("csrf", csrf)])) != nil else { return }
                var value = 0
                while true {
                    value = value % 2 + 1
                    let answer = value == 1 ? "yes" : "no"
                    guard let response = try? client.post("/s/\(token)/q/asb_problem", [("csrf", csrf), ("answer", answer)]) else { return }
                    guard response.status == 303 else { return }
                    acknowledged.set(token, answer)
                }
            }.start()
        }
        Thread.sleep(forTimeInterval: 1.0)
        fixture.server.stop()
        fixture.server.waitUntilStopped()
        group.wait()
        fixture.app.shutdown()
        let db = try Connection(path: fixture.dbPath, mode: .readOnly)
        let latest = acknowledged.all
        XCTAssertGreaterThan(latest.count, 0)
        var checked = 0
        for (token, answer) in latest {
            let stored = try db.scalar("""
                SELECT a.value FROM answers a JOIN responses r ON r.id = a.response_id JOIN invitations i ON i.id = r.invitation_id
                WHERE a.question_id = 'asb_problem' AND i.case_ref = (SELECT case_ref FROM invitations WHERE token_hash = ?)
                """, [sha(token)]).string
            XCTAssertEqual(stored, answer, "the last acknowledged answer of \(token) is stored")
            checked += 1
        }
        XCTAssertEqual(checked, latest.count)
        try? FileManager.default.removeItem(at: fixture.directory)
    }

    private func sha(_ token: String) -> String {
        var hasher = Hashing.SHA256()
        hasher.update(Array(token.utf8))
        return Hashing.Hex.encode(hasher.finalize())
    }

    final class Acks: @unchecked Sendable {
        private let lock = NSLock()
        private var latest: [String: String] = [:]
        func set(_ token: String, _ answer: String) { lock.lock(); latest[token] = answer; lock.unlock() }
        var all: [String: String] { lock.lock(); defer { lock.unlock() }; return latest }
    }
}
