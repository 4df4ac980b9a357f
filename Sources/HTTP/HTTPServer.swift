#if canImport(Glibc)
import Glibc
#endif
import CSystem
import Foundation

/// An HTTP/1.1 server on non-blocking sockets and epoll, without SwiftNIO. Several threads wait on
/// one epoll set in one-shot mode, so each ready connection is handled by exactly one thread, which
/// reads, parses, runs the handler and writes the whole response in one `send`. Limits and timeouts
/// come from `HTTPServerConfiguration`; slow clients are timed out by a sweep, not by holding threads.
public final class HTTPServer: @unchecked Sendable {
    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    let configuration: HTTPServerConfiguration
    let handler: Handler
    private var listenFD: Int32 = -1
    private var epollFD: Int32 = -1
    let lock = NSCondition()
    var connections: [Int32: HTTPConnection] = [:]
    var stopping = false
    private var stopDeadline: Double = 0
    private var runningThreads = 0
    private var lastSweep: Double = 0
    /// The port actually bound (useful with port 0).
    public private(set) var port: UInt16 = 0

    public init(configuration: HTTPServerConfiguration, handler: @escaping Handler) {
        self.configuration = configuration
        self.handler = handler
    }

    /// Binds, listens and starts the threads. Returns once the server accepts connections.
    public func start() throws(HTTPServerError) {
        Self.raiseDescriptorLimit(to: configuration.maxConnections + 256)
        listenFD = try Self.listen(host: configuration.host, port: configuration.port)
        port = Self.boundPort(listenFD)
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw .socket(operation: "epoll_create1", errno: errno) }
        try register(listenFD, events: CANVASS_EPOLLIN | CANVASS_EPOLLONESHOT, add: true)
        lock.lock()
        runningThreads = max(1, configuration.threads)
        lock.unlock()
        for index in 0..<max(1, configuration.threads) {
            let thread = Thread { [self] in runLoop() }
            thread.name = "http-\(index)"
            thread.start()
        }
    }

    /// Stops accepting, lets in-flight requests finish (up to the grace period), closes idle
    /// connections, and returns at once; `waitUntilStopped` blocks until it is done.
    public func stop() {
        lock.lock()
        guard !stopping else { lock.unlock(); return }
        stopping = true
        stopDeadline = Self.now() + configuration.shutdownGrace
        lock.unlock()
        epoll_ctl(epollFD, EPOLL_CTL_DEL, listenFD, nil)
        Glibc.close(listenFD)
    }

    /// Blocks until every thread has finished after `stop`.
    public func waitUntilStopped() {
        lock.lock()
        while runningThreads > 0 { lock.wait() }
        lock.unlock()
        if epollFD >= 0 { Glibc.close(epollFD); epollFD = -1 }
    }

    /// Open connections right now.
    public var connectionCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return connections.count
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

    // MARK: - Event loop

    private func runLoop() {
        var events = [epoll_event](repeating: epoll_event(), count: 64)
        // One read buffer per thread, reused for every connection it serves.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = epoll_wait(epollFD, &events, Int32(events.count), 100)
            if count < 0 && errno != EINTR { break }
            for index in 0..<max(0, Int(count)) {
                let fd = events[index].data.fd
                if fd == listenFD {
                    acceptClients()
                } else {
                    serve(fd: fd, buffer: buffer)
                }
            }
            if sweep() { break }
        }
        lock.lock()
        runningThreads -= 1
        lock.broadcast()
        lock.unlock()
    }

    /// Times out slow and idle connections (at most every 100 ms, by one thread); during shutdown
    /// closes idle ones. Returns true when this thread should exit.
    private func sweep() -> Bool {
        let now = Self.now()
        lock.lock()
        let exiting = stopping && (connections.isEmpty || now > stopDeadline)
        guard now - lastSweep >= 0.1 || stopping else { lock.unlock(); return false }
        lastSweep = now
        var expired: [Int32] = []
        for (fd, connection) in connections where !connection.busy && !connection.expired {
            let idle = connection.parser.isIdle && !connection.hasPendingWrite
            if now > connection.deadline || (stopping && (idle || now > stopDeadline)) {
                connection.expired = true
                expired.append(fd)
            }
        }
        lock.unlock()
        // Shutting the read side makes the socket readable (EOF), so the owning path closes it.
        for fd in expired { shutdown(fd, Int32(SHUT_RD)) }
        return exiting
    }

    private func acceptClients() {
        defer { if !isStopping { try? register(listenFD, events: CANVASS_EPOLLIN | CANVASS_EPOLLONESHOT, add: false) } }
        while true {
            var address = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let fd = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { canvass_accept4(listenFD, $0, &length, Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)) }
            }
            guard fd >= 0 else {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if errno == EMFILE || errno == ENFILE {
                    // Out of descriptors: leave the client in the backlog and let the sweep free some.
                    configuration.log("cannot accept: out of file descriptors (\(errno == EMFILE ? "process" : "system") limit)")
                    usleep(10_000)
                }
                return
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let remote = Self.describe(address)
            lock.lock()
            let full = connections.count >= configuration.maxConnections
            let connection = HTTPConnection(fd: fd, remoteAddress: remote, limits: configuration.limits,
                                            deadline: Self.now() + configuration.headerTimeout)
            if !full { connections[fd] = connection }
            lock.unlock()
            if full {
                let bytes = errorResponse(.serviceUnavailable, retryAfter: true).serialized(keepAlive: false)
                _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                Glibc.close(fd)
                configuration.log("\(remote) connection refused: \(configuration.maxConnections) connections open (503)")
                continue
            }
            if (try? register(fd, events: CANVASS_EPOLLIN | CANVASS_EPOLLRDHUP | CANVASS_EPOLLONESHOT, add: true)) == nil {
                close(connection)
            }
        }
    }

    var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    func register(_ fd: Int32, events: UInt32, add: Bool) throws(HTTPServerError) {
        var event = epoll_event(events: events, data: epoll_data_t(fd: fd))
        guard epoll_ctl(epollFD, add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &event) == 0 else {
            throw .socket(operation: "epoll_ctl", errno: errno)
        }
    }

    /// Removes and closes a connection.
    func close(_ connection: HTTPConnection) {
        lock.lock()
        connections[connection.fd] = nil
        lock.unlock()
        Glibc.close(connection.fd)
    }
}
