/// Why a request could not be parsed: the status to answer with and a short reason (for the log;
/// the client gets only the status page).
public struct HTTPParseError: Error, Equatable, Sendable {
    public var status: HTTPStatus
    public var reason: String

    public init(_ status: HTTPStatus, _ reason: String) {
        self.status = status
        self.reason = reason
    }
}
