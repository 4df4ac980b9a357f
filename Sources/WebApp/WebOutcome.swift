import HTTP
import SurveyStore

/// What a request leads to: a response now, work too slow for an event loop (reads over the whole
/// database, for analysts), or a write whose commit decides the response. Writes go to the
/// group-commit writer; once the batch has committed (nil) or failed, `committed` runs on the
/// writer thread, in commit order (to keep caches in step), and `then` makes the response on the
/// connection's event loop.
enum WebOutcome {
    case response(HTTPResponse)
    case background(@Sendable () -> HTTPResponse)
    case write(Write)

    struct Write {
        var work: (SurveyStore) throws -> Void
        /// The work undoes its own changes when it throws (see `GroupCommitQueue.submit`).
        var selfContained = false
        var committed: ((any Error)?) -> Void = { _ in }
        var then: @Sendable ((any Error)?) -> HTTPResponse
    }

    static func write(_ work: @escaping (SurveyStore) throws -> Void, selfContained: Bool = false, committed: @escaping ((any Error)?) -> Void = { _ in },
                      then: @escaping @Sendable ((any Error)?) -> HTTPResponse) -> WebOutcome {
        .write(Write(work: work, selfContained: selfContained, committed: committed, then: then))
    }
}
