#if canImport(Glibc)
import Glibc
#endif
import CSystem
import Foundation
import Synchronization

/// An HTTP/1.1 server on non-blocking sockets and epoll, without SwiftNIO. A few event loops (one
/// per core by default), each a thread with its own epoll set and its own connections: serving a
/// request takes no lock and no `epoll_ctl`, and the response goes out in one `send`. Handlers that
/// must wait (a database commit) return nil and answer later through `HTTPReply`, so a loop never
/// blocks on them. Limits and timeouts come from `HTTPServerConfiguration`.
public final class HTTPServer: @unchecked Sendable {
    /// Answers a request at once (it runs on an event loop: it should not block for long).
    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse
    /// Answers a request at once, or returns nil and calls `HTTPReply.send` later from any thread.
    public typealias Responder = @Sendable (HTTPRequest, HTTPReply) -> HTTPResponse?

    let configuration: HTTPServerConfiguration
    let responder: Responder
    private(set) var listenFD: Int32 = -1
    private var loops: [HTTPEventLoop] = []
    private let lock = NSCondition()
    /// Read on every response (to drop keep-alive while stopping), so lock-free.
    private let stopping = Atomic<Bool>(false)
    private var runningLoops = 0
    private var openConnections = 0
    private var nextLoop = 0
    /// The port actually bound (useful with port 0).
    public private(set) var port: UInt16 = 0

    public convenience init(configuration: HTTPServerConfiguration, handler: @escaping Handler) {
        self.init(configuration: configuration, responder: { request, _ in handler(request) })
    }

    public init(configuration: HTTPServerConfiguration, responder: @escaping Responder) {
        self.configuration = configuration
        self.responder = responder
    }

    /// Binds, listens and starts the loops. Returns once the server accepts connections.
    public func start() throws(HTTPServerError) {
        Self.raiseDescriptorLimit(to: configuration.maxConnections + 256)
        listenFD = try Self.listen(host: configuration.host, port: configuration.port)
        port = Self.boundPort(listenFD)
        do {
            for _ in 0..<max(1, configuration.threads) {
                let loop = try HTTPEventLoop(server: self)
                // Every loop waits on the listener; EPOLLEXCLUSIVE wakes one of them per connection burst.
                try loop.add(listenFD, events: CANVASS_EPOLLIN | CANVASS_EPOLLEXCLUSIVE)
                loops.append(loop)
            }
        } catch {
            loops = []
            Glibc.close(listenFD)
            listenFD = -1
            throw error
        }
        lock.lock()
        runningLoops = loops.count
        lock.unlock()
        for (index, loop) in loops.enumerated() {
            let thread = Thread { [self] in
                loop.run()
                lock.lock()
                runningLoops -= 1
                lock.broadcast()
                lock.unlock()
            }
            thread.name = "http-\(index)"
            thread.start()
        }
    }

    /// Stops accepting, lets in-flight requests finish (up to the grace period), closes idle
    /// connections, and returns at once; `waitUntilStopped` blocks until it is done.
    public func stop() {
        guard listenFD >= 0, stopping.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        for loop in loops { epoll_ctl(loop.epollFD, EPOLL_CTL_DEL, listenFD, nil) }
        Glibc.close(listenFD)
        for loop in loops { loop.wake() }
    }

    /// Blocks until every loop has finished after `stop`.
    public func waitUntilStopped() {
        lock.lock()
        while runningLoops > 0 { lock.wait() }
        lock.unlock()
        loops = []
    }

    /// Open connections right now.
    public var connectionCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return openConnections
    }

    var isStopping: Bool { stopping.load(ordering: .acquiring) }

    func connectionClosed() {
        lock.lock()
        openConnections -= 1
        lock.unlock()
    }

    /// Keeps up to 64 MiB of freed heap for reuse instead of handing it straight back to the kernel.
    /// Process-wide, so the program that owns the process decides (`canvass serve` does): on a
    /// busy server glibc's trimming shows up as madvise and TLB shootdowns, about 9% of the durable
    /// POST path in profiles; keeping it raised POST throughput by about a third on the benchmark
    /// (peak RSS unchanged at 28–35 MB).
    public static func keepFreedMemoryForReuse() {
        canvass_keep_freed_memory(64 * 1024 * 1024, 16 * 1024 * 1024)
    }

    /// Raises the soft limit on open files towards `wanted` (within the hard limit), so the
    /// connection cap, not the descriptor limit, is what bounds clients.
    static func raiseDescriptorLimit(to wanted: Int) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < rlim_t(wanted) else { return }
        limit.rlim_cur = min(limit.rlim_max, rlim_t(wanted))
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    // MARK: - Accepting

    /// Accepts what the listener has and deals the connections out to the loops in turn.
    func acceptClients(on acceptor: HTTPEventLoop) {
        for _ in 0..<64 {
            var address = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let fd = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { canvass_accept4(listenFD, $0, &length, Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)) }
            }
            guard fd >= 0 else {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if errno == EMFILE || errno == ENFILE {
                    configuration.log("cannot accept: out of file descriptors (\(errno == EMFILE ? "process" : "system") limit)")
                }
                return
            }
            admit(fd, remote: Self.describe(address), acceptor: acceptor)
        }
    }

    private func admit(_ fd: Int32, remote: String, acceptor: HTTPEventLoop) {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        lock.lock()
        let full = openConnections >= configuration.maxConnections
        if !full { openConnections += 1 }
        let target = loops[nextLoop % loops.count]
        nextLoop &+= 1
        lock.unlock()
        if full {
            let bytes = errorResponse(.serviceUnavailable, retryAfter: true).serialized(keepAlive: false)
            _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            Glibc.close(fd)
            configuration.log("\(remote) connection refused: \(configuration.maxConnections) connections open (503)")
            return
        }
        let connection = HTTPConnection(fd: fd, remoteAddress: remote, limits: configuration.limits,
                                        deadline: Self.now() + configuration.headerTimeout)
        if target === acceptor {
            acceptor.connections[fd] = connection
            if (try? acceptor.add(fd, events: HTTPEventLoop.connectionEvents)) == nil { acceptor.close(connection) }
        } else if !target.hand(connection) {
            // Registration failed: the target would never see it, so close it here.
            Glibc.close(fd)
            connectionClosed()
        }
    }

    /// The small page the server itself sends for protocol errors, with the default headers.
    func errorResponse(_ status: HTTPStatus, retryAfter: Bool = false) -> HTTPResponse {
        var headers = configuration.defaultHeaders
        headers.append(("Content-Type", "text/plain; charset=utf-8"))
        if status == .methodNotAllowed { headers.append(("Allow", configuration.limits.allowedMethods.sorted().joined(separator: ", "))) }
        if retryAfter { headers.append(("Retry-After", "5")) }
        return HTTPResponse(status: status, headers: headers, body: Array("\(status.code) \(status.reason)\n".utf8))
    }
}
