/// A promise to answer one request later, from any thread: a handler that must wait (for a
/// database commit, say) returns nil and calls `send` once the response is ready, so the event
/// loop goes on serving other connections meanwhile. Only the first `send` counts; a reply for a
/// connection that has closed meanwhile is dropped.
public final class HTTPReply: @unchecked Sendable {
    let loop: HTTPEventLoop
    let connection: HTTPConnection
    /// Set (under the loop's mailbox lock) by the first `send`.
    var used = false

    init(loop: HTTPEventLoop, connection: HTTPConnection) {
        self.loop = loop
        self.connection = connection
    }

    /// What a reply carries: the response, or how the loop makes it.
    enum Content {
        case response(HTTPResponse)
        case producer(@Sendable () -> HTTPResponse)
    }

    /// Hands `response` to the connection's event loop, which writes it.
    public func send(_ response: HTTPResponse) {
        loop.deliver(.response(response), for: self)
    }

    /// Hands the connection's event loop a function that makes the response, so the caller's
    /// thread (a database writer, say) spends nothing on building it.
    public func send(producedBy produce: @escaping @Sendable () -> HTTPResponse) {
        loop.deliver(.producer(produce), for: self)
    }
}
