/// Bounds on what one client may send: each has a test and a status code.
public struct HTTPLimits: Sendable {
    /// Longest request line (method, target, version): 414 beyond.
    public var maxRequestLineBytes = 8 * 1024
    /// Largest header section: 431 beyond.
    public var maxHeaderBytes = 32 * 1024
    /// Most header fields: 431 beyond.
    public var maxHeaderCount = 100
    /// Largest body (Content-Length or the sum of chunks): 413 beyond.
    public var maxBodyBytes = 1024 * 1024
    /// Methods served; others get 405.
    public var allowedMethods: Set<String> = ["GET", "HEAD", "POST"]

    public init() {}
}
