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
        headers.reserveCapacity(8)
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
        // method SP request-target SP HTTP-version, found in one pass: the method is a token, the
        // target visible ASCII (so it holds no space), and the version the last eight bytes.
        var firstSpace = 0
        while firstSpace < line.count, Self.isTokenByte(line[firstSpace]) { firstSpace += 1 }
        let lastSpace = line.count - 9
        guard firstSpace > 0, firstSpace < line.count, line[firstSpace] == UInt8(ascii: " "),
              lastSpace > firstSpace + 1, line[lastSpace] == UInt8(ascii: " ") else {
            return .failure(Self.requestLineProblem(line))
        }
        var targetBytes = UnsafeBufferPointer(rebasing: line[(firstSpace + 1)..<lastSpace])
        for byte in targetBytes where byte <= 0x20 || byte >= 0x7F {
            return .failure(byte == UInt8(ascii: " ") ? HTTPParseError(.badRequest, "malformed request line")
                                                     : HTTPParseError(.badRequest, "invalid characters in target"))
        }
        let version: String
        switch Self.version(UnsafeBufferPointer(rebasing: line[(lastSpace + 1)...])) {
        case .failure(let error): return .failure(error)
        case .success(let text): version = text
        }
        let methodBytes = UnsafeBufferPointer(rebasing: line[0..<firstSpace])
        let method = Self.commonMethod(methodBytes) ?? String(decoding: methodBytes, as: UTF8.self)
        guard limits.allowedMethods.contains(method) else {
            return .failure(HTTPParseError(.methodNotAllowed, "method \(method) not allowed"))
        }
        // Absolute form: keep the path and query after the authority ("/" when there is none).
        let scheme = Self.hasPrefix(targetBytes, "http://") ? 7 : Self.hasPrefix(targetBytes, "https://") ? 8 : 0
        if scheme > 0 {
            let slash = targetBytes[scheme...].firstIndex(of: UInt8(ascii: "/")) ?? targetBytes.count
            targetBytes = UnsafeBufferPointer(rebasing: targetBytes[slash...])
        }
        let target = targetBytes.isEmpty ? "/" : String(decoding: targetBytes, as: UTF8.self)
        var pathEnd: Int?
        var question: Int?
        for index in targetBytes.indices where targetBytes[index] == UInt8(ascii: "?") || targetBytes[index] == UInt8(ascii: "#") {
            if pathEnd == nil { pathEnd = index }
            if targetBytes[index] == UInt8(ascii: "?") { question = index; break }
        }
        let query = question.map { String(decoding: UnsafeBufferPointer(rebasing: targetBytes[($0 + 1)...]), as: UTF8.self) } ?? ""
        let rawPath = pathEnd.map { String(decoding: UnsafeBufferPointer(rebasing: targetBytes[..<$0]), as: UTF8.self) } ?? target
        guard let path = PathNormalizer.normalize(rawPath) else {
            return .failure(HTTPParseError(.badRequest, "invalid path"))
        }
        return .success((method, target, path, query, version))
    }

    /// What is wrong with a request line the one-pass reading could not take apart.
    private static func requestLineProblem(_ line: UnsafeBufferPointer<UInt8>) -> HTTPParseError {
        let space = UInt8(ascii: " ")
        guard let firstSpace = line.firstIndex(of: space), let lastSpace = line.lastIndex(of: space),
              firstSpace > 0, lastSpace > firstSpace + 1, !line[(firstSpace + 1)..<lastSpace].contains(space) else {
            return HTTPParseError(.badRequest, "malformed request line")
        }
        if !line[0..<firstSpace].allSatisfy(isTokenByte) { return HTTPParseError(.badRequest, "invalid method") }
        if case .failure(let error) = version(UnsafeBufferPointer(rebasing: line[(lastSpace + 1)...])) { return error }
        return HTTPParseError(.badRequest, "malformed request line")
    }

    /// HTTP/1.1 or HTTP/1.0 as literals; 505 for another HTTP version, 400 for anything else.
    private static func version(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<String, HTTPParseError> {
        if bytes.count == 8 && hasPrefix(bytes, "HTTP/1.") {
            if bytes[7] == UInt8(ascii: "1") { return .success("HTTP/1.1") }
            if bytes[7] == UInt8(ascii: "0") { return .success("HTTP/1.0") }
        }
        if bytes.count == 8 && hasPrefix(bytes, "HTTP/") {
            return .failure(HTTPParseError(.versionNotSupported, "unsupported version \(String(decoding: bytes, as: UTF8.self))"))
        }
        return .failure(HTTPParseError(.badRequest, "invalid HTTP version"))
    }

    /// True when `bytes` starts with the ASCII `prefix` (compared byte by byte, no iterators).
    private static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, _ prefix: StaticString) -> Bool {
        guard bytes.count >= prefix.utf8CodeUnitCount else { return false }
        let start = prefix.utf8Start
        for index in 0..<prefix.utf8CodeUnitCount where bytes[index] != start[index] { return false }
        return true
    }

    /// The methods nearly every request uses, as literals (no string to build).
    private static func commonMethod(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        switch bytes.count {
        case 3 where hasPrefix(bytes, "GET"): return "GET"
        case 4 where hasPrefix(bytes, "POST"): return "POST"
        case 4 where hasPrefix(bytes, "HEAD"): return "HEAD"
        default: return nil
        }
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
            ? [lengths[0]]
            : Set(lengths.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }.map { $0.trimmingASCIIWhitespace })
        guard values.count == 1, let text = values.first, let length = Self.decimal(text) else {
            return .failure(HTTPParseError(.badRequest, "invalid Content-Length"))
        }
        guard length <= limits.maxBodyBytes else {
            return .failure(HTTPParseError(.contentTooLarge, "body of \(length) bytes exceeds \(limits.maxBodyBytes)"))
        }
        return .success(length == 0 ? .none : .length(length))
    }

    /// A Content-Length value: 1 to 12 decimal digits, with optional spaces or tabs around them.
    private static func decimal(_ text: String) -> Int? {
        var value = 0
        var digits = 0
        var trailing = false
        for byte in text.utf8 {
            if byte == 32 || byte == 9 {
                if digits > 0 { trailing = true }
                continue
            }
            guard byte >= 48, byte <= 57, !trailing, digits < 12 else { return nil }
            value = value * 10 + Int(byte - 48)
            digits += 1
        }
        return digits > 0 ? value : nil
    }

    /// tchar (RFC 9110 §5.6.2): letters, digits and ! # $ % & ' * + - . ^ _ ` | ~
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "!"), UInt8(ascii: "#")...UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"),
             UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
