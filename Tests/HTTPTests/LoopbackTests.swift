import Foundation
import XCTest
@testable import HTTP
import TestSupport

/// A raw client for loopback tests: sends bytes, reads until enough responses, the peer closes, or a timeout.
struct RawClient {
    let socket: LoopbackSocket

    init(port: UInt16, timeout: Double = 5) throws { socket = try LoopbackSocket(port: port, timeout: timeout) }

    func send(_ text: String) { socket.send(text) }

    /// Reads until `count` responses have fully arrived (by Content-Length), the peer closes, or timeout.
    func readResponses(_ count: Int = 1) -> [String] {
        var data: [UInt8] = []
        while Self.split(data).count < count {
            let chunk = socket.receive()
            if chunk.isEmpty { break }
            data += chunk
        }
        return Self.split(data)
    }

    func isClosedByPeer() -> Bool { socket.isClosedByPeer() }

    func close() { socket.close() }

    static func split(_ data: [UInt8]) -> [String] {
        var responses: [String] = []
        var rest = String(decoding: data, as: UTF8.self)
        while let headEnd = rest.range(of: "\r\n\r\n") {
            let head = rest[..<headEnd.lowerBound]
            let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            let bodyStart = headEnd.upperBound
            guard rest.utf8.distance(from: bodyStart.samePosition(in: rest.utf8)!, to: rest.utf8.endIndex) >= length else { break }
            let end = rest.utf8.index(bodyStart.samePosition(in: rest.utf8)!, offsetBy: length)
            responses.append(String(rest[..<end]))
            rest = String(rest[end...])
        }
        return responses
    }
}

final class LoopbackTests: XCTestCase {
    var server: HTTPServer!
    let logLines = LogBox()

    final class LogBox: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func add(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
    }

    func start(_ configure: (inout HTTPServerConfiguration) -> Void = { _ in },
               handler: @escaping HTTPServer.Handler = { request in
                   if request.path == "/slow" { Thread.sleep(forTimeInterval: 0.5) }
                   return HTTPResponse(status: .ok, contentType: "text/plain", body: "\(request.method) \(request.path) \(request.body.count)")
               }) throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.threads = 2
        let box = logLines
        configuration.log = { box.add($0) }
        configuration.redact = { $0.hasPrefix("/s/") ? "/s/…" : $0 }
        configuration.defaultHeaders = [("X-Content-Type-Options", "nosniff")]
        configure(&configuration)
        server = HTTPServer(configuration: configuration, handler: handler)
        try server.start()
    }

    override func tearDown() {
        server?.stop()
        server?.waitUntilStopped()
    }

    func testKeepAliveServesSeveralRequestsOnOneConnection() throws {
        try start()
        let client = try RawClient(port: server.port)
        defer { client.close() }
        client.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertTrue(client.readResponses(1).first?.hasSuffix("GET /a 0") == true)
        client.send("POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let responses = client.readResponses(2)
        XCTAssertEqual(responses.count, 2)
        XCTAssertTrue(responses[0].hasSuffix("POST /b 3"))
        XCTAssertTrue(responses[1].contains("Connection: close"))
        XCTAssertTrue(responses[1].contains("X-Content-Type-Options: nosniff"))
        XCTAssertTrue(client.isClosedByPeer())
    }

    func testAClientThatHalfClosesGetsItsAnswerAndTheConnectionEnds() throws {
        try start()
        let client = try RawClient(port: server.port)
        defer { client.close() }
        client.send("GET /half HTTP/1.1\r\nHost: x\r\n\r\n")
        shutdown(client.socket.fd, Int32(SHUT_WR))
        XCTAssertTrue(client.readResponses(1).first?.hasSuffix("GET /half 0") == true)
        XCTAssertTrue(client.isClosedByPeer(), "the server sees the end of stream and closes, without waiting for the idle timeout")
        let deadline = Date().addingTimeInterval(2)
        while server.connectionCount > 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        XCTAssertEqual(server.connectionCount, 0)
    }

    func testHundredsOfPipelinedRequestsAreAllAnsweredInOrder() throws {
        try start { $0.threads = 1 }
        let client = try RawClient(port: server.port, timeout: 10)
        defer { client.close() }
        let count = 300
        client.send((0..<count).map { "GET /p\($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined())
        let other = try RawClient(port: server.port)
        defer { other.close() }
        other.send("GET /other HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertTrue(other.readResponses(1).first?.hasSuffix("GET /other 0") == true, "another client is served meanwhile")
        let responses = client.readResponses(count)
        XCTAssertEqual(responses.count, count)
        XCTAssertTrue(responses.enumerated().allSatisfy { $0.element.hasSuffix("GET /p\($0.offset) 0") }, "in order, none lost across turns")
    }

    func testErrorStatusesOverTheWire() throws {
        try start { $0.limits.maxBodyBytes = 100 }
        let cases: [(String, String)] = [
            ("GET / HTTP/1.1\r\n\r\n", "400"),
            ("DELETE / HTTP/1.1\r\nHost: x\r\n\r\n", "405"),
            ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n", "413"),
            ("GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: x\r\n\r\n", "414"),
            ("GET / HTTP/1.1\r\nHost: x\r\nBig: " + String(repeating: "b", count: 33_000) + "\r\n\r\n", "431"),
            ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", "400"),
        ]
        for (request, code) in cases {
            let client = try RawClient(port: server.port)
            client.send(request)
            let response = client.readResponses(1).first ?? ""
            XCTAssertTrue(response.hasPrefix("HTTP/1.1 \(code) "), "\(code): \(response.prefix(60))")
            XCTAssertTrue(response.contains("Connection: close"))
            XCTAssertTrue(client.isClosedByPeer())
            client.close()
        }
        XCTAssertTrue(logLines.all.contains { $0.contains("(405)") })
    }

    func testSlowHeadersGet408AndIdleConnectionsClose() throws {
        try start {
            $0.headerTimeout = 0.3
            $0.idleTimeout = 0.4
        }
        let slow = try RawClient(port: server.port)
        defer { slow.close() }
        slow.send("GET / HTTP/1.1\r\nHost:")
        let response = slow.readResponses(1).first ?? ""
        XCTAssertTrue(response.hasPrefix("HTTP/1.1 408 "), response)
        let idle = try RawClient(port: server.port)
        defer { idle.close() }
        idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(idle.readResponses(1).count, 1)
        let started = Date()
        XCTAssertTrue(idle.isClosedByPeer())
        XCTAssertLessThan(Date().timeIntervalSince(started), 3)
    }

    func testConnectionsBeyondTheMaximumGet503() throws {
        try start { $0.maxConnections = 2 }
        let a = try RawClient(port: server.port), b = try RawClient(port: server.port)
        defer { a.close(); b.close() }
        a.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        b.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(a.readResponses(1).count, 1)
        XCTAssertEqual(b.readResponses(1).count, 1)
        let c = try RawClient(port: server.port)
        defer { c.close() }
        XCTAssertTrue(c.readResponses(1).first?.hasPrefix("HTTP/1.1 503 ") == true)
    }

    func testAThousandIdleClientsDoNotStopOthersBeingServed() throws {
        try start()
        var idle: [RawClient] = []
        for index in 0..<1000 {
            let client = try RawClient(port: server.port)
            if index % 2 == 0 { client.send("GET / HTTP/1.1\r\nHost:") }   // half are slow, half silent
            idle.append(client)
        }
        defer { idle.forEach { $0.close() } }
        let client = try RawClient(port: server.port)
        defer { client.close() }
        let started = Date()
        client.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertTrue(client.readResponses(1).first?.hasPrefix("HTTP/1.1 200 ") == true)
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
        XCTAssertGreaterThanOrEqual(server.connectionCount, 1000)
    }

    func testShutdownFinishesInFlightRequests() throws {
        try start()
        let client = try RawClient(port: server.port)
        defer { client.close() }
        let idle = try RawClient(port: server.port)
        defer { idle.close() }
        idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(idle.readResponses(1).count, 1, "an accepted keep-alive connection, now idle")
        client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        Thread.sleep(forTimeInterval: 0.1)
        server.stop()
        let response = client.readResponses(1).first ?? ""
        XCTAssertTrue(response.hasPrefix("HTTP/1.1 200 "), response)
        XCTAssertTrue(response.contains("Connection: close"), "no keep-alive while stopping")
        server.waitUntilStopped()
        XCTAssertTrue(idle.isClosedByPeer(), "idle connections are closed")
        XCTAssertThrowsError(try RawClient(port: server.port), "no longer accepting")
        server = nil
    }

    func testAccessLogRedactsTokens() throws {
        try start()
        let client = try RawClient(port: server.port)
        defer { client.close() }
        client.send("GET /s/secret-token HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = client.readResponses(1)
        Thread.sleep(forTimeInterval: 0.05)
        XCTAssertTrue(logLines.all.contains { $0.contains("\"GET /s/… HTTP/1.1\" 200") }, "\(logLines.all)")
        XCTAssertFalse(logLines.all.contains { $0.contains("secret-token") })
    }
    /// With `accessLog` set, each loop hands over the lines of a turn in one block: every line
    /// whole, tokens redacted, and nothing for `log`.
    func testAccessLogCanBeTakenInBlocksOfLines() throws {
        final class Blocks: @unchecked Sendable {
            let lock = NSLock()
            var bytes: [UInt8] = []
            var calls = 0
        }
        let blocks = Blocks()
        try start { configuration in
            configuration.accessLog = { block in
                blocks.lock.lock()
                blocks.bytes += block
                blocks.calls += 1
                blocks.lock.unlock()
            }
        }
        let client = try RawClient(port: server.port)
        defer { client.close() }
        client.send((0..<5).map { "GET /s/secret-\($0)/q HTTP/1.1\r\nHost: x\r\n\r\n" }.joined())
        XCTAssertEqual(client.readResponses(5).count, 5)
        Thread.sleep(forTimeInterval: 0.05)
        blocks.lock.lock()
        let text = String(decoding: blocks.bytes, as: UTF8.self)
        let calls = blocks.calls
        blocks.lock.unlock()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 6, "five lines, each ending in a newline: \(text)")
        for line in lines.dropLast() {
            XCTAssertNotNil(line.wholeMatch(of: /127\.0\.0\.1 "GET \/s\/… HTTP\/1\.1" 200 \d+ \d+\.\dms/), String(line))
        }
        XCTAssertLessThan(calls, 5, "pipelined requests answered in one turn come in one block")
        XCTAssertFalse(text.contains("secret"))
        XCTAssertFalse(logLines.all.contains { $0.contains("GET") }, "\(logLines.all)")
    }

    /// The access line is built as bytes; it reads as the format always has.
    func testAccessLineFormat() {
        var line: [UInt8] = []
        HTTPEventLoop.appendAccessLine(to: &line, remoteAddress: "10.0.0.7", method: "POST", target: "/s/…/q/asb_problem", version: "HTTP/1.1",
                                       status: 303, bytes: 0, seconds: 0.001_26)
        HTTPEventLoop.appendAccessLine(to: &line, remoteAddress: "::1", method: "GET", target: "/", version: "HTTP/1.0",
                                       status: 200, bytes: 2_106, seconds: 12.345_66)
        HTTPEventLoop.appendAccessLine(to: &line, remoteAddress: "a", method: "HEAD", target: "/x", version: "HTTP/1.1",
                                       status: 404, bytes: 1_234_567_890, seconds: 0)
        XCTAssertEqual(String(decoding: line, as: UTF8.self), """
            10.0.0.7 "POST /s/…/q/asb_problem HTTP/1.1" 303 0 1.3ms
            ::1 "GET / HTTP/1.0" 200 2106 12345.7ms
            a "HEAD /x HTTP/1.1" 404 1234567890 0.0ms

            """)
        var digits: [UInt8] = []
        for value in [0, 7, 10, 99, -5, Int.max, Int.min] {
            digits.removeAll()
            ASCIIDecimal.append(value, to: &digits)
            XCTAssertEqual(String(decoding: digits, as: UTF8.self), String(value))
        }
    }
}
