import Foundation
import XCTest
import SQLite
import SurveyEngine
@testable import SurveyStore

final class SurveyStoreTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func load(_ json: String) throws -> Questionnaire {
        try QuestionnaireLoader.load(bytes: Array(json.utf8), id: "poll", source: "poll.json")
    }

    private let v1 = #"{"version":"1","title":"Poll","questions":[{"id":"ok","type":"yesno","label":"OK?"},{"id":"kinds","type":"multiple","label":"Kinds","choices":[{"code":"a","label":"A"},{"code":"b","label":"B"}]},{"id":"ward","type":"text","label":"Ward","field":"ward","required":false}]}"#

    func testPublishingIsVersionedByContent() throws {
        let store = try SurveyStore(path: directory.appendingPathComponent("db.sqlite").path)
        let first = try store.publish(try load(v1))
        XCTAssertEqual(first.version, 1)
        XCTAssertTrue(first.isNew)
        let again = try store.publish(try load(v1.replacingOccurrences(of: ",\"", with: ", \"")))
        XCTAssertFalse(again.isNew, "whitespace does not make a new version")
        XCTAssertEqual(again.versionID, first.versionID)
        let changed = try store.publish(try load(v1.replacingOccurrences(of: "OK?", with: "All right?")))
        XCTAssertEqual(changed.version, 2)
        XCTAssertEqual(try store.latest("poll")?.version, 2)
        XCTAssertEqual(try store.latest("poll")?.questionnaire.question("ok")?.label.text(), "All right?")
        XCTAssertNil(try store.latest("other"))
    }

    func testResponsesRoundTripAndKeepTheirVersion() throws {
        let store = try SurveyStore(path: directory.appendingPathComponent("db.sqlite").path)
        let published = try store.publish(try load(v1))
        let id = try store.startResponse(versionID: published.versionID, origin: ResponseOrigin(mode: .terminal))
        let state = InterviewState(answers: ["ok": .choice("yes"), "kinds": .choices(["a", "b"]), "ward": .text("Hoxton East")], position: .question("ward"))
        let saved = try store.save(responseID: id, state: state, questionnaire: published.questionnaire)
        var stored = try store.response(id)
        XCTAssertEqual(saved, stored, "save returns exactly what is now stored")
        XCTAssertEqual(stored.status, .partial)
        XCTAssertEqual(stored.position, .question("ward"))
        XCTAssertEqual(stored.ward, "Hoxton East")
        XCTAssertEqual(stored.answers(for: published.questionnaire), state.answers)
        let completed = try store.save(responseID: id, state: InterviewState(answers: state.answers, position: .submitted), questionnaire: published.questionnaire, complete: true)
        stored = try store.response(id)
        XCTAssertEqual(completed, stored)
        XCTAssertTrue(stored.isComplete)
        XCTAssertNil(stored.position)
        _ = try store.publish(try load(v1.replacingOccurrences(of: "OK?", with: "Fine?")))
        XCTAssertEqual(try store.response(id).questionnaireVersionID, published.versionID)
        XCTAssertThrowsError(try store.save(responseID: id, state: state, questionnaire: published.questionnaire)) { error in
            guard case .responseAlreadyComplete(id) = error as! SurveyStoreError else { return XCTFail("\(error)") }
        }
        // One row per selected code, so analysis is plain SQL.
        let db = try Connection(path: directory.appendingPathComponent("db.sqlite").path)
        XCTAssertEqual(try db.rows("SELECT value FROM answers WHERE response_id = ? AND question_id = 'kinds' ORDER BY ordinal", [id]).map { $0[0] },
                       [.text("a"), .text("b")])
        XCTAssertEqual(try db.scalar("PRAGMA journal_mode").string, "wal")
    }

    func testSavingWritesOnlyTheAnswersThatChanged() throws {
        let store = try SurveyStore(path: directory.appendingPathComponent("db.sqlite").path)
        let published = try store.publish(try load(v1))
        let id = try store.startResponse(versionID: published.versionID, origin: ResponseOrigin(mode: .web))
        let q = published.questionnaire
        func changes(_ answers: [String: AnswerValue]) throws -> Int {
            let before = try store.connection.scalar("SELECT total_changes()").int!
            try store.save(responseID: id, state: InterviewState(answers: answers, position: .question("ward")), questionnaire: q)
            return try store.connection.scalar("SELECT total_changes()").int! - before
        }
        // Each save changes the header and the response's analysis row (a partial response is
        // in no analysis cell), plus the answer rows that changed.
        let save = 2
        XCTAssertEqual(try changes(["ok": .choice("yes"), "kinds": .choices(["a", "b"])]), save + 3, "three answer rows")
        XCTAssertEqual(try changes(["ok": .choice("yes"), "kinds": .choices(["a", "b"])]), save, "nothing changed: no answer row")
        XCTAssertEqual(try changes(["ok": .choice("no"), "kinds": .choices(["a", "b"])]), save + 1, "one answer replaced in place")
        XCTAssertEqual(try changes(["ok": .choice("no"), "kinds": .choices(["b"])]), save + 2, "first value replaced, second deleted")
        XCTAssertEqual(try store.response(id).values, ["ok": ["no"], "kinds": ["b"]])
        XCTAssertEqual(try changes(["ok": .choice("no"), "kinds": .choices(["b", "a"])]), save + 1, "a value added: the first row kept")
        XCTAssertEqual(try store.response(id).values, ["ok": ["no"], "kinds": ["b", "a"]])
        XCTAssertEqual(try changes(["ok": .choice("no")]), save + 2, "a dropped answer's rows are deleted")
        XCTAssertEqual(try store.response(id).values, ["ok": ["no"]])
        // With the revision, the caller's copy of the stored values stands in for reading them.
        let current = try store.response(id)
        let before = try store.connection.scalar("SELECT total_changes()").int!
        try store.save(responseID: id, state: InterviewState(answers: ["ok": .choice("yes")], position: .question("ward")), questionnaire: q,
                       revision: current.revision, previousValues: current.values)
        XCTAssertEqual(try store.connection.scalar("SELECT total_changes()").int! - before, save + 1)
        // Without the revision a (wrong) copy is ignored and the stored values are read.
        try store.save(responseID: id, state: InterviewState(answers: ["ok": .choice("no")], position: .question("ward")), questionnaire: q,
                       previousValues: ["ok": ["no"]])
        XCTAssertEqual(try store.response(id).values, ["ok": ["no"]])
        let ward = try store.save(responseID: id, state: InterviewState(answers: ["ok": .choice("no"), "ward": .text("Hoxton")], position: .review), questionnaire: q)
        XCTAssertEqual(ward, try store.response(id))
        XCTAssertEqual(ward.ward, "Hoxton")
    }

    /// The web form's save works out the stored response instead of reading it back: whatever it
    /// returns must be exactly what a read gives, for a poll response (whose ward comes from its
    /// answers) and an invited one (which keeps the invitation's borough and ward).
    func testASaveOverTheResponseAsReadReturnsWhatIsStored() throws {
        let store = try SurveyStore(path: directory.appendingPathComponent("db.sqlite").path)
        let published = try store.publish(try load(v1))
        let q = published.questionnaire
        let token = try store.createInvitation(Invitation(questionnaireID: "poll", caseRef: "C1", borough: "Hackney", ward: "Dalston"))
        let invitationID = try XCTUnwrap(try store.invitation(token: token)?.id)
        let invited = try store.startResponse(versionID: published.versionID, origin: ResponseOrigin(mode: .web, invitationID: invitationID))
        let poll = try store.startResponse(versionID: published.versionID, origin: ResponseOrigin(mode: .web))
        for id in [invited, poll] {
            var read = try store.response(id)
            XCTAssertEqual(read.invited, id == invited)
            let steps: [(InterviewState, Bool)] = [
                (InterviewState(answers: ["ok": .choice("yes")], position: .question("kinds")), false),
                (InterviewState(answers: ["ok": .choice("yes"), "kinds": .choices(["a", "b"])], position: .question("ward")), false),
                (InterviewState(answers: ["ok": .choice("no"), "kinds": .choices(["b"]), "ward": .text("Hoxton")], position: .review), false),
                (InterviewState(answers: ["ok": .choice("no"), "kinds": .choices(["b"]), "ward": .text("Hoxton")], position: .submitted), true),
            ]
            for (state, complete) in steps {
                let saved = try store.save(state, over: read, questionnaire: q, complete: complete)
                read = try store.response(id)
                XCTAssertEqual(saved, read, "response \(id) after saving at \(state.position)")
            }
            XCTAssertTrue(read.isComplete)
            XCTAssertEqual(read.ward, id == invited ? "Dalston" : "Hoxton")
            XCTAssertEqual(read.borough, id == invited ? "Hackney" : nil)
            XCTAssertThrowsError(try store.save(InterviewState(answers: [:], position: .review), over: read, questionnaire: q)) { error in
                guard case .responseAlreadyComplete(id)? = error as? SurveyStoreError else { return XCTFail("\(error)") }
            }
        }
    }

    func testASaveOverAnOlderReadIsRefusedAndWritesNothing() throws {
        let store = try SurveyStore(path: directory.appendingPathComponent("db.sqlite").path)
        let published = try store.publish(try load(v1))
        let id = try store.startResponse(versionID: published.versionID, origin: ResponseOrigin(mode: .web))
        let read = try store.response(id)
        let first = try store.save(InterviewState(answers: ["ok": .choice("yes")], position: .question("kinds")), over: read,
                                   questionnaire: published.questionnaire)
        XCTAssertThrowsError(try store.save(InterviewState(answers: ["ok": .choice("no")], position: .review), over: read,
                                            questionnaire: published.questionnaire)) { error in
            guard case .responseChanged(id, expected: 0)? = error as? SurveyStoreError else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try store.response(id), first, "the refused save wrote nothing")
        // Setting the ward (a poll opened with ?ward=) is a change too: a copy read before it is out of date.
        try store.setWard(responseID: id, ward: "Hoxton")
        XCTAssertThrowsError(try store.save(InterviewState(answers: ["ok": .choice("no")], position: .review), over: first,
                                            questionnaire: published.questionnaire))
        let current = try store.response(id)
        XCTAssertEqual(try store.save(InterviewState(answers: ["ok": .choice("no")], position: .review), over: current,
                                      questionnaire: published.questionnaire), try store.response(id))
        XCTAssertEqual(try store.response(id).ward, "Hoxton")
    }

    /// A number answer keeps its value as text and as a number, also when it is replaced in place.
    func testANumberAnswerReplacedInPlaceKeepsItsNumber() throws {
        let store = try SurveyStore(path: directory.appendingPathComponent("db.sqlite").path)
        let published = try store.publish(try load(#"{"version":"1","title":"Poll","questions":[{"id":"age","type":"number","label":"Age"}]}"#))
        let id = try store.startResponse(versionID: published.versionID, origin: ResponseOrigin(mode: .web))
        var read = try store.response(id)
        for value in [42.0, 43.5, 7] {
            read = try store.save(InterviewState(answers: ["age": .number(value)], position: .review), over: read,
                                  questionnaire: published.questionnaire)
            let rows = try store.connection.rows("SELECT value, number FROM answers WHERE response_id = ?", [id])
            XCTAssertEqual(rows.map { [$0[0], $0[1]] }, [[.text(AnswerValue.format(value)), .real(value)]])
        }
    }

    func testASaveFromAnOldRevisionDoesNotOverwriteANewerOne() throws {
        let store = try SurveyStore(path: directory.appendingPathComponent("db.sqlite").path)
        let published = try store.publish(try load(v1))
        let id = try store.startResponse(versionID: published.versionID, origin: ResponseOrigin(mode: .web))
        let q = published.questionnaire
        let read = try store.response(id)
        XCTAssertEqual(read.revision, 0)
        // Two pages read at revision 0; the first save wins, the second is refused.
        let first = try store.save(responseID: id, state: InterviewState(answers: ["ok": .choice("yes")], position: .question("kinds")),
                                   questionnaire: q, revision: read.revision)
        XCTAssertEqual(first.revision, 1)
        XCTAssertThrowsError(try store.save(responseID: id, state: InterviewState(answers: ["ok": .choice("no")], position: .question("kinds")),
                                            questionnaire: q, revision: read.revision)) { error in
            guard case .responseChanged(id, expected: 0)? = error as? SurveyStoreError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("read it again"))
        }
        XCTAssertEqual(try store.response(id).values, ["ok": ["yes"]], "the refused save wrote nothing")
        // From the current revision it goes through; without one (the terminal) it always does.
        XCTAssertEqual(try store.save(responseID: id, state: InterviewState(answers: ["ok": .choice("no")], position: .question("kinds")),
                                      questionnaire: q, revision: 1).revision, 2)
        XCTAssertEqual(try store.save(responseID: id, state: InterviewState(answers: ["ok": .choice("no")], position: .review), questionnaire: q).revision, 3)
        XCTAssertEqual(try store.response(id).revision, 3)
    }

    func testUnknownResponseAndFullDiskGiveClearErrors() throws {
        let path = directory.appendingPathComponent("db.sqlite").path
        let store = try SurveyStore(path: path)
        XCTAssertThrowsError(try store.response(99)) { XCTAssertEqual("\($0)", "there is no response 99 in this database") }
        let published = try store.publish(try load(v1))
        let id = try store.startResponse(versionID: published.versionID, origin: ResponseOrigin(mode: .terminal))
        let kept = InterviewState(answers: ["ok": .choice("yes")], position: .question("kinds"))
        try store.save(responseID: id, state: kept, questionnaire: published.questionnaire)
        // Simulate a full disk: SQLite may not grow the file beyond its current size.
        let pages = try store.db.scalar("PRAGMA page_count").int!
        _ = try store.db.scalar("PRAGMA max_page_count = \(pages)")
        let big = InterviewState(answers: ["ok": .choice("yes"), "ward": .text(String(repeating: "x", count: 200_000))], position: .review)
        XCTAssertThrowsError(try store.save(responseID: id, state: big, questionnaire: published.questionnaire)) { error in
            let e = error as! SurveyStoreError
            XCTAssertTrue(e.isStorageFailure, "\(e)")
            XCTAssertTrue("\(e)".contains("the disk is full"), "\(e)")
        }
        XCTAssertEqual(try store.response(id).answers(for: published.questionnaire), kept.answers, "what was saved before survives")
    }
}
