import Foundation

/// A token bucket per client address: `perMinute` events, refilled continuously. Memory is bounded:
/// when too many addresses are tracked, full buckets are forgotten.
final class RateLimiter: @unchecked Sendable {
    private let perMinute: Double
    private let lock = NSLock()
    private var buckets: [String: (tokens: Double, updated: Double)] = [:]
    private let maxTracked = 100_000

    init(perMinute: Int) { self.perMinute = Double(max(1, perMinute)) }

    /// True if `key` may act now (and counts the action).
    func allow(_ key: String, now: Double) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        var bucket = buckets[key] ?? (perMinute, now)
        bucket.tokens = min(perMinute, bucket.tokens + (now - bucket.updated) * perMinute / 60)
        bucket.updated = now
        guard bucket.tokens >= 1 else {
            buckets[key] = bucket
            return false
        }
        bucket.tokens -= 1
        buckets[key] = bucket
        if buckets.count > maxTracked {
            buckets = buckets.filter { now - $0.value.updated < 60 }
        }
        return true
    }
}
