import Foundation
import SurveyStore

/// Analysis pages' figures, rendered, kept until the data changes. Each lane connection's
/// `PRAGMA data_version` moves whenever another connection commits; the cache remembers the
/// version each connection last showed it, and any connection seeing its version move (or
/// looking for the first time) starts a new generation. An entry is used only within the
/// generation it was made in, so a commit seen by any worker retires every entry, whichever
/// worker made it. Shared by the lane's workers: a final class behind a lock; bounded, emptied
/// when full.
final class FigureCache: @unchecked Sendable {
    private struct Entry {
        let generation: Int
        let value: String
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var generation = 0
    private var lastSeen: [ObjectIdentifier: Int64] = [:]
    private let capacity: Int
    private(set) var hits = 0
    private(set) var misses = 0

    init(capacity: Int = 128) { self.capacity = capacity }

    /// The cached value for `key`, or `make()`'s (reading through `store`), kept for next time.
    func value(_ key: String, store: SurveyStore, make: () throws -> String) throws -> String {
        // Read before the figures are: a commit after this read moves the version again, so
        // figures that include it are retired on the next look, never kept past it.
        let version = try store.dataVersion()
        let connection = ObjectIdentifier(store)
        lock.lock()
        if lastSeen[connection] != version {
            lastSeen[connection] = version
            generation += 1
        }
        let current = generation
        if let entry = entries[key], entry.generation == current {
            hits += 1
            lock.unlock()
            return entry.value
        }
        misses += 1
        lock.unlock()
        let value = try make()
        lock.lock()
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[key] = Entry(generation: current, value: value)
        lock.unlock()
        return value
    }
}
