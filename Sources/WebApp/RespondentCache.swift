import Foundation
import SurveyStore

/// What a respondent link resolves to, kept between requests: who it is (with the form token) and
/// the stored response (nil until started).
struct RespondentSnapshot {
    var access: RespondentAccess
    var stored: StoredResponse?
}

/// Respondents seen recently, so a page view needs no database read and no hashing. Each web write
/// that commits stores the new state (from the writer thread, after COMMIT), so the cache never
/// runs ahead of the database. A page view that missed
/// reads the database and may insert what it read only if no write landed meanwhile (the epoch is
/// unchanged), so it cannot put back an older state. Entries expire after `lifetime` seconds, which
/// bounds how long a change made by another process could go unseen; the size is capped. The
/// entries are split over 16 independently locked shards (by token), so the event loops rarely
/// wait for each other: one shared lock showed as futex waits in profiles.
final class RespondentCache: @unchecked Sendable {
    private struct Entry {
        var snapshot: RespondentSnapshot
        var loadedAt: Double
    }

    private final class Shard: @unchecked Sendable {
        let lock = NSLock()
        var entries: [String: Entry] = [:]
        var epoch: UInt64 = 0
    }

    private let shards: [Shard]
    let capacity: Int
    let lifetime: Double

    init(capacity: Int, lifetime: Double, shards: Int = 16) {
        self.capacity = capacity
        self.lifetime = lifetime
        self.shards = (0..<max(1, shards)).map { _ in Shard() }
    }

    /// The shard for `token`: FNV-1a over every byte of the token. (Taking the last hex digit
    /// modulo 16 used only the ten shards a digit 0–9 lands on, so six never filled.)
    private func shard(_ token: String) -> Shard {
        shards[Int(Self.shardHash(token) % UInt64(shards.count))]
    }

    /// 64-bit FNV-1a of the token's UTF-8 bytes.
    static func shardHash(_ token: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in token.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// The snapshot for `token` if it is fresh.
    func lookup(_ token: String, now: Double) -> RespondentSnapshot? {
        let shard = shard(token)
        shard.lock.lock()
        defer { shard.lock.unlock() }
        guard let entry = shard.entries[token], now - entry.loadedAt < lifetime else { return nil }
        return entry.snapshot
    }

    /// The count of writes so far for `token`'s shard: take it before reading the database, pass it to `insert`.
    func currentEpoch(for token: String) -> UInt64 {
        let shard = shard(token)
        shard.lock.lock()
        defer { shard.lock.unlock() }
        return shard.epoch
    }

    /// Stores what a page view read, unless a write has landed in its shard since `epoch`.
    func insert(_ snapshot: RespondentSnapshot, readAt epoch: UInt64, now: Double) {
        let shard = shard(snapshot.access.token)
        shard.lock.lock()
        defer { shard.lock.unlock() }
        guard shard.epoch == epoch else { return }
        store(snapshot, in: shard, now: now)
    }

    /// Puts `snapshot` in `shard` (locked by the caller), making room within the capacity.
    private func store(_ snapshot: RespondentSnapshot, in shard: Shard, now: Double) {
        let token = snapshot.access.token
        let limit = max(1, (capacity + shards.count - 1) / shards.count)
        if shard.entries[token] == nil && shard.entries.count >= limit {
            shard.entries = shard.entries.filter { now - $0.value.loadedAt < lifetime }
            if shard.entries.count >= limit, let victim = shard.entries.keys.first { shard.entries[victim] = nil }
        }
        shard.entries[token] = Entry(snapshot: snapshot, loadedAt: now)
    }

    /// Records a committed write: the response behind `access` is now `stored`. This is the
    /// newest state there is (the writer calls it in commit order), so it is stored whether or not
    /// the link was cached: a link whose page views keep losing the race to writes gets in here.
    func committed(_ stored: StoredResponse, access: RespondentAccess, now: Double) {
        let shard = shard(access.token)
        shard.lock.lock()
        defer { shard.lock.unlock() }
        shard.epoch &+= 1
        var access = access
        access.responseID = stored.id
        store(RespondentSnapshot(access: access, stored: stored), in: shard, now: now)
    }

    /// Forgets `token` (after a write whose outcome the cache cannot follow).
    func forget(_ token: String) {
        let shard = shard(token)
        shard.lock.lock()
        defer { shard.lock.unlock() }
        shard.epoch &+= 1
        shard.entries[token] = nil
    }

    /// Entries held, over all shards.
    var count: Int {
        shards.reduce(0) { total, shard in
            shard.lock.lock()
            defer { shard.lock.unlock() }
            return total + shard.entries.count
        }
    }
}
