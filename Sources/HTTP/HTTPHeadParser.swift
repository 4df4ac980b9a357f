/// How the body of a request is delimited.
enum BodyFraming: Equatable {
    case none
    case length(Int)
    case chunked
}

/// Parses a request head (request line and header fields, without the final blank line), in one
/// pass over its bytes: no copy of the head, no array of lines, no strings but the ones kept.
struct HTTPHeadParser {
    let limits: HTTPLimits

    func parse(_ head: ArraySlice<UInt8>) -> Result<(HTTPRequest, BodyFraming), HTTPParseError> {
        head.withUnsafeBufferPointer { parse(bytes: $0) }
    }

    private func parse(bytes: UnsafeBufferPointer<UInt8>) -> Result<(HTTPRequest, BodyFraming), HTTPParseError> {
        let lineEnd = Self.lineEnd(bytes, from: 0)
        guard lineEnd > 0 else { return .failure(HTTPParseError(.badRequest, "empty request")) }
        guard lineEnd <= limits.maxRequestLineBytes else {
            return .failure(HTTPParseError(.uriTooLong, "request line longer than \(limits.maxRequestLineBytes) bytes"))
        }
        guard bytes.count - lineEnd <= limits.maxHeaderBytes + 2 else {
            return .failure(HTTPParseError(.headersTooLarge, "header section larger than \(limits.maxHeaderBytes) bytes"))
        }
        let line: (method: String, target: String, path: String, query: String, version: String)
        switch parseRequestLine(UnsafeBufferPointer(rebasing: bytes[0..<lineEnd])) {
        case .failure(let error): return .failure(error)
        case .success(let parsed): line = parsed
        }
        var headers: [(name: String, value: String)] = []
        var position = lineEnd + 2
        while position <= bytes.count {
            guard headers.count < limits.maxHeaderCount else {
                return .failure(HTTPParseError(.headersTooLarge, "more than \(limits.maxHeaderCount) header fields"))
            }
            let end = Self.lineEnd(bytes, from: position)
            switch parseHeader(UnsafeBufferPointer(rebasing: bytes[position..<end])) {
            case .failure(let error): return .failure(error)
            case .success(let header): headers.append(header)
            }
            position = end + 2
        }
        let request = HTTPRequest(method: line.method, target: line.target, path: line.path, query: line.query, version: line.version,
                                  headers: headers, body: [])
        return framing(request).map { (request, $0) }
    }

    /// Where the line starting at `start` ends: at its CRLF, else at the end of the head.
    private static func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        while i + 1 < bytes.count {
            if bytes[i] == 13 && bytes[i + 1] == 10 { return i }
            i += 1
        }
        return bytes.count
    }

    private func parseRequestLine(_ line: UnsafeBufferPointer<UInt8>) -> Result<(String, String, String, String, String), HTTPParseError> {
        let space = UInt8(ascii: " ")
        guard let firstSpace = line.firstIndex(of: space), let lastSpace = line.lastIndex(of: space),
              firstSpace > 0, lastSpace > firstSpace + 1,
              !line[(firstSpace + 1)..<lastSpace].contains(space) else {
            return .failure(HTTPParseError(.badRequest, "malformed request line"))
        }
        let methodBytes = UnsafeBufferPointer(rebasing: line[0..<firstSpace])
        let versionBytes = UnsafeBufferPointer(rebasing: line[(lastSpace + 1)...])
        guard methodBytes.allSatisfy(Self.isTokenByte) else { return .failure(HTTPParseError(.badRequest, "invalid method")) }
        let method = Self.commonMethod(methodBytes) ?? String(decoding: methodBytes, as: UTF8.self)
        let version: String
        if versionBytes.elementsEqual("HTTP/1.1".utf8) {
            version = "HTTP/1.1"
        } else if versionBytes.elementsEqual("HTTP/1.0".utf8) {
            version = "HTTP/1.0"
        } else if versionBytes.starts(with: "HTTP/".utf8) && versionBytes.count == 8 {
            return .failure(HTTPParseError(.versionNotSupported, "unsupported version \(String(decoding: versionBytes, as: UTF8.self))"))
        } else {
            return .failure(HTTPParseError(.badRequest, "invalid HTTP version"))
        }
        guard limits.allowedMethods.contains(method) else {
            return .failure(HTTPParseError(.methodNotAllowed, "method \(method) not allowed"))
        }
        var targetBytes = UnsafeBufferPointer(rebasing: line[(firstSpace + 1)..<lastSpace])
        guard targetBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return .failure(HTTPParseError(.badRequest, "invalid characters in target")) }
        // Absolute form: keep the path and query after the authority ("/" when there is none).
        let scheme = targetBytes.starts(with: "http://".utf8) ? 7 : targetBytes.starts(with: "https://".utf8) ? 8 : 0
        if scheme > 0 {
            let slash = targetBytes[scheme...].firstIndex(of: UInt8(ascii: "/")) ?? targetBytes.count
            targetBytes = UnsafeBufferPointer(rebasing: targetBytes[slash...])
        }
        let target = targetBytes.isEmpty ? "/" : String(decoding: targetBytes, as: UTF8.self)
        let question = targetBytes.firstIndex(of: UInt8(ascii: "?"))
        let query = question.map { String(decoding: UnsafeBufferPointer(rebasing: targetBytes[($0 + 1)...]), as: UTF8.self) } ?? ""
        let pathEnd = targetBytes.firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }
        let rawPath = pathEnd.map { String(decoding: UnsafeBufferPointer(rebasing: targetBytes[..<$0]), as: UTF8.self) } ?? target
        guard let path = PathNormalizer.normalize(rawPath) else {
            return .failure(HTTPParseError(.badRequest, "invalid path"))
        }
        return .success((method, target, path, query, version))
    }

    /// The methods nearly every request uses, as literals (no string to build).
    private static func commonMethod(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        if bytes.elementsEqual("GET".utf8) { return "GET" }
        if bytes.elementsEqual("POST".utf8) { return "POST" }
        if bytes.elementsEqual("HEAD".utf8) { return "HEAD" }
        return nil
    }

    private func parseHeader(_ line: UnsafeBufferPointer<UInt8>) -> Result<(name: String, value: String), HTTPParseError> {
        guard let first = line.first, first != UInt8(ascii: " "), first != UInt8(ascii: "\t") else {
            return .failure(HTTPParseError(.badRequest, "obsolete line folding or empty header line"))
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else {
            return .failure(HTTPParseError(.badRequest, "header line without a name"))
        }
        let name = UnsafeBufferPointer(rebasing: line[0..<colon])
        guard name.allSatisfy(Self.isTokenByte) else {
            return .failure(HTTPParseError(.badRequest, "invalid header name"))
        }
        var valueStart = colon + 1
        var valueEnd = line.count
        while valueStart < valueEnd, line[valueStart] == 32 || line[valueStart] == 9 { valueStart += 1 }
        while valueEnd > valueStart, line[valueEnd - 1] == 32 || line[valueEnd - 1] == 9 { valueEnd -= 1 }
        let value = UnsafeBufferPointer(rebasing: line[valueStart..<valueEnd])
        guard value.allSatisfy({ $0 == 9 || ($0 >= 32 && $0 != 127) }) else {
            return .failure(HTTPParseError(.badRequest, "control character in header value"))
        }
        return .success((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
    }

    private func framing(_ request: HTTPRequest) -> Result<BodyFraming, HTTPParseError> {
        // One pass over the fields; arrays only for fields that are there.
        var hostCount = 0
        var transferEncodings: [String] = []
        var lengths: [String] = []
        for (name, value) in request.headers {
            if HTTPRequest.sameFieldName(name, "Host") {
                hostCount += 1
            } else if HTTPRequest.sameFieldName(name, "Content-Length") {
                lengths.append(value)
            } else if HTTPRequest.sameFieldName(name, "Transfer-Encoding") {
                transferEncodings.append(value)
            }
        }
        if request.version == "HTTP/1.1" && hostCount != 1 {
            return .failure(HTTPParseError(.badRequest, hostCount == 0 ? "missing Host header" : "several Host headers"))
        }
        if !transferEncodings.isEmpty {
            guard lengths.isEmpty else { return .failure(HTTPParseError(.badRequest, "both Content-Length and Transfer-Encoding")) }
            guard request.version == "HTTP/1.1" else { return .failure(HTTPParseError(.badRequest, "Transfer-Encoding in HTTP/1.0")) }
            let codings = transferEncodings.flatMap { $0.split(separator: ",") }.map { $0.trimmingASCIIWhitespace.lowercased() }
            guard codings == ["chunked"] else { return .failure(HTTPParseError(.notImplemented, "unsupported transfer coding")) }
            return .success(.chunked)
        }
        guard !lengths.isEmpty else { return .success(.none) }
        // Usually one value; a list (or repeated fields) is allowed only if every value agrees.
        let values = lengths.count == 1 && !lengths[0].utf8.contains(UInt8(ascii: ","))
            ? [lengths[0].trimmingASCIIWhitespace]
            : Set(lengths.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }.map { $0.trimmingASCIIWhitespace })
        guard values.count == 1, let text = values.first, !text.isEmpty, text.count <= 12,
              text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let length = Int(text) else {
            return .failure(HTTPParseError(.badRequest, "invalid Content-Length"))
        }
        guard length <= limits.maxBodyBytes else {
            return .failure(HTTPParseError(.contentTooLarge, "body of \(length) bytes exceeds \(limits.maxBodyBytes)"))
        }
        return .success(length == 0 ? .none : .length(length))
    }

    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
