/// An incremental HTTP/1.1 request parser (RFC 9112) over bytes, with no sockets: feed it what
/// arrives, take out complete requests (several, when pipelined). After a failure the connection
/// must be closed, since the parser cannot know where the next request would start.
public struct HTTPRequestParser: Sendable {
    public enum Result: Equatable, Sendable {
        case request(HTTPRequest)
        case incomplete
        case failure(HTTPParseError)
    }

    private enum State: Sendable {
        case head
        case fixedBody(HTTPRequest, length: Int)
        case chunked(HTTPRequest, ChunkState)
    }

    private enum ChunkPhase: Sendable { case size, data(remaining: Int), dataEnd, trailer }

    private struct ChunkState: Sendable {
        var phase: ChunkPhase = .size
        var body: [UInt8] = []
        var trailerBytes = 0
    }

    public let limits: HTTPLimits
    private var buffer: [UInt8] = []
    private var start = 0
    private var scanned = 0
    private var state: State = .head

    public init(limits: HTTPLimits = HTTPLimits()) { self.limits = limits }

    /// Bytes received but not yet part of a returned request.
    public var bufferedByteCount: Int { buffer.count - start }

    /// True once a request head has been parsed and its body is still arriving.
    public var isReadingBody: Bool {
        if case .head = state { return false }
        return true
    }

    /// True when nothing of a next request has arrived yet (a connection may close cleanly).
    public var isIdle: Bool {
        if case .head = state { return bufferedByteCount == 0 }
        return false
    }

    /// Adds received bytes.
    public mutating func append<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            scanned = 0
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete request, `.incomplete` if more bytes are needed, or a failure.
    public mutating func next() -> Result {
        switch state {
        case .head: return parseHead()
        case .fixedBody(let request, let length): return readFixedBody(request, length: length)
        case .chunked(let request, var chunks):
            let result = readChunks(request, &chunks)
            if case .incomplete = result { state = .chunked(request, chunks) }
            return result
        }
    }

    // MARK: - Head

    private mutating func parseHead() -> Result {
        while buffer.count - start >= 2, buffer[start] == 13, buffer[start + 1] == 10 { start += 2 }
        guard let end = findHeadEnd() else {
            let pending = buffer.count - start
            if firstLineEnd() == nil && pending > limits.maxRequestLineBytes {
                return .failure(HTTPParseError(.uriTooLong, "request line longer than \(limits.maxRequestLineBytes) bytes"))
            }
            if pending > limits.maxRequestLineBytes + limits.maxHeaderBytes + 4 {
                return .failure(HTTPParseError(.headersTooLarge, "header section larger than \(limits.maxHeaderBytes) bytes"))
            }
            return .incomplete
        }
        let parsed = HTTPHeadParser(limits: limits).parse(buffer[start..<end])
        start = end + 4
        scanned = start
        switch parsed {
        case .failure(let error): return .failure(error)
        case .success(let (request, framing)):
            switch framing {
            case .none: return .request(request)
            case .length(let n):
                // Usually the body came with the head: then the request never waits in `state`.
                let result = readFixedBody(request, length: n)
                if case .incomplete = result { state = .fixedBody(request, length: n) }
                return result
            case .chunked:
                var chunks = ChunkState()
                let result = readChunks(request, &chunks)
                if case .incomplete = result { state = .chunked(request, chunks) }
                return result
            }
        }
    }

    private func firstLineEnd() -> Int? {
        var i = start
        while i + 1 < buffer.count {
            if buffer[i] == 13 && buffer[i + 1] == 10 { return i }
            i += 1
        }
        return nil
    }

    private mutating func findHeadEnd() -> Int? {
        let from = max(scanned, start)
        let found = buffer.withUnsafeBufferPointer { bytes -> (end: Int?, next: Int) in
            var i = from
            while i + 3 < bytes.count {
                // Most bytes are not CR or LF: look at the fourth byte first and skip ahead.
                let fourth = bytes[i + 3]
                if fourth != 10 && fourth != 13 {
                    i += 4
                    continue
                }
                if bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && fourth == 10 { return (i, i) }
                i += 1
            }
            return (nil, i)
        }
        if found.end == nil { scanned = max(start, min(found.next, buffer.count - 3)) }
        return found.end
    }

    // MARK: - Bodies

    private mutating func readFixedBody(_ request: HTTPRequest, length: Int) -> Result {
        guard buffer.count - start >= length else { return .incomplete }
        var complete = request
        complete.body = Array(buffer[start..<start + length])
        start += length
        scanned = start
        state = .head
        return .request(complete)
    }

    private mutating func readChunks(_ request: HTTPRequest, _ chunks: inout ChunkState) -> Result {
        while true {
            switch chunks.phase {
            case .size:
                guard let lineEnd = lineEnd(limit: 1024) else {
                    return buffer.count - start > 1024 ? .failure(HTTPParseError(.badRequest, "chunk size line too long")) : .incomplete
                }
                let line = buffer[start..<lineEnd]
                let sizeText = line.prefix { $0 != UInt8(ascii: ";") }
                guard !sizeText.isEmpty, sizeText.count <= 8, let size = Int(String(decoding: sizeText, as: UTF8.self), radix: 16), size >= 0 else {
                    return .failure(HTTPParseError(.badRequest, "invalid chunk size"))
                }
                start = lineEnd + 2
                if size == 0 {
                    chunks.phase = .trailer
                } else {
                    guard chunks.body.count + size <= limits.maxBodyBytes else {
                        return .failure(HTTPParseError(.contentTooLarge, "chunked body larger than \(limits.maxBodyBytes) bytes"))
                    }
                    chunks.phase = .data(remaining: size)
                }
            case .data(let remaining):
                let available = min(remaining, buffer.count - start)
                guard available > 0 else { return .incomplete }
                chunks.body.append(contentsOf: buffer[start..<start + available])
                start += available
                chunks.phase = remaining == available ? .dataEnd : .data(remaining: remaining - available)
            case .dataEnd:
                guard buffer.count - start >= 2 else { return .incomplete }
                guard buffer[start] == 13, buffer[start + 1] == 10 else { return .failure(HTTPParseError(.badRequest, "chunk data not followed by CRLF")) }
                start += 2
                chunks.phase = .size
            case .trailer:
                guard let lineEnd = lineEnd(limit: limits.maxHeaderBytes) else {
                    return buffer.count - start > limits.maxHeaderBytes ? .failure(HTTPParseError(.headersTooLarge, "trailer section too large")) : .incomplete
                }
                let empty = lineEnd == start
                chunks.trailerBytes += lineEnd - start + 2
                start = lineEnd + 2
                if chunks.trailerBytes > limits.maxHeaderBytes { return .failure(HTTPParseError(.headersTooLarge, "trailer section too large")) }
                if empty {
                    var complete = request
                    complete.body = chunks.body
                    scanned = start
                    state = .head
                    return .request(complete)
                }
            }
        }
    }

    private func lineEnd(limit: Int) -> Int? {
        var i = start
        let end = min(buffer.count, start + limit + 2)
        while i + 1 < end {
            if buffer[i] == 13 && buffer[i + 1] == 10 { return i }
            i += 1
        }
        return nil
    }
}
