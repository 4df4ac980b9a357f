import HTTP
import SurveyStore

/// What a request leads to: a response now, or a write whose commit decides the response. Writes
/// go to the group-commit writer; `then` runs once the batch has committed (nil) or failed.
enum WebOutcome {
    case response(HTTPResponse)
    case write((SurveyStore) throws -> Void, then: ((any Error)?) -> HTTPResponse)
}
