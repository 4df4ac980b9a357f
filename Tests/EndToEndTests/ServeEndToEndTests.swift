import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `canvass serve` as a process: it prints the secret once, serves, and stops cleanly on SIGTERM.
final class ServeEndToEndTests: XCTestCase {
    func testServeStopsCleanlyOnSIGTERM() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = directory.appendingPathComponent("c.sqlite").path
        let process = Process()
        process.executableURL = CanvassBinary.executable
        process.arguments = ["serve", "--db", db, "--port", "0", "--access-log", directory.appendingPathComponent("access.log").path,
                             "--questionnaires", CanvassBinary.packageRoot.appendingPathComponent("Questionnaires").path]
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Read the banner: the secret line, then the address.
        var text = ""
        let deadline = Date().addingTimeInterval(20)
        while !text.contains("listening on") && Date() < deadline {
            let data = stdout.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        XCTAssertTrue(text.contains("Analyst secret (shown once; keep it safe): "), text)
        let port = try XCTUnwrap(text.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) })
        let health = try Self.get(port: UInt16(port), path: "/healthz")
        XCTAssertTrue(health.hasPrefix("HTTP/1.1 200 OK"), health)
        XCTAssertTrue(health.hasSuffix("\r\n\r\nok\n"), health)
        process.terminate()   // SIGTERM
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let messages = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(messages.contains("Stopped."), messages)
        XCTAssertTrue(try String(contentsOfFile: directory.appendingPathComponent("access.log").path, encoding: .utf8).contains("\"GET /healthz HTTP/1.1\" 200"))
    }

    /// One `Connection: close` GET over a plain socket; returns the whole response text.
    static func get(port: UInt16, path: String) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw NSError(domain: "connect", code: Int(errno)) }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            data += buffer[0..<n]
        }
        return String(decoding: data, as: UTF8.self)
    }
}
