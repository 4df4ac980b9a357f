import HTTP

/// Building responses: pages, redirects, cookies, and the headers every response carries.
enum WebResponses {
    /// Sent with every response (the server adds them to its own error pages too). Tokens are in
    /// URLs, so no referrer; no script at all; no framing.
    static let securityHeaders: [(name: String, value: String)] = [
        ("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Frame-Options", "DENY"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]

    static func page(_ bytes: [UInt8], status: HTTPStatus = .ok, cookies: [String] = []) -> HTTPResponse {
        page(bytes: bytes, status: status, cookies: cookies)
    }

    static func page(bytes: [UInt8], status: HTTPStatus = .ok, cookies: [String] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")]
                        + cookies.map { ("Set-Cookie", $0) }, body: bytes)
    }

    static func redirect(_ location: String, cookies: [String] = []) -> HTTPResponse {
        HTTPResponse(status: .seeOther, headers: [("Location", location), ("Cache-Control", "no-store")] + cookies.map { ("Set-Cookie", $0) })
    }

    static func cookie(_ name: String, _ value: String, maxAge: Int? = nil, secure: Bool, sameSite: String = "Lax") -> String {
        var text = "\(name)=\(value); Path=/; HttpOnly; SameSite=\(sameSite)"
        if let maxAge { text += "; Max-Age=\(maxAge)" }
        if secure { text += "; Secure" }
        return text
    }

    static func json(_ text: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json"), ("Cache-Control", "no-store")], body: Array(text.utf8))
    }
}

/// The security headers, for servers that add them to every response (including their own errors).
public enum CanvassWebAppHeaders {
    public static var security: [(name: String, value: String)] { WebResponses.securityHeaders }
}
