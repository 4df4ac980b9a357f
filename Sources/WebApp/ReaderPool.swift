import Foundation
import SurveyStore

/// Read-only uses of the database from request threads: each request borrows its own store
/// (its own SQLite connection), so readers never share a connection and never wait on the writer.
final class ReaderPool: @unchecked Sendable {
    private let path: String
    private let clock: @Sendable () -> Date
    private let condition = NSCondition()
    private var idle: [SurveyStore] = []
    private var created = 0
    private let limit: Int
    /// Each reader's SQLite page cache, in KiB (SQLite's default is 2,000).
    static let cacheKiB = 512

    init(path: String, limit: Int, clock: @escaping @Sendable () -> Date) {
        self.path = path
        self.limit = limit
        self.clock = clock
    }

    func with<T>(_ body: (SurveyStore) throws -> T) throws -> T {
        let store = try borrow()
        defer { give(store) }
        return try body(store)
    }

    private func borrow() throws -> SurveyStore {
        condition.lock()
        while idle.isEmpty && created >= limit { condition.wait() }
        if let store = idle.popLast() {
            condition.unlock()
            return store
        }
        created += 1
        condition.unlock()
        do {
            let store = try SurveyStore(path: path, clock: clock)
            // Respondents' reads touch a few pages each, which the operating system's file cache
            // keeps anyway: a small page cache per reader keeps memory flat as the file grows.
            try store.connection.execute("PRAGMA cache_size = -\(Self.cacheKiB)")
            return store
        } catch {
            condition.lock()
            created -= 1
            condition.signal()
            condition.unlock()
            throw error
        }
    }

    private func give(_ store: SurveyStore) {
        condition.lock()
        idle.append(store)
        condition.signal()
        condition.unlock()
    }
}
