import XCTest
@testable import HTTP

final class HTTPRequestParserTests: XCTestCase {
    private func parse(_ text: String, limits: HTTPLimits = HTTPLimits()) -> [HTTPRequestParser.Result] {
        var parser = HTTPRequestParser(limits: limits)
        parser.append(Array(text.utf8))
        var results: [HTTPRequestParser.Result] = []
        while true {
            let result = parser.next()
            results.append(result)
            if case .request = result { continue }
            return results
        }
    }

    private func status(_ text: String, limits: HTTPLimits = HTTPLimits()) -> Int? {
        if case .failure(let error) = parse(text, limits: limits).last { return error.status.code }
        return nil
    }

    private func reason(_ text: String) -> String? {
        if case .failure(let error) = parse(text).last { return error.reason }
        return nil
    }

    func testTrimmingAndFieldNamesWorkOnBytes() {
        XCTAssertEqual(" \t keep-alive \t".trimmingASCIIWhitespace, "keep-alive")
        XCTAssertEqual("  ".trimmingASCIIWhitespace, "")
        XCTAssertEqual("".trimmingASCIIWhitespace, "")
        XCTAssertEqual(" ŵ ✓ ".trimmingASCIIWhitespace, "ŵ ✓")
        XCTAssertEqual("a, b".split(separator: ",")[1].trimmingASCIIWhitespace, "b")
        XCTAssertTrue(HTTPRequest.sameFieldName("Content-Length", "content-LENGTH"))
        XCTAssertFalse(HTTPRequest.sameFieldName("Content-Length", "Content_Length"))
        XCTAssertFalse(HTTPRequest.sameFieldName("Host", "Hosts"))
        XCTAssertFalse(HTTPRequest.sameFieldName("[", "{"), "only letters fold")
    }

    func testContentLengthListsMustAgree() {
        var parser = HTTPRequestParser()
        parser.append(Array("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 3\r\n\r\nabc".utf8))
        guard case .request(let request) = parser.next() else { return XCTFail("agreeing list accepted") }
        XCTAssertEqual(request.body, Array("abc".utf8))
        var disagreeing = HTTPRequestParser()
        disagreeing.append(Array("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd".utf8))
        guard case .failure(let error) = disagreeing.next() else { return XCTFail("disagreeing lengths refused") }
        XCTAssertEqual(error.status, .badRequest)
    }

    func testSimpleGet() {
        guard case .request(let request) = parse("GET /s/abc?lang=cy HTTP/1.1\r\nHost: x\r\nCookie: a=1; b=2\r\n\r\n").first else { return XCTFail() }
        XCTAssertEqual(request.method, "GET")
        XCTAssertEqual(request.path, "/s/abc")
        XCTAssertEqual(request.queryItems, ["lang": "cy"])
        XCTAssertEqual(request.cookies, ["a": "1", "b": "2"])
        XCTAssertTrue(request.wantsKeepAlive)
    }

    func testCookiesFirstValueWinsAndJunkIsSkipped() {
        let head = "GET / HTTP/1.1\r\nHost: x\r\nCookie: lang=cy;  theme = dark ;=orphan; flag; lang=en; token=a=b\r\nCookie: empty=\r\n\r\n"
        guard case .request(let request) = parse(head).first else { return XCTFail() }
        XCTAssertEqual(request.cookies, ["lang": "cy", "theme": "dark", "token": "a=b", "empty": ""])
    }

    func testPipelinedRequestsAndByteByByteFeeding() {
        let text = "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nq=1&rGET /b HTTP/1.1\r\nHost: x\r\n\r\n"
        let results = parse(text)
        XCTAssertEqual(results.count, 3)
        guard case .request(let first) = results[0], case .request(let second) = results[1] else { return XCTFail("\(results)") }
        XCTAssertEqual(first.body, Array("q=1&r".utf8))
        XCTAssertEqual(first.formValues.map(\.name), ["q", "r"])
        XCTAssertEqual(second.path, "/b")
        XCTAssertEqual(results[2], .incomplete)

        var parser = HTTPRequestParser()
        var got: [String] = []
        for byte in text.utf8 {
            parser.append([byte])
            while case .request(let r) = parser.next() { got.append(r.path) }
        }
        XCTAssertEqual(got, ["/a", "/b"])
    }

    func testChunkedBody() {
        let text = "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nTrailer: t\r\n\r\n"
        guard case .request(let request) = parse(text).first else { return XCTFail() }
        XCTAssertEqual(String(decoding: request.body, as: UTF8.self), "Wikipedia")
        var parser = HTTPRequestParser()
        var body: [UInt8]?
        for byte in text.utf8 {
            parser.append([byte])
            if case .request(let r) = parser.next() { body = r.body }
        }
        XCTAssertEqual(body.map { String(decoding: $0, as: UTF8.self) }, "Wikipedia")
        XCTAssertEqual(status("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"), 400)
        var limits = HTTPLimits()
        limits.maxBodyBytes = 8
        XCTAssertEqual(status(text, limits: limits), 413)
    }

    func testLimits() {
        var limits = HTTPLimits()
        limits.maxRequestLineBytes = 64
        XCTAssertEqual(status("GET /" + String(repeating: "a", count: 100), limits: limits), 414, "long line without CRLF yet")
        XCTAssertEqual(status("GET /" + String(repeating: "a", count: 100) + " HTTP/1.1\r\nHost: x\r\n\r\n", limits: limits), 414)
        XCTAssertEqual(status("GET / HTTP/1.1\r\nHost: x\r\nX: " + String(repeating: "a", count: 40_000) + "\r\n\r\n"), 431)
        let many = (0..<101).map { "X-\($0): y\r\n" }.joined()
        XCTAssertEqual(status("GET / HTTP/1.1\r\nHost: x\r\n" + many + "\r\n"), 431)
        XCTAssertEqual(status("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n"), 413)
    }

    func testMalformedRequests() {
        XCTAssertEqual(status("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc"), 400)
        XCTAssertEqual(status("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 4\r\n\r\nabc"), 400)
        XCTAssertEqual(status("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -3\r\n\r\nabc"), 400)
        XCTAssertEqual(status("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0x10\r\n\r\n"), 400)
        XCTAssertEqual(status("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"), 501)
        XCTAssertEqual(status("GET / HTTP/1.1\r\n\r\n"), 400, "missing Host")
        XCTAssertEqual(status("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400)
        XCTAssertEqual(status("GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n"), 400)
        XCTAssertEqual(status("GET / HTTP/1.1\r\nHost : x\r\n\r\n"), 400)
        XCTAssertEqual(status("GET / HTTP/2.0\r\nHost: x\r\n\r\n"), 505)
        XCTAssertEqual(status("GET / HTP/1.1\r\nHost: x\r\n\r\n"), 400)
        XCTAssertEqual(status("GET  / HTTP/1.1\r\nHost: x\r\n\r\n"), 400)
        XCTAssertEqual(status("DELETE / HTTP/1.1\r\nHost: x\r\n\r\n"), 405)
        XCTAssertEqual(status("GET /../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n"), 400)
        XCTAssertEqual(status("GET /a/%2e%2e/%2e%2e/x HTTP/1.1\r\nHost: x\r\n\r\n"), 400)
        XCTAssertEqual(status("GET /a%2fb HTTP/1.1\r\nHost: x\r\n\r\n"), 400)
        XCTAssertEqual(status("GET /a%00 HTTP/1.1\r\nHost: x\r\n\r\n"), 400)
        XCTAssertEqual(status("GET / HTTP/1.1\r\nHost: x\u{01}\r\n\r\n"), 400)
        // The request line read in one pass still says what was wrong with it.
        XCTAssertEqual(reason("G(T / HTTP/1.1\r\nHost: x\r\n\r\n"), "invalid method")
        XCTAssertEqual(reason("GET /a b HTTP/1.1\r\nHost: x\r\n\r\n"), "malformed request line")
        XCTAssertEqual(reason("GET /\u{7F} HTTP/1.1\r\nHost: x\r\n\r\n"), "invalid characters in target")
        XCTAssertEqual(reason("GET / HTTP/1.10\r\nHost: x\r\n\r\n"), "invalid HTTP version")
        XCTAssertEqual(reason("GET / HTTP/1.1 \r\nHost: x\r\n\r\n"), "malformed request line")
        XCTAssertEqual(reason("GET\r\nHost: x\r\n\r\n"), "malformed request line")
        XCTAssertEqual(reason("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1 2\r\n\r\n12"), "invalid Content-Length")
        XCTAssertEqual(reason("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1234567890123\r\n\r\n"), "invalid Content-Length")
        guard case .request(let request)? = parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length:\t3 \r\n\r\nabc").first else {
            return XCTFail("spaces and tabs around the digits are allowed")
        }
        XCTAssertEqual(request.body, Array("abc".utf8))
    }

    /// tchar as RFC 9110 §5.6.2 lists it, byte by byte.
    func testTokenBytesAreExactlyTheRFCsTchar() {
        let listed = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        for byte in UInt8.min...UInt8.max {
            XCTAssertEqual(HTTPHeadParser.isTokenByte(byte), listed.contains(byte), "byte \(byte)")
        }
    }

    func testPathNormalisationAndHTTP10() {
        guard case .request(let r) = parse("GET /a/./b/../c//d?x=1 HTTP/1.0\r\n\r\n").first else { return XCTFail() }
        XCTAssertEqual(r.path, "/a/c/d")
        XCTAssertFalse(r.wantsKeepAlive, "HTTP/1.0 closes unless asked")
        guard case .request(let absolute) = parse("GET http://example.org/p/q HTTP/1.1\r\nHost: example.org\r\n\r\n").first else { return XCTFail() }
        XCTAssertEqual(absolute.path, "/p/q")
        guard case .request(let secure) = parse("GET https://example.org/x?y=1 HTTP/1.1\r\nHost: example.org\r\n\r\n").first,
              case .request(let bare) = parse("GET http://example.org HTTP/1.1\r\nHost: example.org\r\n\r\n").first else { return XCTFail() }
        XCTAssertEqual([secure.target, secure.path, secure.query], ["/x?y=1", "/x", "y=1"])
        XCTAssertEqual([bare.target, bare.path, bare.query], ["/", "/", ""], "no path after the authority is the root")
    }

    func testResponseSerialisationIsOneBufferAndDropsInjectedHeaders() {
        let response = HTTPResponse(status: .ok, headers: [("X-Bad", "a\r\nSet-Cookie: evil"), ("Content-Type", "text/plain")], body: Array("hi".utf8))
        let text = String(decoding: response.serialized(keepAlive: false), as: UTF8.self)
        XCTAssertEqual(text, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi")
        XCTAssertEqual(String(decoding: response.serialized(keepAlive: true, headRequest: true), as: UTF8.self),
                       "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n")
    }

    func testFormDecoding() {
        XCTAssertEqual(FormDecoder.decode(Array("a=1+2&b=%C3%A9&c=%ZZ&d".utf8)), ["a": "1 2", "b": "é", "c": "%ZZ", "d": ""])
        XCTAssertEqual(FormDecoder.percentEncode("a b/é"), "a%20b%2F%C3%A9")
        let pairs = FormDecoder.pairs(Array("x=a=b&=v&plain=text&&é=ü".utf8) + [UInt8(ascii: "&"), 0x62, 0x3D, 0xFF, 0xFE])
        XCTAssertEqual(pairs.map(\.name), ["x", "", "plain", "é", "b"])
        XCTAssertEqual(pairs.map(\.value), ["a=b", "v", "text", "ü", ""], "a value that is not UTF-8 becomes empty")
    }
}
