import Foundation
import SurveyStore

/// Analysis pages' figures, rendered, kept until the data changes: each entry remembers the
/// analysis generation it was made in (`SurveyStore.analysisGeneration`, moved by triggers
/// whenever a write changes what analysis reads, the same number on every connection), and is
/// used only while the generation is unchanged, whichever lane worker asks. Shared by the lane's
/// workers: a final class behind a lock; bounded, emptied when full.
final class FigureCache: @unchecked Sendable {
    private struct Entry {
        let generation: Int64
        let value: String
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private let capacity: Int
    private(set) var hits = 0
    private(set) var misses = 0

    init(capacity: Int = 128) { self.capacity = capacity }

    /// The cached value for `key`, or `make()`'s (reading through `store`), kept for next time.
    func value(_ key: String, store: SurveyStore, make: () throws -> String) throws -> String {
        // Read before the figures are: a write after this read moves the generation again, so
        // figures that already include it are retired at the next look, never kept past it.
        let generation = try store.analysisGeneration()
        lock.lock()
        if let entry = entries[key], entry.generation == generation {
            hits += 1
            lock.unlock()
            return entry.value
        }
        misses += 1
        lock.unlock()
        let value = try make()
        lock.lock()
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[key] = Entry(generation: generation, value: value)
        lock.unlock()
        return value
    }
}
