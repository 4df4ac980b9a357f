import Foundation
import XCTest
@testable import HTTP
import TestSupport

/// Handlers that answer later (through `HTTPReply`, from another thread) must not hold up the loop.
final class DeferredReplyTests: XCTestCase {
    var server: HTTPServer!

    /// A server with one loop whose `/later` requests are answered by a background queue after
    /// `delay` seconds; everything else is answered at once.
    func start(delay: Double, responseTimeout: Double = 60) throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.threads = 1
        configuration.responseTimeout = responseTimeout
        server = HTTPServer(configuration: configuration) { request, reply in
            if request.path == "/produced" {
                DispatchQueue.global().async {
                    reply.send(producedBy: { HTTPResponse(status: HTTPStatus(code: 202, reason: "Accepted"), contentType: "text/plain", body: "made by the loop") })
                }
                return nil
            }
            guard request.path.hasPrefix("/later") else {
                return HTTPResponse(status: .ok, contentType: "text/plain", body: "now \(request.path)")
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + delay) {
                reply.send(HTTPResponse(status: .ok, contentType: "text/plain", body: "later \(request.path)"))
                reply.send(HTTPResponse(status: .internalServerError, contentType: "text/plain", body: "a second reply is ignored"))
            }
            return nil
        }
        try server.start()
    }

    override func tearDown() {
        server?.stop()
        server?.waitUntilStopped()
    }

    func testOtherClientsAreServedWhileAReplyIsPending() throws {
        try start(delay: 0.8)
        let waiting = try RawClient(port: server.port)
        waiting.send("GET /later/1 HTTP/1.1\r\nHost: x\r\n\r\n")
        // The only loop is free: another client is answered long before the first reply.
        let other = try RawClient(port: server.port)
        let started = Date()
        other.send("GET /quick HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertTrue(other.readResponses(1).first?.hasSuffix("now /quick") == true)
        XCTAssertLessThan(Date().timeIntervalSince(started), 0.5)
        let late = waiting.readResponses(1)
        XCTAssertEqual(late.count, 1)
        XCTAssertTrue(late.first?.hasSuffix("later /later/1") == true, late.first ?? "")
        waiting.close()
        other.close()
    }

    func testPipelinedRequestsAreAnsweredInOrderAcrossADeferredOne() throws {
        try start(delay: 0.2)
        let client = try RawClient(port: server.port)
        client.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /later/b HTTP/1.1\r\nHost: x\r\n\r\nGET /c HTTP/1.1\r\nHost: x\r\n\r\n")
        let responses = client.readResponses(3)
        XCTAssertEqual(responses.count, 3)
        XCTAssertTrue(responses[0].hasSuffix("now /a"))
        XCTAssertTrue(responses[1].hasSuffix("later /later/b"))
        XCTAssertTrue(responses[2].hasSuffix("now /c"))
        // The second reply for /later/b was dropped: nothing more arrives.
        client.send("GET /d HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let last = client.readResponses(1)
        XCTAssertEqual(last.count, 1)
        XCTAssertTrue(last.first?.hasSuffix("now /d") == true, last.first ?? "")
        client.close()
    }

    func testAClientThatLeavesBeforeItsReplyDoesNotDisturbTheServer() throws {
        try start(delay: 0.3)
        let leaver = try RawClient(port: server.port)
        leaver.send("GET /later/gone HTTP/1.1\r\nHost: x\r\n\r\n")
        Thread.sleep(forTimeInterval: 0.05)
        leaver.close()
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertEqual(server.connectionCount, 0)
        let client = try RawClient(port: server.port)
        client.send("GET /later/next HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertTrue(client.readResponses(1).first?.hasSuffix("later /later/next") == true)
        client.close()
    }

    func testStopWaitsForPendingReplies() throws {
        try start(delay: 0.4)
        let client = try RawClient(port: server.port)
        client.send("GET /later/last HTTP/1.1\r\nHost: x\r\n\r\n")
        Thread.sleep(forTimeInterval: 0.1)
        server.stop()
        let response = client.readResponses(1).first ?? ""
        XCTAssertTrue(response.hasSuffix("later /later/last"), response)
        XCTAssertTrue(response.contains("Connection: close"))
        server.waitUntilStopped()
        client.close()
    }

    func testAReplyThatNeverComesGets503AfterTheResponseTimeout() throws {
        try start(delay: 5, responseTimeout: 0.3)
        let client = try RawClient(port: server.port)
        let started = Date()
        client.send("GET /later/forgotten HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = client.readResponses(1).first ?? ""
        XCTAssertTrue(response.hasPrefix("HTTP/1.1 503 "), response)
        XCTAssertTrue(response.contains("Retry-After: 5"))
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
        XCTAssertTrue(client.isClosedByPeer())
        client.close()
    }

    func testAReplyCanLeaveBuildingTheResponseToTheLoop() throws {
        try start(delay: 0)
        let client = try RawClient(port: server.port)
        client.send("GET /produced HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = client.readResponses(1).first ?? ""
        XCTAssertTrue(response.hasPrefix("HTTP/1.1 202 "), response)
        XCTAssertTrue(response.hasSuffix("made by the loop"))
        client.close()
    }
    /// Replies gathered on another thread and sent as one batch reach each client, across both
    /// loops; as with single replies, a second reply for a request is ignored.
    func testRepliesSentAsABatchReachTheirClientsOnEachLoop() throws {
        final class Gathered: @unchecked Sendable {
            let lock = NSLock()
            var replies: [(String, HTTPReply)] = []
        }
        let gathered = Gathered()
        let clients = 6
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.threads = 2
        server = HTTPServer(configuration: configuration) { request, reply in
            gathered.lock.lock()
            gathered.replies.append((request.path, reply))
            let all = gathered.replies.count == clients ? gathered.replies : nil
            gathered.lock.unlock()
            if let all {
                DispatchQueue.global().async {
                    var batch = HTTPReplyBatch()
                    for (path, reply) in all {
                        batch.add(reply, producedBy: { HTTPResponse(status: .ok, contentType: "text/plain", body: "batched \(path)") })
                        batch.add(reply, HTTPResponse(status: .internalServerError, contentType: "text/plain", body: "ignored"))
                    }
                    batch.send()
                    XCTAssertTrue(batch.isEmpty)
                }
            }
            return nil
        }
        try server.start()
        let connections = try (0..<clients).map { _ in try RawClient(port: server.port) }
        for (index, client) in connections.enumerated() { client.send("GET /b/\(index) HTTP/1.1\r\nHost: x\r\n\r\n") }
        for (index, client) in connections.enumerated() {
            let responses = client.readResponses(1)
            XCTAssertEqual(responses.count, 1)
            XCTAssertTrue(responses.first?.hasSuffix("batched /b/\(index)") == true, responses.first ?? "")
            client.close()
        }
    }
}
