import HTTP
import SurveyStore

/// What a request leads to: a response now, work too slow for an event loop (reads over the whole
/// database, for analysts), or a write whose commit decides the response. Writes go to the
/// group-commit writer; `then` runs once the batch has committed (nil) or failed.
enum WebOutcome {
    case response(HTTPResponse)
    case background(@Sendable () -> HTTPResponse)
    case write((SurveyStore) throws -> Void, then: ((any Error)?) -> HTTPResponse)
}
