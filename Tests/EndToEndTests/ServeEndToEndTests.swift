import Foundation
import XCTest
import TestSupport

/// `canvass serve` as a process: it prints the secret once, serves, and stops cleanly on SIGTERM.
final class ServeEndToEndTests: XCTestCase {
    func testServeStopsCleanlyOnSIGTERM() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("c.sqlite").path
        let server = try RunningCanvass(["serve", "--db", db, "--port", "0", "--access-log", directory.appendingPathComponent("access.log").path,
                                         "--questionnaires", CanvassBinary.packageRoot.appendingPathComponent("Questionnaires").path])
        // Read the banner: the secret line, then the address.
        let text = server.readOutput(until: "listening on")
        XCTAssertTrue(text.contains("Analyst secret (shown once; keep it safe): "), text)
        let port = try XCTUnwrap(text.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) })
        let health = try Self.get(port: UInt16(port), path: "/healthz")
        XCTAssertTrue(health.hasPrefix("HTTP/1.1 200 OK"), health)
        XCTAssertTrue(health.hasSuffix("\r\n\r\nok\n"), health)
        // The access log is written in blocks, at most a quarter second behind, while serving.
        let logPath = directory.appendingPathComponent("access.log").path
        let logDeadline = Date().addingTimeInterval(3)
        var logged = false
        while !logged && Date() < logDeadline {
            logged = (try? String(contentsOfFile: logPath, encoding: .utf8))?.contains("\"GET /healthz HTTP/1.1\" 200") == true
            if !logged { Thread.sleep(forTimeInterval: 0.05) }
        }
        XCTAssertTrue(logged, "the line reached the file before the server stopped")
        server.process.terminate()   // SIGTERM
        let (status, messages) = server.waitForExit()
        XCTAssertEqual(status, 0)
        XCTAssertTrue(messages.contains("Stopped."), messages)
        let log = try String(contentsOfFile: directory.appendingPathComponent("access.log").path, encoding: .utf8)
        let line = try XCTUnwrap(log.split(separator: "\n").first { $0.contains("\"GET /healthz HTTP/1.1\" 200") }, log)
        // Stamped, then address, request, status, body bytes and duration.
        XCTAssertNotNil(line.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z 127\.0\.0\.1 "GET \/healthz HTTP\/1\.1" 200 3 \d+\.\dms/), String(line))
    }

    /// One `Connection: close` GET; returns the whole response text.
    static func get(port: UInt16, path: String) throws -> String {
        let socket = try LoopbackSocket(port: port)
        socket.send("GET \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        return String(decoding: socket.receiveAll(), as: UTF8.self)
    }
}

/// `canvass bench web`: runs the in-process measurements and refuses what it cannot measure.
final class BenchEndToEndTests: XCTestCase {
    func testBenchWebMeasuresEachStep() throws {
        let result = try CanvassBinary.run(["bench", "web", "--iterations", "20"], directory: CanvassBinary.packageRoot)
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "iterations: 20 per round (POST: a twentieth; save: a quarter), best of 3 rounds")
        for step in ["parse a GET request", "answer GET /healthz", "answer GET question page", "serialise the page response",
                     "answer POST, one at a time", "save an answer, 64 per commit"] {
            let line = try XCTUnwrap(lines.first { $0.hasPrefix(step) }, result.stdout)
            XCTAssertTrue(line.hasSuffix(" µs"), "a figure, and the page was produced: \(line)")
        }
    }

    func testBenchRefusesUnknownTargetsAndMissingQuestionnaire() throws {
        var result = try CanvassBinary.run(["bench", "disk"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("invalid value 'disk'"), result.stderr)
        result = try CanvassBinary.run(["bench", "web", "--questionnaires", "/nonexistent"])
        XCTAssertEqual(result.status, 65)
        XCTAssertTrue(result.stderr.contains("/nonexistent/rapid-poll-local-asb.json"), result.stderr)
    }
}
