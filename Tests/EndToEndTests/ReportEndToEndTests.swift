import Foundation
import XCTest
import TestSupport

/// `canvass report` on the built binary: a small demo, then the report in each format, and
/// every bad option said plainly.
final class ReportEndToEndTests: XCTestCase {
    func testReportFormatsAndErrors() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-e2e-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let root = CanvassBinary.packageRoot
        let db = directory.appendingPathComponent("d.sqlite").path
        var result = try CanvassBinary.run(["demo", "--db", db, "--responses", "3000", "--seed", "5"], directory: root)
        XCTAssertEqual(result.status, 0, result.stderr)
        let base = ["report", "--db", db, "--questionnaire", "asb-victim-satisfaction"]
        let html = directory.appendingPathComponent("croydon.html").path
        // An ONS code is accepted for the borough (E09000008 is Croydon).
        result = try CanvassBinary.run(base + ["--borough", "E09000008", "--out", html], directory: root)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("wrote \(html): Inspection readiness: Croydon"), result.stderr)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        XCTAssertTrue(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        XCTAssertFalse(page.contains("src=\"http") || page.contains("href=\"http") || page.contains("<link"), "self-contained: no external assets")
        XCTAssertTrue(page.contains("@media print"), "a print stylesheet")
        XCTAssertEqual(page.components(separatedBy: "<svg ").count - 1, 12, "a chart, a funnel plot and a trend per measure")
        result = try CanvassBinary.run(base + ["--period", "2026-Q2", "--format", "json"], directory: root)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("\"from\": \"2026-04-01\""), result.stdout)
        XCTAssertTrue(result.stdout.contains("\"scope\": \"All boroughs\""))
        result = try CanvassBinary.run(base + ["--all", "--format", "md", "--overdispersion"], directory: root)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("# Inspection readiness: All boroughs\n"), result.stdout)

        for (arguments, message) in [
            (["--format", "pdf"], "invalid value 'pdf' for --format: expected html, md or json"),
            (["--period", "2026-Q7"], "invalid value '2026-Q7' for --period"),
            (["--period", "2026", "--from", "2026-01-01"], "either --period or --from/--to"),
            (["--from", "2026-01-01"], "both --from and --to"),
            (["--borough", "Hackney", "--all"], "either --borough or --all"),
            (["--borough", "E09000099"], "an ONS code listed in"),
            (["--borough", "Gotham"], "no responses are stored for the borough 'Gotham'"),
        ] {
            result = try CanvassBinary.run(base + arguments, directory: root)
            XCTAssertNotEqual(result.status, 0, "\(arguments)")
            XCTAssertTrue(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        result = try CanvassBinary.run(base + ["--out", directory.appendingPathComponent("no/such/dir/r.html").path], directory: root)
        XCTAssertEqual(result.status, 73, result.stderr)
        XCTAssertTrue(result.stderr.contains("cannot write the report"), result.stderr)
    }
}

/// `canvass demo --serve`: builds the demo, then serves it, printing the dashboard's address and
/// the secret that opens it.
final class DemoServeEndToEndTests: XCTestCase {
    func testDemoServePrintsTheDashboardAndItsSecret() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("demo-serve-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("d.sqlite").path
        let root = CanvassBinary.packageRoot
        let server = try RunningCanvass(["demo", "--db", db, "--responses", "2000", "--serve", "--port", "0",
                                         "--fixtures", root.appendingPathComponent("Fixtures").path,
                                         "--questionnaires", root.appendingPathComponent("Questionnaires").path])
        defer { server.process.terminate() }
        let text = server.readOutput(until: "/analyst\n")
        let secret = try XCTUnwrap(text.firstMatch(of: /Analyst secret \(shown once; keep it safe\): ([0-9a-f]+)/)?.1, text)
        let address = try XCTUnwrap(text.firstMatch(of: /Dashboard: http:\/\/127\.0\.0\.1:(\d+)\/analyst/), text)
        let port = try XCTUnwrap(UInt16(address.1))
        let socket = try LoopbackSocket(port: port)
        socket.send("GET /analyst HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(secret)\r\nConnection: close\r\n\r\n")
        let page = String(decoding: socket.receiveAll(), as: UTF8.self)
        XCTAssertTrue(page.hasPrefix("HTTP/1.1 200 OK"), page)
        XCTAssertTrue(page.contains("<h2>Borough comparison</h2>"), page)
        XCTAssertTrue(page.contains(">Newham</a></th>"), page)
        XCTAssertTrue(page.contains("<h2>Rapid polls by ward</h2>"), page)
        server.process.terminate()
        XCTAssertEqual(server.waitForExit().status, 0)
    }

    func testPortWithoutServeIsRefused() throws {
        let result = try CanvassBinary.run(["demo", "--db", "/nonexistent/x.sqlite", "--port", "9000"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("used only with --serve"), result.stderr)
    }
}
