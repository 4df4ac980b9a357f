/// Replies gathered on one thread and sent together: each event loop concerned takes its share
/// under one lock and is woken once. A thread that finishes many requests at a time (a database
/// writer after a group commit) would otherwise wake a loop for each reply, and on two cores the
/// woken loop ran between every two of them.
public struct HTTPReplyBatch {
    private var items: [(HTTPReply, HTTPReply.Content)] = []

    public init() {}

    public var isEmpty: Bool { items.isEmpty }

    /// Adds a reply whose response the connection's loop makes (see `HTTPReply.send(producedBy:)`).
    public mutating func add(_ reply: HTTPReply, producedBy produce: @escaping @Sendable () -> HTTPResponse) {
        items.append((reply, .producer(produce)))
    }

    /// Adds a reply with its response.
    public mutating func add(_ reply: HTTPReply, _ response: HTTPResponse) {
        items.append((reply, .response(response)))
    }

    /// Hands every reply to its loop and empties the batch. As with `HTTPReply.send`, only the
    /// first reply per request counts.
    public mutating func send() {
        guard !items.isEmpty else { return }
        var byLoop: [ObjectIdentifier: (HTTPEventLoop, [(HTTPReply, HTTPReply.Content)])] = [:]
        for item in items {
            guard let loop = item.0.loop else {
                item.0.deliver(item.1)
                continue
            }
            byLoop[ObjectIdentifier(loop), default: (loop, [])].1.append(item)
        }
        items.removeAll(keepingCapacity: true)
        for (loop, share) in byLoop.values { loop.deliver(share) }
    }
}
