import Foundation
import XCTest
import SQLite
import SurveyEngine
@testable import SurveyStore

/// One resolver finds questionnaires; a terminal session never overwrites a save made elsewhere.
final class ResolverAndSessionTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("resolver-\(UUID())")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("forms"), withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func write(_ name: String, title: String) throws {
        let json = #"{"version":"1","title":"\#(title)","questions":[{"id":"ok","type":"yesno","label":"OK?"}]}"#
        try json.write(to: directory.appendingPathComponent("forms/\(name).json"), atomically: true, encoding: .utf8)
    }

    func testTheDatabaseComesFirstThenTheFileWhichIsPublishedOnlyWhenAsked() throws {
        let store = try SurveyStore(path: directory.appendingPathComponent("db.sqlite").path)
        let resolver = QuestionnaireResolver(store: store, directory: directory.appendingPathComponent("forms").path)
        try write("poll", title: "From the file")
        guard case .file(let read, _) = try resolver.questionnaire("poll", publishing: false) else { return XCTFail("read from the file") }
        XCTAssertEqual(read.title.text(), "From the file")
        XCTAssertNil(try store.latest("poll"), "reading for analysis stores nothing")
        guard case .published(let published) = try resolver.questionnaire("poll", publishing: true) else { return XCTFail("published") }
        XCTAssertEqual(published.version, 1)
        try write("poll", title: "Changed since")
        XCTAssertEqual(try resolver.questionnaire("poll", publishing: false).questionnaire.title.text(), "From the file", "the stored version wins")
        XCTAssertThrowsError(try resolver.questionnaire("nothing", publishing: false)) { error in
            guard case .questionnaireNotFound(id: "nothing", let file) = error as? SurveyStoreError else { return XCTFail("\(error)") }
            XCTAssertTrue(file.hasSuffix("forms/nothing.json"))
        }
        try "{ not json".write(to: directory.appendingPathComponent("forms/broken.json"), atomically: true, encoding: .utf8)
        let all = resolver.publishAll()
        XCTAssertEqual(all.map { ($0.path as NSString).lastPathComponent }, ["broken.json", "poll.json"])
        guard case .failure(.questionnaireFile) = all[0].result else { return XCTFail("a broken file is reported") }
        guard case .success(let again) = all[1].result else { return XCTFail("poll publishes") }
        XCTAssertEqual(again.version, 2, "the changed file is a new version")
    }

    func testASessionCreatesItsResponseOnTheFirstSaveAndRefusesToOverwrite() throws {
        let store = try SurveyStore(path: directory.appendingPathComponent("db.sqlite").path)
        try write("poll", title: "Poll")
        let published = try QuestionnaireResolver(store: store, directory: directory.appendingPathComponent("forms").path).publish(path: directory.appendingPathComponent("forms/poll.json").path)
        var session = InterviewSession(store: store, published: published, origin: ResponseOrigin(mode: .terminal, administration: .interviewer))
        XCTAssertNil(session.responseID)
        try session.save(InterviewState(answers: [:], position: .question("ok")), complete: false)
        let id = try XCTUnwrap(session.responseID)
        // Someone else saves the same response meanwhile.
        let elsewhere = try store.response(id)
        _ = try store.save(InterviewState(answers: ["ok": .choice("no")], position: .review), over: elsewhere, questionnaire: published.questionnaire)
        XCTAssertThrowsError(try session.save(InterviewState(answers: ["ok": .choice("yes")], position: .review), complete: false)) { error in
            guard case .responseChanged(id, _) = error as? SurveyStoreError else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try store.response(id).values["ok"], ["no"], "the other save stands")
    }
}
