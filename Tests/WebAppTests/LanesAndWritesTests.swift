import Foundation
import XCTest
import CSystem
import HTTP
import SQLite
import SurveyStore
@testable import WebApp

/// Analysis reads run on their own lane, and a web write is acknowledged only once it committed.
final class LanesAndWritesTests: XCTestCase {
    /// Slow analysis jobs fill the lane; respondents' page views keep being answered at once
    /// meanwhile, and analysis beyond the lane's queue gets 503 with Retry-After.
    func testSlowAnalysisNeverHoldsUpRespondentsAndAFullLaneAnswers503() throws {
        let fixture = try WebFixture {
            $0.analysisWorkers = 1
            $0.analysisQueue = 2
            $0.maxReaders = 1
        }
        defer { fixture.stop() }
        let (token, client, _) = try fixture.startedRespondent()
        let release = DispatchSemaphore(value: 0)
        var released = false
        defer { if !released { for _ in 0..<3 { release.signal() } } }
        let finished = DispatchGroup()
        // One job running and two waiting: the lane is full, and each job holds its read-only
        // connection the whole time, as a slow dashboard query would.
        let running = DispatchSemaphore(value: 0)
        for index in 0..<3 {
            finished.enter()
            let accepted = fixture.app.analysis.submit({ store in
                running.signal()
                _ = try? store.responseCounts()
                release.wait()
                return HTTPResponse(status: .ok)
            }, reply: HTTPReply { _ in finished.leave() })
            XCTAssertTrue(accepted)
            if index == 0 { running.wait() }  // the first is running: the other two wait in the queue
        }
        var slowest = 0.0
        for round in 0..<40 {
            let started = Date()
            // Misses of the respondent cache read the database through the respondents' pool.
            if round % 2 == 0 { fixture.app.respondents.forget(token) }
            XCTAssertEqual(try client.get("/s/\(token)/q/asb_problem").status, 200)
            slowest = max(slowest, Date().timeIntervalSince(started))
        }
        XCTAssertLessThan(slowest, 0.5, "respondents' pages were answered while analysis was busy (slowest \(slowest) s)")
        let analyst = TestClient(port: fixture.server.port)
        let busy = try analyst.get("/analyst")
        XCTAssertEqual(busy.status, 503)
        XCTAssertEqual(busy.header("Retry-After"), "5")
        for _ in 0..<3 { release.signal() }
        released = true
        XCTAssertEqual(finished.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(try analyst.get("/analyst").status, 200, "the lane serves again once it has room")
    }

    /// The lane's threads yield the CPU to the event loops: they run in Linux's SCHED_IDLE class
    /// (nice 19 where that is refused), and the loops' threads do not.
    func testTheAnalysisLaneRunsBelowTheEventLoops() throws {
        let fixture = try WebFixture()
        defer { fixture.stop() }
        let done = DispatchSemaphore(value: 0)
        let seen = ResultBox()
        _ = fixture.app.analysis.submit({ _ in
            seen.set("idle \(canvass_thread_runs_idle()), nice \(canvass_thread_nice())")
            return HTTPResponse(status: .ok)
        }, reply: HTTPReply { _ in done.signal() })
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        let value = try XCTUnwrap(seen.value)
        XCTAssertTrue(value.hasPrefix("idle 1") || value.hasSuffix("nice 19"), value)
        XCTAssertEqual(canvass_thread_runs_idle(), 0, "the test's own thread, like the loops', is not idle")
    }

    /// The lane's connections are read-only: a job cannot write through them.
    func testTheAnalysisLaneCannotWrite() throws {
        let fixture = try WebFixture()
        defer { fixture.stop() }
        let outcome = DispatchSemaphore(value: 0)
        let failed = ResultBox()
        _ = fixture.app.analysis.submit({ store in
            do { try store.connection.execute("DELETE FROM answers") } catch { failed.set("\(error)") }
            return HTTPResponse(status: .ok)
        }, reply: HTTPReply { _ in outcome.signal() })
        XCTAssertEqual(outcome.wait(timeout: .now() + 10), .success)
        XCTAssertTrue(failed.value?.contains("readonly") == true, failed.value ?? "the write went through")
    }

    /// COMMIT itself fails (vetoed, as a full disk would fail it) while several respondents post:
    /// none is told their answer was saved, nothing is stored, the cache still shows what was
    /// stored before, and once commits work again the same posts go through.
    func testAFailedCommitAcknowledgesNothing() throws {
        let fixture = try WebFixture()
        defer { fixture.stop() }
        let respondents = try (0..<4).map { _ in try fixture.startedRespondent() }
        try fixture.app.writer.performOutsideTransaction { $0.connection.failCommits(true) }
        let statuses = ResultBox()
        nonisolated(unsafe) let shared = respondents  // each thread uses its own respondent's client
        DispatchQueue.concurrentPerform(iterations: respondents.count) { index in
            let (token, client, csrf) = shared[index]
            let status = (try? client.post("/s/\(token)/q/asb_problem", [("csrf", csrf), ("answer", "yes")]).status) ?? -1
            statuses.append(status)
        }
        XCTAssertEqual(statuses.all.sorted(), [503, 503, 503, 503], "no post is acknowledged")
        XCTAssertEqual(try Connection(path: fixture.dbPath, mode: .readOnly).scalar("SELECT count(*) FROM answers").int, 0)
        for (token, client, _) in respondents {
            let page = try client.get("/s/\(token)/q/asb_problem")
            XCTAssertFalse(page.body.contains("value=\"yes\" checked"), "the cache did not take the failed answer")
        }
        try fixture.app.writer.performOutsideTransaction { $0.connection.failCommits(false) }
        for (token, client, csrf) in respondents {
            XCTAssertEqual(try client.post("/s/\(token)/q/asb_problem", [("csrf", csrf), ("answer", "yes")]).status, 303)
        }
        XCTAssertEqual(try Connection(path: fixture.dbPath, mode: .readOnly).scalar("SELECT count(*) FROM answers").int, 4)
    }

    /// `handle` takes the same path as the server: a POST through it is committed when it returns.
    func testHandleWaitsForTheCommitLikeTheServer() throws {
        let fixture = try WebFixture()
        defer { fixture.stop() }
        let (token, client, csrf) = try fixture.startedRespondent()
        let body = "csrf=\(csrf)&answer=no"
        let cookie = client.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        var parser = HTTPRequestParser()
        parser.append(Array("POST /s/\(token)/q/asb_problem HTTP/1.1\r\nHost: t\r\nCookie: \(cookie)\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8))
        guard case .request(let request) = parser.next() else { return XCTFail("the request parses") }
        XCTAssertEqual(fixture.app.handle(request).status.code, 303)
        XCTAssertEqual(try Connection(path: fixture.dbPath, mode: .readOnly).scalar("SELECT value FROM answers").string, "no")
    }
}

/// Values gathered from several threads.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int] = []
    private var text: String?
    func append(_ value: Int) { lock.lock(); values.append(value); lock.unlock() }
    func set(_ value: String) { lock.lock(); text = value; lock.unlock() }
    var all: [Int] { lock.lock(); defer { lock.unlock() }; return values }
    var value: String? { lock.lock(); defer { lock.unlock() }; return text }
}
