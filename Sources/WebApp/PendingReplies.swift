import Foundation
import HTTP

/// Replies to the writes of one group-commit batch, gathered as their completions run and sent
/// together once the batch is done, so each event loop is woken once per batch rather than once
/// per reply. Locked because a write refused after shutdown completes on the caller's thread.
final class PendingReplies: @unchecked Sendable {
    private let lock = NSLock()
    private var batch = HTTPReplyBatch()

    /// Adds the reply to the current batch; its loop makes the response with `produce`.
    func add(_ reply: HTTPReply, producedBy produce: @escaping @Sendable () -> HTTPResponse) {
        lock.lock()
        batch.add(reply, producedBy: produce)
        lock.unlock()
    }

    /// Sends the gathered replies.
    func send() {
        lock.lock()
        var ready = batch
        batch = HTTPReplyBatch()
        lock.unlock()
        ready.send()
    }
}
