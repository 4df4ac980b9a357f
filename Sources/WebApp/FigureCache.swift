import Foundation
import SurveyStore

/// Analysis pages' figures, rendered, kept until the data changes: each entry remembers the
/// analysis generation it was made in (`SurveyStore.analysisGeneration`, moved by triggers
/// whenever a write changes what analysis reads, the same number on every connection), and is
/// used only while the generation is unchanged, whichever lane worker asks. Shared by the lane's
/// workers: a final class behind a lock; bounded, emptied when full. Generations only move
/// forward, so an entry of an older generation can never be used again: the first entry of a
/// newer one drops them all, and under steady writes the cache holds only current figures
/// (otherwise up to `capacity` dead pages, reports among them, stay until it fills).
final class FigureCache: @unchecked Sendable {
    private struct Entry {
        let generation: Int64
        let value: String
    }

    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var newest: Int64 = .min
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
        defer { lock.unlock() }
        if generation > newest {
            entries.removeAll(keepingCapacity: true)
            newest = generation
        }
        // Figures of a generation already passed are answered but not kept.
        guard generation == newest else { return value }
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[key] = Entry(generation: generation, value: value)
        return value
    }

    /// How many entries are held (all of the newest generation).
    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return entries.count
    }
}
