import CSystem
import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension HTTPServer {
    private enum Next { case read, write, close }

    /// Handles readiness of one connection: flush, read, answer complete requests, re-arm or close.
    func serve(fd: Int32, buffer: UnsafeMutableRawBufferPointer) {
        lock.lock()
        guard let connection = connections[fd] else { lock.unlock(); return }
        connection.busy = true
        lock.unlock()

        var next: Next = .read
        if connection.hasPendingWrite {
            next = flush(connection) ? (connection.closeAfterWrite ? .close : .read) : .write
        }
        if next == .read {
            let ended = readAvailable(connection, into: buffer)
            next = answer(connection)
            if ended && next != .close {
                if connection.expired && !connection.parser.isIdle && next == .read {
                    _ = write(errorResponse(.requestTimeout).serialized(keepAlive: false), to: connection)
                    configuration.log("\(connection.remoteAddress) request timed out (408)")
                }
                next = .close
            }
        }
        finish(connection, next)
    }

    private func finish(_ connection: HTTPConnection, _ next: Next) {
        if next == .close {
            close(connection)
            return
        }
        lock.lock()
        connection.busy = false
        lock.unlock()
        let events = (next == .write ? CANVASS_EPOLLOUT : CANVASS_EPOLLIN) | CANVASS_EPOLLRDHUP | CANVASS_EPOLLONESHOT
        if (try? register(connection.fd, events: events, add: false)) == nil { close(connection) }
    }

    /// Reads everything available. Returns true at end of stream (or a read error).
    private func readAvailable(_ connection: HTTPConnection, into buffer: UnsafeMutableRawBufferPointer) -> Bool {
        while true {
            let count = recv(connection.fd, buffer.baseAddress, buffer.count, 0)
            if count > 0 {
                connection.parser.append(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                // Do not buffer without bound: the parser fails on over-limit input once it sees it.
                if connection.parser.bufferedByteCount > configuration.limits.maxBodyBytes + configuration.limits.maxHeaderBytes + configuration.limits.maxRequestLineBytes + 64 * 1024 {
                    return false
                }
                // A short read took everything there was; epoll reports the socket again if more
                // arrives, so skip the extra recv that would only say EAGAIN.
                if count < buffer.count { return false }
                continue
            }
            if count == 0 { return true }
            if errno == EINTR { continue }
            return errno != EAGAIN && errno != EWOULDBLOCK
        }
    }

    /// Answers every complete request in the buffer, in order.
    private func answer(_ connection: HTTPConnection) -> Next {
        while true {
            switch connection.parser.next() {
            case .incomplete:
                let now = Self.now()
                if connection.parser.isIdle {
                    connection.requestStarted = 0
                } else if connection.requestStarted == 0 {
                    connection.requestStarted = now
                    setDeadline(connection, now + configuration.headerTimeout + configuration.bodyTimeout, headerDeadline: now + configuration.headerTimeout)
                }
                return .read
            case .failure(let error):
                let bytes = errorResponse(error.status).serialized(keepAlive: false)
                configuration.log("\(connection.remoteAddress) rejected request: \(error.reason) (\(error.status.code))")
                _ = write(bytes, to: connection)
                return .close
            case .request(var request):
                request.remoteAddress = connection.remoteAddress
                let started = Self.now()
                let response = handler(request)
                let keepAlive = request.wantsKeepAlive && !isStopping
                let bytes = response.serialized(keepAlive: keepAlive, headRequest: request.method == "HEAD", extraHeaders: configuration.defaultHeaders)
                let tenths = Int(((Self.now() - started) * 10_000).rounded())
                configuration.log("\(connection.remoteAddress) \"\(request.method) \(configuration.redact(request.path)) \(request.version)\" \(response.status.code) \(response.body.count) \(tenths / 10).\(tenths % 10)ms")
                connection.requestStarted = 0
                setDeadline(connection, Self.now() + configuration.idleTimeout, headerDeadline: nil)
                guard write(bytes, to: connection) else {
                    connection.closeAfterWrite = !keepAlive
                    return .write
                }
                if !keepAlive { return .close }
            }
        }
    }

    private func setDeadline(_ connection: HTTPConnection, _ deadline: Double, headerDeadline: Double?) {
        lock.lock()
        // While the head is incomplete the header timeout applies; once it is parsed, the body's.
        connection.deadline = headerDeadline.map { connection.parser.isReadingBody ? deadline : $0 } ?? deadline
        lock.unlock()
    }

    /// Writes `bytes` in one `send` if the socket takes them; keeps the rest for EPOLLOUT.
    /// Returns true when everything was written (or the peer is gone).
    private func write(_ bytes: [UInt8], to connection: HTTPConnection) -> Bool {
        if connection.hasPendingWrite {
            connection.pending.append(contentsOf: bytes)
            return flush(connection)
        }
        connection.pending = bytes
        connection.pendingOffset = 0
        return flush(connection)
    }

    /// Sends pending bytes until done or the socket is full.
    func flush(_ connection: HTTPConnection) -> Bool {
        while connection.hasPendingWrite {
            let sent = connection.pending.withUnsafeBytes {
                send(connection.fd, $0.baseAddress! + connection.pendingOffset, $0.count - connection.pendingOffset, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                connection.pendingOffset += sent
            } else if sent < 0 && errno == EINTR {
                continue
            } else if sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                return false
            } else {
                connection.pending = []
                connection.pendingOffset = 0
                connection.closeAfterWrite = true
                return true
            }
        }
        connection.pending = []
        connection.pendingOffset = 0
        return true
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
