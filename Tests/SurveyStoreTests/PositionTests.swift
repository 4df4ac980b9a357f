import Foundation
import XCTest
import SQLite
import SurveyEngine
@testable import SurveyStore

/// Interview positions are stored unambiguously: `review` is a legal question id.
final class PositionTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("position-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private let json = #"{"version":"1","title":"Poll","questions":[{"id":"ok","type":"yesno","label":"OK?"},{"id":"review","type":"text","label":"Your review","required":false},{"id":"last","type":"yesno","label":"Last?"}]}"#

    func testAQuestionCalledReviewResumesAtThatQuestionNotAtTheReview() throws {
        let questionnaire = try QuestionnaireLoader.load(bytes: Array(json.utf8), id: "poll", source: "poll.json")
        let store = try SurveyStore(path: directory.appendingPathComponent("db.sqlite").path)
        let published = try store.publish(questionnaire)
        let atQuestion = try store.startResponse(versionID: published.versionID, origin: ResponseOrigin(mode: .web))
        let atReview = try store.startResponse(versionID: published.versionID, origin: ResponseOrigin(mode: .web))
        let answers: [String: AnswerValue] = ["ok": .choice("yes"), "last": .choice("no")]
        try store.save(responseID: atQuestion, state: InterviewState(answers: answers, position: .question("review")), questionnaire: questionnaire)
        try store.save(responseID: atReview, state: InterviewState(answers: answers, position: .review), questionnaire: questionnaire)
        XCTAssertEqual(try store.response(atQuestion).position, .question("review"))
        XCTAssertEqual(try store.response(atReview).position, .review)
        let interview = Interview(questionnaire: questionnaire, language: "en", today: "2026-12-03")
        XCTAssertEqual(interview.resume(answers: answers, at: try store.response(atQuestion).position).position, .question("review"))
        XCTAssertEqual(interview.resume(answers: answers, at: try store.response(atReview).position).position, .review)
    }

    func testMigrationFourRewritesPositionsStoredTheOldWay() throws {
        let path = directory.appendingPathComponent("old.sqlite").path
        do {
            // A database as the previous release left it: migrations 1–3, bare question ids.
            let db = try Connection(path: path)
            var old = Migrator()
            for migration in Schema.migrator.migrations where migration.number <= 3 { old.register(migration) }
            try old.migrate(db)
            try db.execute("INSERT INTO questionnaire_versions VALUES (1, 'poll', 1, '1', 'Poll', ?, 'h', '2026-01-01')", [json])
            for (id, position) in [(1, "ok"), (2, "review"), (3, nil)] as [(Int, String?)] {
                try db.execute("INSERT INTO responses(id, questionnaire_version_id, status, mode, position, started_at, updated_at) VALUES (?, 1, 'partial', 'web', ?, 'x', 'x')",
                               [id, position])
            }
        }
        let store = try SurveyStore(path: path)
        XCTAssertEqual(try store.response(1).position, .question("ok"))
        XCTAssertEqual(try store.response(2).position, .review)
        XCTAssertNil(try store.response(3).position)
        let raw = try Connection(path: path).rows("SELECT position FROM responses ORDER BY id").map { $0[0] }
        XCTAssertEqual(raw, [.text("q:ok"), .text("review"), .null])
    }
}

/// A web save that changes no measure's state, place, status or day leaves the analysis row alone.
final class AnalysisSkipTests: XCTestCase {
    func testASaveThatChangesNothingForAnalysisWritesOnlyTheResponseAndItsAnswers() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skip-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let json = #"{"version":"1","title":"Poll","questions":[{"id":"ok","type":"yesno","label":"OK?"},{"id":"more","type":"yesno","label":"More?"}]}"#
        let questionnaire = try QuestionnaireLoader.load(bytes: Array(json.utf8), id: "poll", source: "poll.json")
        let store = try SurveyStore(path: directory.appendingPathComponent("db.sqlite").path)
        let published = try store.publish(questionnaire)
        let id = try store.startResponse(versionID: published.versionID, origin: ResponseOrigin(mode: .web))
        var stored = try store.save(InterviewState(answers: ["ok": .choice("yes")], position: .question("more")), over: try store.response(id), questionnaire: questionnaire)
        let before = try store.connection.scalar("SELECT total_changes()").int!
        stored = try store.save(InterviewState(answers: ["ok": .choice("no")], position: .question("more")), over: stored, questionnaire: questionnaire)
        XCTAssertEqual(try store.connection.scalar("SELECT total_changes()").int! - before, 2, "the response row and one answer row, no analysis row")
        XCTAssertTrue(try store.verify().isClean)
    }
}
