#if canImport(Glibc)
import Glibc
#endif
import Foundation

extension HTTPEventLoop {
    private enum ReadOutcome { case data, drained, ended }

    /// Moves a connection forward as far as it can go without waiting: writes what is pending,
    /// answers every complete request in its buffer, reads more while the socket has any.
    func drive(_ connection: HTTPConnection, buffer: UnsafeMutableRawBufferPointer) {
        var answered = 0
        while !connection.isClosed {
            // Responses to pipelined requests go out together, once the buffer has no more.
            let mustFlush = connection.closeAfterWrite || connection.awaiting != nil || connection.pending.count >= 64 * 1024
            if mustFlush && connection.hasPendingWrite && !flush(connection) { return }
            if connection.closeAfterWrite { close(connection); return }
            if connection.awaiting != nil {
                // Keep taking what the peer sends (bounded), to notice a close early.
                if connection.readable && !connection.peerClosed && connection.parser.bufferedByteCount < 64 * 1024,
                   read(connection, buffer) == .ended {
                    connection.peerClosed = true
                }
                return
            }
            // A client pipelining hundreds of requests must not hold the loop: after a share,
            // send what is ready and come back to it after the other connections' events.
            if answered == Self.requestsPerTurn {
                if connection.hasPendingWrite && !flush(connection) { return }
                deferDrive(connection)
                return
            }
            switch connection.parser.next() {
            case .request(let request):
                answered += 1
                dispatch(request, on: connection)
            case .failure(let error):
                configuration.log("\(connection.remoteAddress) rejected request: \(error.reason) (\(error.status.code))")
                connection.queue(server.errorResponse(error.status).serialized(keepAlive: false))
                connection.closeAfterWrite = true
            case .incomplete:
                noteProgress(connection)
                if connection.hasPendingWrite { flushLater(connection) }
                if connection.peerClosed { closeAfterFlush(connection); return }
                guard connection.readable else { return }
                if read(connection, buffer) == .ended {
                    if !connection.parser.isIdle { configuration.log("\(connection.remoteAddress) closed mid-request") }
                    closeAfterFlush(connection)
                    return
                }
            }
        }
    }

    /// Closes now, or once the responses still queued have gone (a client that half-closes after
    /// its last request still gets the answer).
    private func closeAfterFlush(_ connection: HTTPConnection) {
        if connection.hasPendingWrite {
            connection.closeAfterWrite = true
        } else {
            close(connection)
        }
    }

    /// Requests answered for one connection before the loop turns to the others.
    static let requestsPerTurn = 32

    /// Runs the handler; queues its response, or parks the connection until the reply arrives.
    private func dispatch(_ request: HTTPRequest, on connection: HTTPConnection) {
        var request = request
        request.remoteAddress = connection.remoteAddress
        let summary = HTTPRequestSummary(method: request.method, target: request.path, version: request.version,
                                         keepAlive: request.wantsKeepAlive, started: HTTPServer.now())
        connection.requestStarted = 0
        if let response = server.responder(request, HTTPReply(loop: self, connection: connection)) {
            respond(connection, summary, response)
        } else {
            connection.awaiting = summary
        }
    }

    /// Frames, logs and queues a response (written by the caller's next flush).
    func respond(_ connection: HTTPConnection, _ summary: HTTPRequestSummary, _ response: HTTPResponse) {
        let keepAlive = summary.keepAlive && !connection.peerClosed && !server.isStopping
        connection.queue(response.serialized(keepAlive: keepAlive, headRequest: summary.method == "HEAD", extraHeaderBytes: defaultHeaderBytes))
        if !keepAlive { connection.closeAfterWrite = true }
        let now = HTTPServer.now()
        logAccess(connection.remoteAddress, summary, status: response.status.code, bytes: response.body.count, seconds: now - summary.started)
        connection.deadline = now + configuration.idleTimeout
    }

    /// Sets the deadline that applies now: idle between requests, header time from the first byte
    /// of a request, then body time once its head is in.
    private func noteProgress(_ connection: HTTPConnection) {
        guard !connection.parser.isIdle else {
            connection.requestStarted = 0
            return
        }
        if connection.requestStarted == 0 {
            connection.requestStarted = HTTPServer.now()
            connection.deadline = connection.requestStarted + configuration.headerTimeout
        }
        if connection.parser.isReadingBody {
            connection.deadline = connection.requestStarted + configuration.headerTimeout + configuration.bodyTimeout
        }
    }

    /// Reads what the socket has into the parser. A short read means the socket is drained: the
    /// next edge-triggered EPOLLIN says when more arrives, so no extra `recv` just to see EAGAIN.
    private func read(_ connection: HTTPConnection, _ buffer: UnsafeMutableRawBufferPointer) -> ReadOutcome {
        let count = recv(connection.fd, buffer.baseAddress, buffer.count, 0)
        if count > 0 {
            connection.parser.append(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            if count < buffer.count && !connection.hangup { connection.readable = false }
            return .data
        }
        if count < 0 && errno == EINTR { return .data }
        if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
            connection.readable = false
            return .drained
        }
        return .ended
    }

    /// Sends pending bytes until done or the socket is full. Returns true when everything was
    /// written (or the peer is gone, in which case the connection is marked to close).
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
                connection.closeAfterWrite = true
                break
            }
        }
        connection.pending = []
        connection.pendingOffset = 0
        return true
    }
}
