import Foundation

/// A blocking queue of batches between one producer thread and one consumer, bounded so a fast
/// producer cannot fill memory. The producer finishes with `close(error:)`; the consumer then
/// receives nil (or the producer's error).
final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [[Element]] = []
    private var closed = false
    private var failure: (any Error)?
    private var cancelled = false
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Adds a batch, waiting while the queue is full. Returns false once the consumer has cancelled.
    func send(_ batch: [Element]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        items.append(batch)
        condition.broadcast()
        return true
    }

    /// Marks the end of the stream, with the producer's error if it failed.
    func close(error: (any Error)? = nil) {
        condition.lock()
        closed = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// The consumer gives up: a waiting producer is released and later sends are refused.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch; nil at the end; throws the producer's error.
    func receive() throws -> [Element]? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        if !items.isEmpty {
            let batch = items.removeFirst()
            condition.broadcast()
            return batch
        }
        if let failure { throw failure }
        return nil
    }
}
