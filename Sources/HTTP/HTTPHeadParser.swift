/// How the body of a request is delimited.
enum BodyFraming: Equatable {
    case none
    case length(Int)
    case chunked
}

/// Parses a request head (request line and header fields, without the final blank line).
struct HTTPHeadParser {
    let limits: HTTPLimits

    func parse(_ head: [UInt8]) -> Result<(HTTPRequest, BodyFraming), HTTPParseError> {
        var lines = split(head)
        guard !lines.isEmpty else { return .failure(HTTPParseError(.badRequest, "empty request")) }
        let requestLine = lines.removeFirst()
        guard requestLine.count <= limits.maxRequestLineBytes else {
            return .failure(HTTPParseError(.uriTooLong, "request line longer than \(limits.maxRequestLineBytes) bytes"))
        }
        guard lines.count <= limits.maxHeaderCount else {
            return .failure(HTTPParseError(.headersTooLarge, "more than \(limits.maxHeaderCount) header fields"))
        }
        guard head.count - requestLine.count <= limits.maxHeaderBytes + 2 else {
            return .failure(HTTPParseError(.headersTooLarge, "header section larger than \(limits.maxHeaderBytes) bytes"))
        }
        return parseRequestLine(requestLine).flatMap { method, target, path, query, version in
            parseHeaders(lines).flatMap { headers in
                var request = HTTPRequest(method: method, target: target, path: path, query: query, version: version, headers: headers, body: [])
                request.headers = headers
                return framing(request).map { (request, $0) }
            }
        }
    }

    private func split(_ head: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = 0
        var i = 0
        while i + 1 < head.count {
            if head[i] == 13 && head[i + 1] == 10 {
                lines.append(head[lineStart..<i])
                i += 2
                lineStart = i
            } else {
                i += 1
            }
        }
        lines.append(head[lineStart..<head.count])
        return lines
    }

    private func parseRequestLine(_ line: ArraySlice<UInt8>) -> Result<(String, String, String, String, String), HTTPParseError> {
        let space = UInt8(ascii: " ")
        guard let firstSpace = line.firstIndex(of: space), let lastSpace = line.lastIndex(of: space), firstSpace < lastSpace,
              firstSpace > line.startIndex, lastSpace > firstSpace + 1,
              !line[(firstSpace + 1)..<lastSpace].contains(space) else {
            return .failure(HTTPParseError(.badRequest, "malformed request line"))
        }
        let methodBytes = line[line.startIndex..<firstSpace]
        let targetBytes = line[(firstSpace + 1)..<lastSpace]
        let versionBytes = line[(lastSpace + 1)...]
        guard methodBytes.allSatisfy(Self.isTokenByte) else { return .failure(HTTPParseError(.badRequest, "invalid method")) }
        let method = String(decoding: methodBytes, as: UTF8.self)
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
        guard targetBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return .failure(HTTPParseError(.badRequest, "invalid characters in target")) }
        var target = String(decoding: targetBytes, as: UTF8.self)
        if target.hasPrefix("http://") || target.hasPrefix("https://") {
            let afterScheme = target.drop { $0 != "/" }.dropFirst(2)
            target = afterScheme.firstIndex(of: "/").map { String(afterScheme[$0...]) } ?? "/"
        }
        let bytes = target.utf8
        let question = bytes.firstIndex(of: UInt8(ascii: "?"))
        let query = question.map { String(Substring(bytes[bytes.index(after: $0)...])) } ?? ""
        let pathEnd = bytes.firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }
        let rawPath = pathEnd.map { String(Substring(bytes[..<$0])) } ?? target
        guard let path = PathNormalizer.normalize(rawPath) else {
            return .failure(HTTPParseError(.badRequest, "invalid path"))
        }
        return .success((method, target, path, query, version))
    }

    private func parseHeaders(_ lines: [ArraySlice<UInt8>]) -> Result<[(name: String, value: String)], HTTPParseError> {
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(lines.count)
        for line in lines {
            guard let first = line.first, first != UInt8(ascii: " "), first != UInt8(ascii: "\t") else {
                return .failure(HTTPParseError(.badRequest, "obsolete line folding or empty header line"))
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else {
                return .failure(HTTPParseError(.badRequest, "header line without a name"))
            }
            let name = line[line.startIndex..<colon]
            guard name.allSatisfy(Self.isTokenByte) else {
                return .failure(HTTPParseError(.badRequest, "invalid header name"))
            }
            var value = line[(colon + 1)...]
            while let f = value.first, f == 32 || f == 9 { value = value.dropFirst() }
            while let l = value.last, l == 32 || l == 9 { value = value.dropLast() }
            guard value.allSatisfy({ $0 == 9 || ($0 >= 32 && $0 != 127) }) else {
                return .failure(HTTPParseError(.badRequest, "control character in header value"))
            }
            headers.append((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
        }
        return .success(headers)
    }

    private func framing(_ request: HTTPRequest) -> Result<BodyFraming, HTTPParseError> {
        let hosts = request.headerValues("Host")
        if request.version == "HTTP/1.1" && hosts.count != 1 {
            return .failure(HTTPParseError(.badRequest, hosts.isEmpty ? "missing Host header" : "several Host headers"))
        }
        let transferEncodings = request.headerValues("Transfer-Encoding")
        let lengths = request.headerValues("Content-Length")
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
