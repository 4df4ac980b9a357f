/// An HTTP/1.1 request as parsed from bytes.
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    /// The request target exactly as sent (`/s/abc?lang=cy`).
    public var target: String
    /// The normalised, percent-decoded path (dot segments removed).
    public var path: String
    /// The raw query string, without `?` (empty if none).
    public var query: String
    /// `HTTP/1.1` or `HTTP/1.0`.
    public var version: String
    /// Header fields in the order received; names as sent.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// The client's address (filled by the server).
    public var remoteAddress: String = ""

    public init(method: String, target: String, path: String, query: String, version: String,
                headers: [(name: String, value: String)], body: [UInt8]) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.body = body
    }

    public static func == (a: HTTPRequest, b: HTTPRequest) -> Bool {
        a.method == b.method && a.target == b.target && a.path == b.path && a.query == b.query && a.version == b.version
            && a.headers.map(\.name) == b.headers.map(\.name) && a.headers.map(\.value) == b.headers.map(\.value) && a.body == b.body
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { Self.sameFieldName($0.name, name) }?.value
    }

    /// Every value of header `name` (case-insensitive).
    public func headerValues(_ name: String) -> [String] {
        headers.compactMap { Self.sameFieldName($0.name, name) ? $0.value : nil }
    }

    /// Field names compare without regard to ASCII case (RFC 9110 §5.1), here without allocating.
    static func sameFieldName(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                for index in 0..<x.count where x[index] != y[index] {
                    let folded = x[index] | 0x20
                    guard folded == y[index] | 0x20, folded >= 97, folded <= 122 else { return false }
                }
                return true
            }
        }
    }

    /// Whether the connection should stay open after this request (HTTP/1.1 default; HTTP/1.0 only
    /// with `Connection: keep-alive`).
    public var wantsKeepAlive: Bool {
        guard headers.contains(where: { Self.sameFieldName($0.name, "Connection") }) else { return version == "HTTP/1.1" }
        let tokens = headerValues("Connection").flatMap { $0.split(separator: ",") }.map { $0.trimmingASCIIWhitespace.lowercased() }
        if tokens.contains("close") { return false }
        return version == "HTTP/1.1" || tokens.contains("keep-alive")
    }

    /// The query parameters, decoded.
    public var queryItems: [String: String] { query.isEmpty ? [:] : FormDecoder.decode(Array(query.utf8)) }

    /// The body as `application/x-www-form-urlencoded` fields; repeated names keep every value.
    public var formValues: [(name: String, value: String)] { FormDecoder.pairs(body) }

    /// Cookies from the `Cookie` header.
    public var cookies: [String: String] {
        var result: [String: String] = [:]
        for header in headerValues("Cookie") {
            // Split on the bytes (`;` and `=` are ASCII), not on Characters.
            for part in header.utf8.split(separator: UInt8(ascii: ";")) {
                guard let equals = part.firstIndex(of: UInt8(ascii: "=")), equals > part.startIndex else { continue }
                let name = header[part.startIndex..<equals].trimmingASCIIWhitespace
                let valueStart = header.utf8.index(after: equals)
                if result[name] == nil { result[name] = header[valueStart..<part.endIndex].trimmingASCIIWhitespace }
            }
        }
        return result
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (found on the bytes: walking Characters
    /// backwards was a third of parsing a POST).
    var trimmingASCIIWhitespace: String {
        let text = String(self)
        let bytes = text.utf8
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, bytes[start] == 32 || bytes[start] == 9 { start = bytes.index(after: start) }
        while start < end {
            let last = bytes.index(before: end)
            guard bytes[last] == 32 || bytes[last] == 9 else { break }
            end = last
        }
        return start == bytes.startIndex && end == bytes.endIndex ? text : String(text[start..<end])
    }
}
