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
        var text = "HTTP/1.1 \(status.code) \(status.reason)\r\n"
        for (name, value) in headers + extraHeaders where !Self.unsafe(name) && !Self.unsafe(value) {
            text += "\(name): \(value)\r\n"
        }
        text += "Content-Length: \(body.count)\r\n"
        if !keepAlive { text += "Connection: close\r\n" }
        text += "\r\n"
        var bytes = Array(text.utf8)
        if !headRequest { bytes.append(contentsOf: body) }
        return bytes
    }

    /// Header text with CR or LF would split the response: such headers are dropped.
    private static func unsafe(_ text: String) -> Bool { text.utf8.contains { $0 == 13 || $0 == 10 } }
}
