import Foundation

/// Everything an `HTTPServer` is told: where to listen, the limits, timeouts, threads and logger.
public struct HTTPServerConfiguration: Sendable {
    /// IPv4 address to bind (`127.0.0.1` by default; `0.0.0.0` for every interface).
    public var host = "127.0.0.1"
    /// Port; 0 picks a free one (see `HTTPServer.port`).
    public var port: UInt16 = 8080
    public var limits = HTTPLimits()
    /// A client must send a complete request head within this many seconds of its first byte: 408 after.
    public var headerTimeout: Double = 10
    /// An idle keep-alive connection is closed after this many seconds.
    public var idleTimeout: Double = 30
    /// A request body must arrive within this many seconds of its head.
    public var bodyTimeout: Double = 30
    /// A handler that deferred its response must send it within this many seconds; after that the
    /// client gets 503 and the connection closes (a late reply is dropped).
    public var responseTimeout: Double = 60
    /// Most simultaneous connections; beyond it new clients get 503 and are closed. Sized so 1,000
    /// slow or idle clients leave room for others; each idle connection costs a few KiB.
    public var maxConnections = 4096
    /// Event loops, each a thread with its own epoll set (default: one per core). Handlers run on
    /// them, so a handler that must wait defers its response (`HTTPServer.Responder`).
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    /// How long `stop` waits for in-flight requests before closing what is left.
    public var shutdownGrace: Double = 10
    /// Receives server errors, and one access-log line per request unless `accessLog` is set;
    /// never sees tokens if the handler's `redact` hides them.
    public var log: @Sendable (String) -> Void = { _ in }
    /// When set, receives the access log instead of `log`: each event loop gathers the lines of
    /// one turn (UTF-8, each ending in a newline) and hands them over in one call, so a busy
    /// server neither builds a string nor takes the sink's lock for every request.
    public var accessLog: (@Sendable ([UInt8]) -> Void)?
    /// Turns a path into what the access log shows (e.g. hide secret tokens).
    public var redact: @Sendable (String) -> String = { $0 }
    /// Headers added to every response, including error responses the server makes itself.
    public var defaultHeaders: [(name: String, value: String)] = []

    public init() {}
}
