import Foundation
import XCTest
import CSV
import SQLite
import SurveyEngine
@testable import SurveyStore

/// Erasure, retention, the audit log and backup.
final class ProtectionTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    var directory: URL!
    var path: String!
    var store: SurveyStore!
    var published: PublishedQuestionnaire!
    /// The store's clock, moved by the tests.
    nonisolated(unsafe) static var now = Date(timeIntervalSince1970: 1_777_000_000)   // 2026-04-24

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("protection-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("db.sqlite").path
        Self.now = Date(timeIntervalSince1970: 1_777_000_000)
        store = try SurveyStore(path: path, clock: { ProtectionTests.now })
        published = try store.publish(try QuestionnaireLoader.load(path: Self.root.appendingPathComponent("Questionnaires/asb-victim-satisfaction.json").path))
        let boroughs = try BoroughDirectory.load(path: Self.root.appendingPathComponent("Fixtures/boroughs.csv").path)
        let cases = try String(contentsOf: Self.root.appendingPathComponent("Fixtures/cases/cases.csv"), encoding: .utf8)
        var reader = try CaseCSVReader(reader: CSVReader(bytes: Array(cases.utf8)), boroughs: boroughs)
        _ = try store.importCases(next: { try reader.next() }, events: [], today: "2026-04-24")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    /// A complete response through an invitation for `caseRef`, its comment and ward `marker`.
    @discardableResult
    func respond(caseRef: String, marker: String) throws -> (response: Int64, token: String) {
        let token = try store.createInvitation(Invitation(questionnaireID: published.questionnaire.id, caseRef: caseRef, borough: "Hackney", ward: nil))
        let invitation = try XCTUnwrap(try store.invitation(token: token))
        let id = try store.startResponse(versionID: published.versionID, origin: ResponseOrigin(mode: .web, invitationID: invitation.id))
        let answers: [String: AnswerValue] = ["how_reported": .choice("phone_101"), "contact_sat": .choice("very_satisfied"),
                                              "ward": .text(marker + "-ward"), "comments": .text(marker + " said something private")]
        try store.save(responseID: id, state: InterviewState(answers: answers, position: .submitted), questionnaire: published.questionnaire, complete: true)
        return (id, token)
    }

    /// Every text of every row of every table, for looking for a marker.
    func everyText() throws -> String {
        var text = ""
        for table in try store.connection.rows("SELECT name FROM sqlite_master WHERE type = 'table'").map({ try $0.get("name", as: String.self) }) {
            for row in try store.connection.rows("SELECT * FROM \"\(table)\"") {
                for value in row.values { text += "\(value)|" }
            }
        }
        return text
    }

    func testErasureLeavesNoTraceInAnyTableNorInTheFiles() throws {
        let marker = "ZQXJ\(UInt32.random(in: 1000...9999))"
        try respond(caseRef: "ASB-0001", marker: marker)
        let kept = try respond(caseRef: "ASB-0002", marker: "KEEPME")
        XCTAssertTrue(try everyText().contains(marker))
        let report = try store.erase(.caseRef("ASB-0001"), actor: "tester")
        XCTAssertEqual(report.responses, 1)
        XCTAssertEqual(report.invitations, 1)
        XCTAssertEqual(report.cases, 1)
        XCTAssertGreaterThanOrEqual(report.answers, 4)
        XCTAssertEqual(report.checkpoint?.busy, false)
        let remaining = try everyText()
        XCTAssertFalse(remaining.contains(marker), "a trace left in a table")
        XCTAssertFalse(remaining.contains("ASB-0001"), "the case reference is gone too")
        XCTAssertTrue(remaining.contains("KEEPME"), "the other respondent's answers stay")
        XCTAssertNotNil(try store.response(kept.response))
        XCTAssertTrue(try store.verify().isClean)
        // Nor in the files: freed pages were zeroed (secure_delete) and the log emptied.
        store = nil
        for file in [path!, path + "-wal"] where FileManager.default.fileExists(atPath: file) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            XCTAssertNil(bytes.range(of: Data(marker.utf8)), "\(file) still holds the marker")
        }
        store = try SurveyStore(path: path, clock: { ProtectionTests.now })
        let audit = try store.auditEntries()
        XCTAssertEqual(audit.map(\.action), [.erasure])
        XCTAssertEqual(audit.first?.actor, "tester")
        XCTAssertEqual(audit.first?.subject, "case", "the kind of target, never the reference")
        XCTAssertFalse(audit.first?.detail.contains("ASB-0001") ?? true)
        XCTAssertTrue(try store.erase(.caseRef("ASB-0001"), actor: "tester").isEmpty, "nothing left to erase")
    }

    func testErasureByResponseAndByToken() throws {
        let first = try respond(caseRef: "ASB-0003", marker: "ONE")
        let second = try respond(caseRef: "ASB-0006", marker: "TWO")
        var report = try store.erase(.response(first.response), actor: "tester")
        XCTAssertEqual([report.responses, report.invitations, report.cases], [1, 1, 0], "the case record stays for a single response")
        XCTAssertNil(try store.invitation(token: first.token), "the link is dead")
        report = try store.erase(.token(second.token), actor: "tester")
        XCTAssertEqual([report.responses, report.invitations], [1, 1])
        XCTAssertFalse(try everyText().contains("TWO said"))
        // A poll answer's ward becomes an analysis label; it goes with the only response using it.
        let poll = try store.startResponse(versionID: published.versionID, origin: ResponseOrigin(mode: .web))
        try store.setWard(responseID: poll, ward: "LABELXQ")
        try store.save(responseID: poll, state: InterviewState(answers: ["contact_sat": .choice("fairly_satisfied")], position: .submitted),
                       questionnaire: published.questionnaire, complete: true)
        XCTAssertTrue(try everyText().contains("LABELXQ"))
        report = try store.erase(.response(poll), actor: "tester")
        XCTAssertEqual(report.labels, 3, "its ward, and the questionnaire and language labels, now that no response is left")
        XCTAssertFalse(try everyText().contains("LABELXQ"))
        XCTAssertTrue(try store.erase(.token("0123456789abcdef0123456789abcdef"), actor: "tester").isEmpty)
        XCTAssertTrue(try store.erase(.response(999_999), actor: "tester").isEmpty)
    }

    /// The dry run reports exactly what the real run then removes, and changes nothing.
    func testRetentionDryRunMatchesTheRealRun() throws {
        Self.now = Date(timeIntervalSince1970: 1_700_000_000)   // 2023-11-14: old responses
        try respond(caseRef: "ASB-0001", marker: "OLD1")
        try respond(caseRef: "ASB-0002", marker: "OLD2")
        Self.now = Date(timeIntervalSince1970: 1_777_000_000)   // 2026-04-24
        try respond(caseRef: "ASB-0003", marker: "NEW1")
        let before = try everyText()
        let dry = try store.retain(before: "2024-04-24", dryRun: true, actor: "tester")
        XCTAssertEqual(try everyText(), before, "a dry run changes nothing")
        XCTAssertNil(dry.checkpoint)
        XCTAssertEqual(dry.responses, 2)
        XCTAssertTrue(try store.auditEntries().isEmpty, "nor writes the audit log")
        var real = try store.retain(before: "2024-04-24", dryRun: false, actor: "tester")
        real.checkpoint = nil
        XCTAssertEqual(real, dry)
        let remaining = try everyText()
        XCTAssertFalse(remaining.contains("OLD1") || remaining.contains("OLD2"))
        XCTAssertTrue(remaining.contains("NEW1"))
        XCTAssertEqual(try store.auditEntries().map(\.action), [.retention])
        XCTAssertTrue(try store.verify().isClean)
    }

    /// A backup taken while another connection writes is a consistent database that verifies.
    func testBackupWhileWritesRun() throws {
        for k in 0..<20 { try respond(caseRef: "ASB-000\(k % 6 + 1)", marker: "B\(k)") }
        /// The writer's own connection, used by its thread alone.
        final class Box: @unchecked Sendable { let store: SurveyStore; init(_ s: SurveyStore) { store = s } }
        let writer = Box(try SurveyStore(path: path, clock: { ProtectionTests.now }))
        let version = published.versionID, questionnaire = published.questionnaire
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var writes = 0
        let thread = Thread {
            for _ in 0..<300 {
                guard let id = try? writer.store.startResponse(versionID: version, origin: ResponseOrigin(mode: .web)) else { continue }
                try? writer.store.save(responseID: id, state: InterviewState(answers: ["contact_sat": .choice("fairly_satisfied")], position: .submitted),
                                 questionnaire: questionnaire, complete: true)
                writes += 1
            }
            done.signal()
        }
        thread.start()
        Thread.sleep(forTimeInterval: 0.05)
        let copy = directory.appendingPathComponent("copy.sqlite").path
        try store.backup(to: copy, actor: "tester")
        done.wait()
        XCTAssertEqual(writes, 300)
        let restored = try SurveyStore(path: copy)
        let report = try restored.verify()
        XCTAssertTrue(report.isClean, "\(report.differences.prefix(3)) \(report.integrityProblems)")
        XCTAssertEqual(try restored.auditEntries().map(\.action), [.backup], "the copy holds its own entry")
        let copied = try XCTUnwrap(try restored.connection.scalar("SELECT count(*) FROM responses").int)
        XCTAssertGreaterThanOrEqual(copied, 20)
        XCTAssertLessThanOrEqual(copied, 320)
        XCTAssertThrowsError(try store.backup(to: copy, actor: "tester"), "never over an existing file")
    }
}
