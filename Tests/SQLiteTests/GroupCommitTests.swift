import Foundation
import XCTest
@testable import SQLite

final class GroupCommitTests: XCTestCase {
    var path: String!

    override func setUp() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("gc-\(UUID()).sqlite").path
    }

    override func tearDown() {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    func testConcurrentJobsShareCommitsAndAllLand() throws {
        let setup = try Connection(path: path)
        try setup.enableWAL()
        try setup.execute("CREATE TABLE t(x INTEGER PRIMARY KEY)")
        let writer = try Connection(path: path)
        try writer.enableWAL()
        let queue = GroupCommitQueue(connection: writer)
        let errors = ErrorBox()
        DispatchQueue.concurrentPerform(iterations: 400) { i in
            do {
                try queue.perform { try $0.execute("INSERT INTO t(x) VALUES (?)", [i]) }
            } catch { errors.add(error) }
        }
        queue.stop()
        XCTAssertTrue(errors.all.isEmpty, "\(errors.all)")
        XCTAssertEqual(try setup.scalar("SELECT count(*) FROM t").int, 400)
        XCTAssertLessThan(queue.commits, 400, "jobs were batched")
    }

    func testSubmittedJobsCompleteAfterTheirCommitWithoutAnyoneWaiting() throws {
        let writer = try Connection(path: path)
        try writer.enableWAL()
        try writer.execute("CREATE TABLE t(x INTEGER PRIMARY KEY)")
        let queue = GroupCommitQueue(connection: writer)
        let done = DispatchGroup()
        let results = ErrorBox()
        let committedRows = ErrorBox()
        for i in 0..<50 {
            done.enter()
            queue.submit({ try $0.execute("INSERT INTO t(x) VALUES (?)", [i % 45]) }) { result in
                let error = result.error
                if let error { results.add(error) }
                // The completion runs after COMMIT: a separate connection already sees the row.
                if error == nil, (try? Connection(path: self.path).scalar("SELECT count(*) FROM t WHERE x = ?", [i % 45]).int) != 1 {
                    committedRows.add(SQLiteError(code: 1, message: "row \(i) not visible"))
                }
                done.leave()
            }
        }
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        queue.stop()
        XCTAssertEqual(results.all.count, 5, "the five duplicate keys fail, each alone")
        XCTAssertTrue(committedRows.all.isEmpty, "\(committedRows.all)")
    }

    /// `afterBatch` runs once per batch, after all of that batch's completions (so replies gathered
    /// there can go out together), and after the completion of a job refused once stopped.
    func testAfterBatchRunsOnceEachBatchHasCompleted() throws {
        final class Log: @unchecked Sendable {
            let lock = NSLock()
            var completed = 0
            var completedAtBatchEnds: [Int] = []
        }
        let log = Log()
        let writer = try Connection(path: path)
        try writer.enableWAL()
        try writer.execute("CREATE TABLE t(x INTEGER PRIMARY KEY)")
        let queue = GroupCommitQueue(resource: writer, connection: writer) {
            log.lock.lock()
            log.completedAtBatchEnds.append(log.completed)
            log.lock.unlock()
        }
        let done = DispatchGroup()
        for i in 0..<200 {
            done.enter()
            queue.submit({ try $0.execute("INSERT INTO t(x) VALUES (?)", [i]) }) { _ in
                log.lock.lock()
                log.completed += 1
                log.lock.unlock()
                done.leave()
            }
        }
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        queue.stop()
        XCTAssertEqual(log.completedAtBatchEnds.count, queue.commits, "once per batch")
        XCTAssertEqual(log.completedAtBatchEnds.last, 200, "the last batch end has seen every completion")
        XCTAssertEqual(log.completedAtBatchEnds, log.completedAtBatchEnds.sorted())
        queue.submit({ _ in XCTFail("a stopped queue runs nothing") }) { result in
            XCTAssertNotNil(result.error)
            log.completed += 1
        }
        XCTAssertEqual(log.completedAtBatchEnds.last, 201, "a refused job's completion is followed by afterBatch")
    }

    func testASelfContainedJobNeedsNoSavepointOfTheQueue() throws {
        let writer = try Connection(path: path)
        try writer.execute("CREATE TABLE t(x INTEGER PRIMARY KEY)")
        let queue = GroupCommitQueue(connection: writer)
        let done = DispatchGroup()
        let errors = ErrorBox()
        struct Refused: Error {}
        for (value, fails) in [(1, false), (2, true), (3, false)] {
            done.enter()
            queue.submit({ connection in
                // Atomic by itself: its transaction (a savepoint inside the batch) rolls back on throw.
                try connection.transaction {
                    try connection.execute("INSERT INTO t(x) VALUES (?)", [value])
                    if fails { throw Refused() }
                }
            }, selfContained: true) { result in
                if let error = result.error { errors.add(error) }
                done.leave()
            }
        }
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        queue.stop()
        XCTAssertEqual(errors.all.count, 1)
        XCTAssertEqual(try Connection(path: path).scalar("SELECT group_concat(x) FROM t").string, "1,3")
    }

    struct Refused: Error {}

    /// A queue whose connection has the table `t(x INTEGER PRIMARY KEY)`.
    private func queueOnTable() throws -> GroupCommitQueue<Connection> {
        let writer = try Connection(path: path)
        try writer.execute("CREATE TABLE t(x INTEGER PRIMARY KEY)")
        return GroupCommitQueue(connection: writer)
    }

    /// Queues `jobs` behind a job that holds the writer, so they make one batch; returns each
    /// job's error (nil when it committed) once the batch is done.
    private func runAsOneBatch(_ queue: GroupCommitQueue<Connection>, _ jobs: [(Connection) throws -> Void]) -> [String?] {
        let hold = DispatchSemaphore(value: 0)
        let held = DispatchSemaphore(value: 0)
        queue.submit({ _ in held.signal(); hold.wait() }) { _ in }
        held.wait()
        let done = DispatchGroup()
        let lock = NSLock()
        var errors = [String?](repeating: nil, count: jobs.count)
        for (index, job) in jobs.enumerated() {
            done.enter()
            queue.submit(job) { result in
                lock.lock()
                errors[index] = result.error.map { "\($0)" }
                lock.unlock()
                done.leave()
            }
        }
        hold.signal()
        done.wait()
        return errors
    }

    /// A job that fails having changed nothing (the usual case: a refused save) is failed alone,
    /// and the batch runs once, with no savepoints.
    func testAJobFailingBeforeAnyChangeLeavesItsBatchToCommit() throws {
        let queue = try queueOnTable()
        let runs = ErrorBox()
        let errors = runAsOneBatch(queue, [
            { runs.add(Refused()); try $0.execute("INSERT INTO t(x) VALUES (1)") },
            { _ in throw Refused() },
            { try $0.execute("INSERT INTO t(x) VALUES (1)") },   // a duplicate key: the statement fails, nothing changed
            { try $0.execute("INSERT INTO t(x) VALUES (3)") },
        ])
        queue.stop()
        XCTAssertNil(errors[0])
        XCTAssertNotNil(errors[1])
        XCTAssertTrue(errors[2]?.contains("UNIQUE") == true, errors[2] ?? "")
        XCTAssertNil(errors[3])
        XCTAssertEqual(queue.rerunBatches, 0)
        XCTAssertEqual(runs.all.count, 1, "each job ran once")
        XCTAssertEqual(try Connection(path: path).scalar("SELECT group_concat(x) FROM t").string, "1,3")
    }

    /// A job that fails after changing something has its changes undone: the batch is rolled back
    /// and run again with each job in a savepoint, and the other jobs' writes land.
    func testAJobFailingAfterAChangeIsUndoneAndTheRestOfItsBatchLands() throws {
        let queue = try queueOnTable()
        let runs = ErrorBox()
        let errors = runAsOneBatch(queue, [
            { runs.add(Refused()); try $0.execute("INSERT INTO t(x) VALUES (1)") },
            { try $0.execute("INSERT INTO t(x) VALUES (2)"); throw Refused() },
            { connection in try connection.transaction { try connection.execute("INSERT INTO t(x) VALUES (3)") } },
        ])
        queue.stop()
        XCTAssertEqual(errors.map { $0 != nil }, [false, true, false])
        XCTAssertEqual(queue.rerunBatches, 1)
        XCTAssertEqual(runs.all.count, 2, "the first job ran again in the second attempt")
        XCTAssertEqual(try Connection(path: path).scalar("SELECT group_concat(x) FROM t").string, "1,3")
    }

    func testAFailingJobDoesNotUndoItsBatch() throws {
        let writer = try Connection(path: path)
        try writer.execute("CREATE TABLE t(x INTEGER PRIMARY KEY)")
        let queue = GroupCommitQueue(connection: writer)
        try queue.perform { try $0.execute("INSERT INTO t(x) VALUES (1)") }
        XCTAssertThrowsError(try queue.perform { try $0.execute("INSERT INTO t(x) VALUES (1)") })
        try queue.perform { try $0.execute("INSERT INTO t(x) VALUES (2)") }
        queue.stop()
        XCTAssertEqual(try Connection(path: path).scalar("SELECT group_concat(x) FROM t").string, "1,2")
        XCTAssertThrowsError(try queue.perform { _ in }) { XCTAssertTrue("\($0)".contains("stopped")) }
    }

    func testCommitFailureReachesEveryJob() throws {
        let writer = try Connection(path: path)
        try writer.execute("CREATE TABLE t(x TEXT)")
        let pages = try writer.scalar("PRAGMA page_count").int!
        _ = try writer.scalar("PRAGMA max_page_count = \(pages)")
        let queue = GroupCommitQueue(connection: writer)
        XCTAssertThrowsError(try queue.perform { try $0.execute("INSERT INTO t(x) VALUES (?)", [String(repeating: "x", count: 100_000)]) }) { error in
            XCTAssertTrue((error as? SQLiteError)?.isStorageFailure == true, "\(error)")
        }
        queue.stop()
    }

    /// COMMIT itself failing (here vetoed by the commit hook, as a full disk would fail it): every
    /// job of the batch hears of it, none is told it committed, and nothing is stored.
    func testACommitThatFailsReachesEveryJobOfTheBatchAndStoresNothing() throws {
        let queue = try queueOnTable()
        try queue.performOutsideTransaction { $0.failCommits(true) }
        let errors = runAsOneBatch(queue, (1...5).map { value in { try $0.execute("INSERT INTO t(x) VALUES (?)", [value]) } })
        XCTAssertEqual(errors.count, 5)
        for error in errors { XCTAssertTrue(error?.contains("COMMIT") == true, error ?? "nil: acknowledged") }
        try queue.performOutsideTransaction { $0.failCommits(false) }
        let value: Int = try queue.performReturning { try $0.scalar("SELECT count(*) FROM t").int ?? -1 }
        XCTAssertEqual(value, 0, "nothing of the failed batch is stored")
        try queue.perform { try $0.execute("INSERT INTO t(x) VALUES (9)") }
        queue.stop()
        XCTAssertEqual(try Connection(path: path).scalar("SELECT group_concat(x) FROM t").string, "9", "the writer recovers")
    }

    /// A submitted job's result reaches its completion.
    func testASubmittedJobHandsItsResultToItsCompletion() throws {
        let queue = try queueOnTable()
        let done = DispatchSemaphore(value: 0)
        let box = ErrorBox()
        queue.submit({ connection -> Int64 in
            try connection.execute("INSERT INTO t(x) VALUES (41)")
            return connection.lastInsertRowID + 1
        }) { result in
            if case .success(let value) = result, value == 42 {} else { box.add(SQLiteError(code: 1, message: "got \(result)")) }
            done.signal()
        }
        done.wait()
        queue.stop()
        XCTAssertTrue(box.all.isEmpty, "\(box.all)")
    }

    final class ErrorBox: @unchecked Sendable {
        private let lock = NSLock()
        private var errors: [any Error] = []
        func add(_ e: any Error) { lock.lock(); errors.append(e); lock.unlock() }
        var all: [any Error] { lock.lock(); defer { lock.unlock() }; return errors }
    }
}
