import Foundation
import XCTest
@testable import HTTP
import TestSupport

/// Hostile traffic over real sockets: the loops must survive it, serve others throughout, and
/// leave no connection behind.
final class SocketFuzzTests: XCTestCase {
    func testGarbageResetsAndHalfClosesLeaveTheServerServing() throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.threads = 2
        configuration.headerTimeout = 0.5
        configuration.idleTimeout = 0.5
        configuration.limits.maxBodyBytes = 4096
        let server = HTTPServer(configuration: configuration) { request, reply in
            if request.path == "/later" {
                DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { reply.send(HTTPResponse(status: .ok, contentType: "text/plain", body: "later")) }
                return nil
            }
            return HTTPResponse(status: .ok, contentType: "text/plain", body: "ok")
        }
        try server.start()
        defer { server.stop(); server.waitUntilStopped() }
        var random = SeededRandom.forTest("SocketFuzzTests", defaultSeed: 0x5EED)
        let valid = Array("GET /later HTTP/1.1\r\nHost: x\r\n\r\nPOST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello".utf8)
        for round in 0..<300 {
            let client = try LoopbackSocket(port: server.port, timeout: 1)
            var bytes = valid
            // Cut, corrupt or replace the request, then leave in one of three ways.
            switch round % 4 {
            case 0: bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
            case 1: for _ in 0..<4 { bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random) }
            case 2: bytes = (0..<Int.random(in: 1...2000, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            default: break
            }
            client.send(bytes: bytes)
            switch round % 3 {
            case 0: client.reset()
            case 1: shutdown(client.fd, Int32(SHUT_WR)); _ = client.receiveAll(); client.close()
            default: client.close()
            }
        }
        let probe = try LoopbackSocket(port: server.port)
        probe.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        XCTAssertTrue(String(decoding: probe.receiveAll(), as: UTF8.self).hasSuffix("ok"), "still serving")
        probe.close()
        let deadline = Date().addingTimeInterval(3)
        while server.connectionCount > 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        XCTAssertEqual(server.connectionCount, 0, "every connection was closed")
    }
}
