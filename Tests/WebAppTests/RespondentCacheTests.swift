import Foundation
import XCTest
import TestSupport
import SurveyEngine
import SurveyStore
@testable import WebApp

/// The in-memory respondent cache: current after writes, never behind the database because of a
/// racing page view, bounded in size and age.
final class RespondentCacheTests: XCTestCase {
    private func snapshot(_ token: String, position: InterviewPosition?) -> RespondentSnapshot {
        let access = RespondentAccess(token: token, invitation: nil, responseID: 1, questionnaireID: "poll", csrf: "c")
        let stored = StoredResponse(id: 1, questionnaireVersionID: 1, status: .partial, mode: .web, language: "en",
                                    position: position, borough: nil, ward: nil, values: [:])
        return RespondentSnapshot(access: access, stored: stored)
    }

    func testAPageViewThatReadBeforeAWriteCannotPutBackTheOldState() {
        let cache = RespondentCache(capacity: 10, lifetime: 30)
        cache.insert(snapshot("t", position: .question("a")), readAt: cache.currentEpoch(for: "t"), now: 0)
        // A page view misses (say the entry expired) and notes the epoch before reading…
        let epoch = cache.currentEpoch(for: "t")
        // …meanwhile a write commits the next position…
        var next = snapshot("t", position: .question("b")).stored!
        next.values = ["a": ["yes"]]
        cache.committed(next, access: snapshot("t", position: .question("b")).access, now: 1)
        // …and the page view, having read the old row, tries to cache it.
        cache.insert(snapshot("t", position: .question("a")), readAt: epoch, now: 1)
        XCTAssertEqual(cache.lookup("t", now: 2)?.stored?.position, .question("b"))
        XCTAssertEqual(cache.lookup("t", now: 2)?.stored?.values, ["a": ["yes"]])
    }

    func testACommittedWriteCachesALinkThatPageViewsCouldNotGetIn() {
        let cache = RespondentCache(capacity: 10, lifetime: 30)
        let epoch = cache.currentEpoch(for: "t")
        cache.forget("t")  // a write to the shard while the page view read
        cache.insert(snapshot("t", position: .question("a")), readAt: epoch, now: 0)
        XCTAssertNil(cache.lookup("t", now: 0), "the page view lost the race")
        var saved = snapshot("t", position: .question("b")).stored!
        saved.revision = 4
        cache.committed(saved, access: snapshot("t", position: .question("b")).access, now: 1)
        XCTAssertEqual(cache.lookup("t", now: 1)?.stored?.revision, 4, "the write brings it in")
        XCTAssertEqual(cache.lookup("t", now: 1)?.access.csrf, "c")
    }

    func testShardsTogetherHoldNoMoreThanTheCapacity() {
        let cache = RespondentCache(capacity: 64, lifetime: 10)
        for index in 0..<1000 {
            let token = String(format: "%032x", index * 7919)
            cache.insert(snapshot(token, position: .question("a")), readAt: cache.currentEpoch(for: token), now: 0)
        }
        XCTAssertLessThanOrEqual(cache.count, 64)
        XCTAssertGreaterThan(cache.count, 32, "the tokens spread over the shards")
    }

    /// Real tokens are lowercase hex. Picking the shard from the last digit modulo 16 left shards
    /// 10–15 empty, so a 4,096-entry cache held about 2,560; hashing the whole token fills them all.
    func testHexTokensFillEveryShardUpToTheDocumentedCapacity() {
        let cache = RespondentCache(capacity: 4096, lifetime: 60)
        var generator = SeededRandom.forTest("RespondentCacheTests.hexTokens", defaultSeed: 4096)
        for _ in 0..<20_000 {
            let token = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
            cache.insert(snapshot(token, position: .question("a")), readAt: cache.currentEpoch(for: token), now: 0)
        }
        XCTAssertLessThanOrEqual(cache.count, 4096)
        XCTAssertGreaterThanOrEqual(cache.count, 4000, "every shard is used: \(cache.count) entries held")
    }

    func testEntriesExpireAndTheSizeIsCapped() {
        let cache = RespondentCache(capacity: 3, lifetime: 10, shards: 1)
        for index in 0..<5 { cache.insert(snapshot("t\(index)", position: .question("a")), readAt: cache.currentEpoch(for: "t\(index)"), now: Double(index)) }
        XCTAssertEqual(cache.count, 3)
        XCTAssertNotNil(cache.lookup("t4", now: 5), "the newest entry is kept")
        XCTAssertNil(cache.lookup("t4", now: 14.5), "older than the lifetime: read again")
        cache.forget("t4")
        XCTAssertNil(cache.lookup("t4", now: 5))
    }

    func testAChangeMadeByAnotherProcessIsSeenOnceTheEntryExpires() throws {
        let fixture = try WebFixture { $0.respondentCacheSeconds = 0.3 }
        defer { fixture.stop() }
        let (token, client, _) = try fixture.startedRespondent()
        XCTAssertEqual(try client.get("/s/\(token)/q/asb_problem").status, 200)
        // Another process completes the response behind the server's back.
        let invitation = try XCTUnwrap(try fixture.store.invitation(token: token))
        let responseID = try XCTUnwrap(invitation.responseID)
        let questionnaire = try XCTUnwrap(try fixture.store.latest("rapid-poll-local-asb")).questionnaire
        try fixture.store.save(responseID: responseID, state: InterviewState(answers: ["asb_problem": .choice("no")], position: .submitted),
                               questionnaire: questionnaire, complete: true)
        Thread.sleep(forTimeInterval: 0.4)
        let page = try client.get("/s/\(token)/q/asb_problem")
        XCTAssertTrue(page.body.contains("You have already completed this survey"), String(page.body.prefix(300)))
    }

    func testEachAnswerIsVisibleOnTheNextPageView() throws {
        let fixture = try WebFixture()
        defer { fixture.stop() }
        let (token, client, csrf) = try fixture.startedRespondent()
        XCTAssertFalse(try client.get("/s/\(token)/q/asb_problem").body.contains(" checked"))
        XCTAssertEqual(try client.post("/s/\(token)/q/asb_problem", [("csrf", csrf), ("answer", "yes")]).status, 303)
        XCTAssertTrue(try client.get("/s/\(token)/q/asb_problem").body.contains("value=\"yes\" checked"), "the cached page shows the saved answer")
        XCTAssertEqual(try client.post("/s/\(token)/q/asb_problem", [("csrf", csrf), ("answer", "no")]).status, 303)
        XCTAssertTrue(try client.get("/s/\(token)/q/asb_problem").body.contains("value=\"no\" checked"))
        XCTAssertEqual(fixture.app.respondents.lookup(token, now: Date().timeIntervalSince1970)?.stored?.values["asb_problem"], ["no"])
    }

    func testAnAnswerPostedOverAStalePageDoesNotOverwriteAnotherSave() throws {
        let fixture = try WebFixture()
        defer { fixture.stop() }
        let (token, client, csrf) = try fixture.startedRespondent()
        XCTAssertEqual(try client.get("/s/\(token)/q/asb_problem").status, 200, "the page is read (and cached)")
        // An interviewer saves an answer to the same response from another process.
        let responseID = try XCTUnwrap(try fixture.store.invitation(token: token)?.responseID)
        let questionnaire = try XCTUnwrap(try fixture.store.latest("rapid-poll-local-asb")).questionnaire
        try fixture.store.save(responseID: responseID, state: InterviewState(answers: ["asb_problem": .choice("dont_know")], position: .question("confidence")),
                               questionnaire: questionnaire)
        // The browser posts over its stale page: refused, and sent to the latest state.
        let posted = try client.post("/s/\(token)/q/asb_problem", [("csrf", csrf), ("answer", "yes")])
        XCTAssertEqual(posted.status, 303)
        XCTAssertEqual(TestClient.path(posted.location), "/s/\(token)")
        XCTAssertEqual(try fixture.store.response(responseID).values, ["asb_problem": ["dont_know"]], "the other save stands")
        let resumed = try client.get("/s/\(token)")
        XCTAssertEqual(TestClient.path(resumed.location), "/s/\(token)/q/confidence", "the page is read afresh")
        // From the fresh page the answer goes through.
        XCTAssertEqual(TestClient.path(try client.post("/s/\(token)/q/asb_problem", [("csrf", csrf), ("answer", "yes")]).location), "/s/\(token)/q/asb_kinds")
    }
}
