/// An HTTP response, serialised into one buffer so it goes out in one write.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: HTTPStatus, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A text response with a content type.
    public init(status: HTTPStatus, contentType: String, body: String, headers: [(name: String, value: String)] = []) {
        self.init(status: status, headers: [("Content-Type", contentType)] + headers, body: Array(body.utf8))
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }

    /// The response bytes: status line, headers (with `Content-Length`, and `Connection: close`
    /// when not keeping alive), blank line, body (omitted for HEAD).
    public func serialized(keepAlive: Bool, headRequest: Bool = false, extraHeaders: [(name: String, value: String)] = []) -> [UInt8] {
        serialized(keepAlive: keepAlive, headRequest: headRequest, extraHeaderBytes: Self.headerBytes(extraHeaders))
    }

    /// Header lines as bytes (unsafe ones dropped), for headers every response carries: the
    /// server serialises them once, not per response.
    static func headerBytes(_ headers: [(name: String, value: String)]) -> [UInt8] {
        var bytes: [UInt8] = []
        for (name, value) in headers where !unsafe(name) && !unsafe(value) { append(name, value, to: &bytes) }
        return bytes
    }

    func serialized(keepAlive: Bool, headRequest: Bool, extraHeaderBytes: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256 + extraHeaderBytes.count + (headRequest ? 0 : body.count))
        bytes.append(contentsOf: "HTTP/1.1 ".utf8)
        ASCIIDecimal.append(status.code, to: &bytes)
        bytes.append(32)
        bytes.append(contentsOf: status.reason.utf8)
        bytes.append(13)
        bytes.append(10)
        for (name, value) in headers where !Self.unsafe(name) && !Self.unsafe(value) { Self.append(name, value, to: &bytes) }
        bytes.append(contentsOf: extraHeaderBytes)
        bytes.append(contentsOf: "Content-Length: ".utf8)
        ASCIIDecimal.append(body.count, to: &bytes)
        bytes.append(13)
        bytes.append(10)
        if !keepAlive { Self.append("Connection", "close", to: &bytes) }
        bytes.append(13)
        bytes.append(10)
        if !headRequest { bytes.append(contentsOf: body) }
        return bytes
    }

    private static func append(_ name: String, _ value: String, to bytes: inout [UInt8]) {
        var name = name, value = value
        name.withUTF8 { bytes.append(contentsOf: $0) }
        bytes.append(58)
        bytes.append(32)
        value.withUTF8 { bytes.append(contentsOf: $0) }
        bytes.append(13)
        bytes.append(10)
    }

    /// Header text with CR or LF would split the response: such headers are dropped.
    private static func unsafe(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { $0.contains { $0 == 13 || $0 == 10 } }
    }
}
