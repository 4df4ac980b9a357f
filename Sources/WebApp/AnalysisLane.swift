import CSystem
import Foundation
import HTTP
import SurveyStore

/// The lane analysis reads go through (the analyst pages, the JSON API, and the dashboard and
/// reports to come): a bounded queue served by threads of its own, each with its own read-only
/// connection (`SQLITE_OPEN_READONLY`, no migration run). It shares no lock, thread or connection
/// with respondents' page views, so a slow analysis query never holds up a victim's page; when
/// every worker is busy and the queue is full, `submit` refuses at once and the caller answers
/// 503 with `Retry-After`.
final class AnalysisLane: @unchecked Sendable {
    /// One queued read: the work, and where its response goes.
    private struct Job {
        let work: @Sendable (SurveyStore) -> HTTPResponse
        let reply: HTTPReply
    }

    private let path: String
    private let clock: @Sendable () -> Date
    private let log: @Sendable (String) -> Void
    private let capacity: Int
    private let condition = NSCondition()
    private var queue: [Job] = []
    private var stopped = false
    private var running = 0
    /// Jobs refused because the lane was full (for tests and the log).
    private(set) var refused = 0

    /// Starts `workers` threads for the database at `path`; at most `capacity` jobs wait.
    init(path: String, workers: Int, capacity: Int, clock: @escaping @Sendable () -> Date, log: @escaping @Sendable (String) -> Void) {
        self.path = path
        self.clock = clock
        self.log = log
        self.capacity = max(0, capacity)
        for index in 0..<max(1, workers) {
            let thread = Thread { [self] in work() }
            thread.name = "analysis-\(index)"
            // Below the event loops: analysis takes the CPU they leave (SCHED_IDLE, set in `work`).
            thread.qualityOfService = .utility
            running += 1
            thread.start()
        }
    }

    /// Queues `work` to run with one of the lane's read-only stores and answer `reply`; false,
    /// with nothing queued, when the lane is full or stopped.
    func submit(_ work: @escaping @Sendable (SurveyStore) -> HTTPResponse, reply: HTTPReply) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !stopped, queue.count < capacity else {
            refused += 1
            return false
        }
        queue.append(Job(work: work, reply: reply))
        condition.signal()
        return true
    }

    /// Lets queued jobs finish, then stops the workers.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }

    private func work() {
        // Below respondents for the kernel too: `qualityOfService` alone does not change a Linux
        // thread's nice value, and on two cores a dashboard scan would otherwise take a core
        // from the event loops. In SCHED_IDLE (else at nice 19) the lane has the CPU the loops leave.
        if canvass_idle_thread_priority() != 0, canvass_lower_thread_priority(19) != 0 {
            log("analysis lane: could not lower its priority (errno \(errno))")
        }
        var store: SurveyStore?
        while let job = next() {
            if store == nil {
                do { store = try SurveyStore(readOnlyPath: path, clock: clock) } catch { log("analysis lane: \(error)") }
            }
            job.reply.send(store.map(job.work) ?? Self.unavailable)
        }
        condition.lock()
        running -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// The next job, waiting for one; nil once stopped and drained.
    private func next() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !stopped { condition.wait() }
        return queue.isEmpty ? nil : queue.removeFirst()
    }

    /// The answer when analysis cannot run now (the lane is full, or its database cannot be opened).
    static let unavailable = HTTPResponse(status: .serviceUnavailable, contentType: "text/plain; charset=utf-8",
                                          body: "Analysis is busy. Try again in a few seconds.\n",
                                          headers: [("Retry-After", "5"), ("Cache-Control", "no-store")])
}
