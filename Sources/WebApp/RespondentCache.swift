import Foundation
import SurveyStore

/// What a respondent link resolves to, kept between requests: who it is (with the form token) and
/// the stored response (nil until started).
struct RespondentSnapshot {
    var access: RespondentAccess
    var stored: StoredResponse?
}

/// Respondents seen recently, so a page view needs no database read and no hashing. The server is
/// the only writer of web responses: each write that commits updates the entry (from the writer
/// thread, after COMMIT), so the cache never runs ahead of the database. A page view that missed
/// reads the database and may insert what it read only if no write landed meanwhile (the epoch is
/// unchanged), so it cannot put back an older state. Entries expire after `lifetime` seconds, which
/// bounds how long a change made by another process could go unseen; the size is capped.
final class RespondentCache: @unchecked Sendable {
    private struct Entry {
        var snapshot: RespondentSnapshot
        var loadedAt: Double
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var epoch: UInt64 = 0
    let capacity: Int
    let lifetime: Double

    init(capacity: Int, lifetime: Double) {
        self.capacity = capacity
        self.lifetime = lifetime
    }

    /// The snapshot for `token` if it is fresh.
    func lookup(_ token: String, now: Double) -> RespondentSnapshot? {
        lock.lock()
        defer { lock.unlock() }
        guard let entry = entries[token], now - entry.loadedAt < lifetime else { return nil }
        return entry.snapshot
    }

    /// The write count so far: take it before reading the database, pass it to `insert`.
    var currentEpoch: UInt64 {
        lock.lock()
        defer { lock.unlock() }
        return epoch
    }

    /// Stores what a page view read, unless a write has landed since `epoch`.
    func insert(_ snapshot: RespondentSnapshot, readAt epoch: UInt64, now: Double) {
        lock.lock()
        defer { lock.unlock() }
        guard self.epoch == epoch else { return }
        store(snapshot, now: now)
    }

    /// Records a committed write: the response of `token` is now `stored`.
    func committed(_ stored: StoredResponse, token: String, now: Double) {
        lock.lock()
        defer { lock.unlock() }
        epoch &+= 1
        guard var entry = entries[token] else { return }
        entry.snapshot.stored = stored
        entry.snapshot.access.responseID = stored.id
        entry.loadedAt = now
        entries[token] = entry
    }

    /// Forgets `token` (after a write whose outcome the cache cannot follow).
    func forget(_ token: String) {
        lock.lock()
        defer { lock.unlock() }
        epoch &+= 1
        entries[token] = nil
    }

    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return entries.count
    }

    private func store(_ snapshot: RespondentSnapshot, now: Double) {
        if entries[snapshot.access.token] == nil && entries.count >= capacity {
            entries = entries.filter { now - $0.value.loadedAt < lifetime }
            if entries.count >= capacity, let victim = entries.keys.first { entries[victim] = nil }
        }
        entries[snapshot.access.token] = Entry(snapshot: snapshot, loadedAt: now)
    }
}
