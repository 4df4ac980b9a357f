import Foundation

/// A token bucket per client address: `perMinute` events, refilled continuously. A bucket left
/// alone for a minute is full again, the same as no bucket, so every 1,024 events those are
/// forgotten: memory follows the addresses of the last minute, not every address ever seen
/// (and at most `maxTracked` in any case).
final class RateLimiter: @unchecked Sendable {
    private let perMinute: Double
    private let lock = NSLock()
    private var buckets: [String: (tokens: Double, updated: Double)] = [:]
    private let maxTracked = 100_000
    private var events = 0

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
        events += 1
        if events % 1024 == 0 || buckets.count > maxTracked {
            buckets = buckets.filter { now - $0.value.updated < 60 }
        }
        return true
    }

    /// How many addresses are tracked now.
    var tracked: Int {
        lock.lock()
        defer { lock.unlock() }
        return buckets.count
    }
}
