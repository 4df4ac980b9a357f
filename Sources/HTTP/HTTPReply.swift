import Synchronization

/// A promise to answer one request later, from any thread: a handler that must wait (for a
/// database commit, say) returns nil and calls `send` once the response is ready, so the event
/// loop goes on serving other connections meanwhile. Only the first `send` counts; a reply for a
/// connection that has closed meanwhile is dropped.
///
/// A reply made with `init(receiver:)` belongs to no connection: the response goes to the
/// receiver instead, on the thread that sends it. Tools and tests use it to call a handler
/// exactly as the server does, without sockets.
public final class HTTPReply: @unchecked Sendable {
    /// Where the response goes.
    enum Target {
        case connection(HTTPEventLoop, HTTPConnection)
        case receiver(@Sendable (HTTPResponse) -> Void)
    }

    let target: Target
    /// For a connection's reply: set (under the loop's mailbox lock) by the first `send`.
    var used = false
    /// For a receiver's reply: set by the first `send`.
    private let received = Atomic<Bool>(false)

    init(loop: HTTPEventLoop, connection: HTTPConnection) {
        target = .connection(loop, connection)
    }

    /// A reply that hands its response to `receiver` rather than to a connection.
    public init(receiver: @escaping @Sendable (HTTPResponse) -> Void) {
        target = .receiver(receiver)
    }

    /// The event loop of a connection's reply (nil for a receiver's).
    var loop: HTTPEventLoop? {
        if case .connection(let loop, _) = target { return loop }
        return nil
    }

    /// What a reply carries: the response, or how the loop makes it.
    enum Content {
        case response(HTTPResponse)
        case producer(@Sendable () -> HTTPResponse)
    }

    /// Hands `response` to the connection's event loop, which writes it.
    public func send(_ response: HTTPResponse) {
        deliver(.response(response))
    }

    /// Hands the connection's event loop a function that makes the response, so the caller's
    /// thread (a database writer, say) spends nothing on building it.
    public func send(producedBy produce: @escaping @Sendable () -> HTTPResponse) {
        deliver(.producer(produce))
    }

    func deliver(_ content: Content) {
        switch target {
        case .connection(let loop, _):
            loop.deliver(content, for: self)
        case .receiver(let receiver):
            guard !received.exchange(true, ordering: .acquiringAndReleasing) else { return }
            switch content {
            case .response(let response): receiver(response)
            case .producer(let produce): receiver(produce())
            }
        }
    }
}
