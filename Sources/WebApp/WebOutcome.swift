import HTTP
import SurveyStore

/// What a request leads to: a response now, a read for the analysis lane (reads over the whole
/// database, for analysts), or a write whose commit decides the response (see `WebWrite`).
enum WebOutcome {
    case response(HTTPResponse)
    case analysis(@Sendable (SurveyStore) -> HTTPResponse)
    case write(AnyWebWrite)

    static func write<Value: Sendable>(_ write: WebWrite<Value>) -> WebOutcome { .write(AnyWebWrite(write)) }
}
