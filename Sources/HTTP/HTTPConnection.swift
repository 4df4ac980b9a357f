/// One client connection, owned by one event loop: only that loop's thread touches it (an
/// `HTTPReply` only carries it back to its loop).
final class HTTPConnection {
    let fd: Int32
    let remoteAddress: String
    var parser: HTTPRequestParser
    /// Bytes of responses not yet written (the socket was full, or responses are being batched).
    var pending: [UInt8] = []
    var pendingOffset = 0
    /// Close once `pending` is written.
    var closeAfterWrite = false
    /// When the current deadline passes (header, body or idle, whichever applies).
    var deadline: Double
    /// False after a read found the socket drained; the next EPOLLIN edge sets it again.
    var readable = true
    /// The peer closed its side while a response was still being prepared.
    var peerClosed = false
    /// epoll reported the peer's side closed (or an error): no more edges will come.
    var hangup = false
    /// Set when the loop has closed the socket; later replies for it are dropped.
    var isClosed = false
    /// Waiting in its loop's list of connections to flush at the end of the turn.
    var flushQueued = false
    /// The request whose response a handler promised to send later (nil when none).
    var awaiting: HTTPRequestSummary?
    /// When the first byte of the request being received arrived (0 when idle).
    var requestStarted: Double = 0

    init(fd: Int32, remoteAddress: String, limits: HTTPLimits, deadline: Double) {
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.parser = HTTPRequestParser(limits: limits)
        self.deadline = deadline
    }

    var hasPendingWrite: Bool { pendingOffset < pending.count }

    /// Queues response bytes behind anything not yet written.
    func queue(_ bytes: [UInt8]) {
        if pending.isEmpty {
            pending = bytes
            pendingOffset = 0
        } else {
            pending.append(contentsOf: bytes)
        }
    }
}

/// What the loop keeps of a request while its response is being prepared: enough to frame the
/// response and write the access-log line.
struct HTTPRequestSummary {
    var method: String
    var target: String
    var version: String
    var keepAlive: Bool
    var started: Double
}
