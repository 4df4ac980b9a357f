import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One client connection. Owned by one thread at a time: epoll's one-shot mode hands each event
/// to exactly one thread, which re-arms the descriptor only when it is done with it.
final class HTTPConnection {
    let fd: Int32
    let remoteAddress: String
    var parser: HTTPRequestParser
    /// Bytes of responses not yet written (the socket was full).
    var pending: [UInt8] = []
    var pendingOffset = 0
    /// Close once `pending` is written.
    var closeAfterWrite = false
    /// When the current deadline passes (header, body or idle, whichever applies).
    var deadline: Double
    /// Set by the timeout sweep before it shuts the socket's read side.
    var expired = false
    /// True while a thread is handling an event for this connection.
    var busy = false
    /// When the first byte of the request being received arrived (0 when idle).
    var requestStarted: Double = 0

    init(fd: Int32, remoteAddress: String, limits: HTTPLimits, deadline: Double) {
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.parser = HTTPRequestParser(limits: limits)
        self.deadline = deadline
    }

    var hasPendingWrite: Bool { pendingOffset < pending.count }
}
