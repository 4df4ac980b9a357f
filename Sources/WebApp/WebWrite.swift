import HTTP
import SQLite
import SurveyStore

/// One web write: the only way a request changes the database. Its three parts each run in one
/// place:
/// - `work` runs on the group-commit writer inside a batch's transaction and returns its result.
///   It may run twice (a batch in which another job failed after changing something is rolled
///   back and run again), so it must have no effect but on the database and on what it returns.
/// - `committed` is the cache effect: it runs on the writer once the batch's COMMIT has returned,
///   in commit order, with the result or the error (the job's own, or COMMIT's).
/// - `reply` builds the response on the connection's event loop from the same outcome.
///
/// Nothing is acknowledged before COMMIT returns: when COMMIT fails, every job of the batch gets
/// its error in both `committed` and `reply`.
struct WebWrite<Value: Sendable> {
    var work: (SurveyStore) throws -> Value
    /// The work undoes its own changes when it throws (see `GroupCommitQueue.submit`).
    var selfContained = false
    var committed: (Result<Value, any Error>) -> Void = { _ in }
    var reply: @Sendable (Result<Value, any Error>) -> HTTPResponse
}

/// A `WebWrite` of any result type, as a request's outcome carries it.
struct AnyWebWrite {
    /// Queues the write on `writer`; its reply joins `replies`, sent when the batch is done.
    let submit: (_ writer: GroupCommitQueue<SurveyStore>, _ replies: PendingReplies, _ reply: HTTPReply) -> Void

    init<Value: Sendable>(_ write: WebWrite<Value>) {
        submit = { writer, replies, reply in
            writer.submit(write.work, selfContained: write.selfContained) { result in
                write.committed(result)
                let produce = write.reply
                replies.add(reply) { produce(result) }
            }
        }
    }
}
