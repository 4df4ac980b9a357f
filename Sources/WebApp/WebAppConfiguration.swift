import Foundation

/// What the web application is told: the database, limits, and the clock.
public struct WebAppConfiguration: Sendable {
    public var databasePath: String
    /// Poll starts allowed per client address per minute.
    public var pollStartsPerMinute = 10
    /// Analyst login attempts allowed per client address per minute.
    public var loginAttemptsPerMinute = 5
    /// How long an analyst stays signed in, in seconds.
    public var analystSessionSeconds: Double = 8 * 3600
    /// Add `Secure` to cookies (set when a TLS proxy is in front).
    public var secureCookies = false
    /// Addresses of reverse proxies whose `X-Forwarded-For` is believed (the client is the last
    /// address the proxy appended). Others' `X-Forwarded-For` is ignored, so clients cannot spoof it.
    public var trustedProxies: Set<String> = []
    /// Readers kept open for page views (one per concurrent request at most).
    public var maxReaders = 16
    /// Threads (each with its own read-only connection) serving analysis reads, and how many
    /// analysis requests may wait for them before the rest are answered 503.
    public var analysisWorkers = 2
    public var analysisQueue = 32
    /// Respondents kept in memory between page views (a few KiB each), and for how many seconds
    /// before they are read again (which bounds how long another process's change goes unseen).
    public var respondentCacheSize = 4096
    public var respondentCacheSeconds: Double = 30
    /// Most question-page templates kept (a few KB each); the store starts again when full.
    public var pageTemplates = 1024
    public var clock: @Sendable () -> Date = { Date() }
    /// Where server-side problems are reported (never shown to respondents).
    public var log: @Sendable (String) -> Void = { _ in }

    public init(databasePath: String) { self.databasePath = databasePath }
}
