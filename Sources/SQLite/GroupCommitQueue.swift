import Foundation

extension GroupCommitQueue where Resource == Connection {
    /// A queue whose jobs receive the connection itself.
    public convenience init(connection: Connection) {
        self.init(resource: connection, connection: connection)
    }
}

extension Result {
    /// The error of a failure, nil for a success.
    public var error: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// Group commit: many threads submit writes, one writer thread runs them in batches, one
/// transaction (and one fsync) per batch, and each caller returns only after its batch has
/// committed. One failing job does not undo the others: a batch first runs without savepoints
/// (they cost a third of a small write), and a job that fails having changed nothing is simply
/// failed; if a job fails after changing something, the batch is rolled back and run again with
/// each job in its own savepoint. So a job may run twice, and must have no effect but on the
/// database and on its own result. If COMMIT itself fails (disk full, read-only file), every job
/// of the batch gets that error.
///
/// The queue owns a `Resource` (a connection, or a store built on one) that only the writer thread
/// touches; jobs receive it as their argument, so callers never share it.
public final class GroupCommitQueue<Resource>: @unchecked Sendable {
    private final class Job {
        let work: (Resource) throws -> Void
        let transactional: Bool
        /// False for jobs that keep themselves atomic (they run in `Connection.transaction`), so the
        /// queue need not wrap them in a savepoint of its own.
        let ownSavepoint: Bool
        var error: (any Error)?
        /// Called on the writer thread once the job's batch has committed (or failed).
        let completion: ((any Error)?) -> Void

        init(work: @escaping (Resource) throws -> Void, transactional: Bool, ownSavepoint: Bool, completion: @escaping ((any Error)?) -> Void) {
            self.work = work
            self.transactional = transactional
            self.ownSavepoint = ownSavepoint
            self.completion = completion
        }
    }

    private let resource: Resource
    private let connection: Connection
    private let condition = NSCondition()
    private var queue: [Job] = []
    private var stopped = false
    private var running = false
    /// The largest batch so far (for benchmarks and tests).
    public private(set) var largestBatch = 0
    /// Number of commits so far.
    public private(set) var commits = 0
    /// Batches run a second time, each job in a savepoint, because a job failed after changing something.
    public private(set) var rerunBatches = 0

    /// Runs after the completions of each batch (on the writer thread), and after the completion
    /// of a job refused because the queue has stopped (on the caller's thread): where completions
    /// that gather their results hand them on together.
    private let afterBatch: () -> Void

    /// Takes ownership of `resource` and its `connection`: from now on only the writer thread uses them.
    public init(resource: Resource, connection: Connection, afterBatch: @escaping () -> Void = {}) {
        self.resource = resource
        self.connection = connection
        self.afterBatch = afterBatch
        let thread = Thread { [self] in run() }
        thread.name = "group-commit"
        running = true
        thread.start()
    }

    /// Runs `work` in the next batch and returns after that batch commits, or throws the job's or
    /// the commit's error. `work` runs on the writer thread, with the queue's connection.
    public func perform(_ work: @escaping (Resource) throws -> Void) throws {
        try wait { done in enqueue(work, transactional: true, ownSavepoint: true, completion: done) }
    }

    /// Runs `work` in the next batch and returns its result after that batch commits.
    public func performReturning<Value>(_ work: @escaping (Resource) throws -> Value) throws -> Value {
        var value: Value?
        try perform { value = try work($0) }
        guard let value else { throw SQLiteError(code: 1, message: "a committed job left no result") }
        return value
    }

    /// Runs `work` on the writer thread outside any transaction (pragmas, checkpoints), in order
    /// with the other jobs.
    public func performOutsideTransaction(_ work: @escaping (Resource) throws -> Void) throws {
        try wait { done in enqueue(work, transactional: false, ownSavepoint: false, completion: done) }
    }

    /// Queues `work` for the next batch and returns at once; `completion` runs on the writer thread
    /// after that batch has committed, with the work's result, or with the job's or the commit's
    /// error. Nothing waits meanwhile, so callers such as event loops keep serving. `selfContained`
    /// says the job undoes its own changes when it throws (it runs them in
    /// `Connection.transaction`), which spares it the savepoint the queue wraps around each job
    /// when a batch runs a second time. Like every job, it may run twice (see the type's summary):
    /// the result is the one from the run that committed.
    public func submit<Value>(_ work: @escaping (Resource) throws -> Value, selfContained: Bool = false,
                              completion: @escaping (Result<Value, any Error>) -> Void) {
        var value: Value?
        enqueue({ value = try work($0) }, transactional: true, ownSavepoint: !selfContained) { error in
            if let error {
                completion(.failure(error))
            } else if let value {
                completion(.success(value))
            } else {
                completion(.failure(SQLiteError(code: 1, message: "a committed job left no result")))
            }
        }
    }

    private func wait(_ start: (@escaping ((any Error)?) -> Void) -> Void) throws {
        let finished = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var failure: (any Error)?
        start { error in
            failure = error
            finished.signal()
        }
        finished.wait()
        if let failure { throw failure }
    }

    private func enqueue(_ work: @escaping (Resource) throws -> Void, transactional: Bool, ownSavepoint: Bool, completion: @escaping ((any Error)?) -> Void) {
        condition.lock()
        guard !stopped else {
            condition.unlock()
            completion(SQLiteError(code: 21, message: "the database writer has stopped"))
            afterBatch()
            return
        }
        queue.append(Job(work: work, transactional: transactional, ownSavepoint: ownSavepoint, completion: completion))
        condition.signal()
        condition.unlock()
    }

    /// Finishes queued jobs, then stops the writer thread.
    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while running { condition.wait() }
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopped { condition.wait() }
            if queue.isEmpty && stopped {
                running = false
                condition.broadcast()
                condition.unlock()
                return
            }
            // A batch is the run of transactional jobs at the head of the queue (or one other job).
            let count = queue.first!.transactional ? (queue.firstIndex { !$0.transactional } ?? queue.count) : 1
            let batch = Array(queue.prefix(count))
            queue.removeFirst(count)
            largestBatch = max(largestBatch, batch.count)
            condition.unlock()
            commit(batch)
            condition.lock()
            commits += 1
            condition.unlock()
            for job in batch { job.completion(job.error) }
            afterBatch()
        }
    }

    private func commit(_ batch: [Job]) {
        if batch.count == 1, !batch[0].transactional {
            do { try batch[0].work(resource) } catch { batch[0].error = error }
            return
        }
        guard begin(batch) else { return }
        if !runWithoutSavepoints(batch) {
            if connection.isInTransaction { try? connection.execute("ROLLBACK") }
            condition.lock()
            rerunBatches += 1
            condition.unlock()
            for job in batch { job.error = nil }
            guard begin(batch) else { return }
            runInSavepoints(batch)
        }
        do {
            try connection.execute("COMMIT")
        } catch {
            if connection.isInTransaction { try? connection.execute("ROLLBACK") }
            for job in batch where job.error == nil { job.error = error }
        }
    }

    /// Opens the batch's transaction; on failure every job gets the error.
    private func begin(_ batch: [Job]) -> Bool {
        do {
            try connection.execute("BEGIN IMMEDIATE")
            return true
        } catch {
            for job in batch { job.error = error }
            return false
        }
    }

    /// Runs the jobs with no savepoints. A job that fails having changed no row keeps its error;
    /// returns false, leaving the transaction to be undone, when one failed after changing
    /// something (or the failure ended the transaction).
    private func runWithoutSavepoints(_ batch: [Job]) -> Bool {
        connection.withoutNestedSavepoints {
            for job in batch {
                let before = connection.totalChanges
                do {
                    try job.work(resource)
                } catch {
                    guard connection.totalChanges == before, connection.isInTransaction else { return false }
                    job.error = error
                }
            }
            return true
        }
    }

    /// Runs each job in a savepoint of its own (or, for a self-contained job, in its own
    /// transaction), so a failing job's changes are undone and the others' kept.
    private func runInSavepoints(_ batch: [Job]) {
        for job in batch {
            do {
                if job.ownSavepoint { try connection.savepoint { try job.work(resource) } } else { try job.work(resource) }
            } catch {
                job.error = error
            }
        }
    }
}
