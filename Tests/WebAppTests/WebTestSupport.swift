import Foundation
import XCTest
import HTTP
import SurveyEngine
import SurveyStore
import TestSupport
@testable import WebApp

/// A minimal HTTP/1.1 client for tests: one keep-alive connection, raw requests, parsed responses.
final class TestClient {
    struct Response {
        var status: Int
        var headers: [(String, String)]
        var body: String

        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
        var cookies: [String] { headers.filter { $0.0.lowercased() == "set-cookie" }.map(\.1) }
        var location: String? { header("Location") }

        /// The value of the hidden CSRF field, as a browser would submit it.
        var csrf: String? {
            guard let range = body.range(of: "name=\"csrf\" value=\"") else { return nil }
            return String(body[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    let port: UInt16
    private var socket: LoopbackSocket?
    var cookies: [String: String] = [:]

    init(port: UInt16) { self.port = port }

    func get(_ path: String, headers: [(String, String)] = []) throws -> Response {
        try send("GET", path, body: nil, headers: headers)
    }

    func post(_ path: String, _ fields: [(String, String)], headers: [(String, String)] = []) throws -> Response {
        let body = fields.map { "\(FormDecoder.percentEncode($0.0))=\(FormDecoder.percentEncode($0.1))" }.joined(separator: "&")
        return try send("POST", path, body: body, headers: headers + [("Content-Type", "application/x-www-form-urlencoded")])
    }

    func send(_ method: String, _ path: String, body: String?, headers: [(String, String)]) throws -> Response {
        let connection = try socket ?? LoopbackSocket(port: port, timeout: 10)
        socket = connection
        var text = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\n"
        if !cookies.isEmpty { text += "Cookie: " + cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") + "\r\n" }
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let body { text += "Content-Length: \(body.utf8.count)\r\n" }
        text += "\r\n" + (body ?? "")
        guard connection.send(text) else { throw NSError(domain: "send", code: Int(errno)) }
        let response = try readResponse(connection)
        for cookie in response.cookies {
            let pair = cookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            if pair.count == 2 { cookies[String(pair[0])] = String(pair[1]) }
            if cookie.contains("Max-Age=0") { cookies[String(pair[0])] = nil }
        }
        if response.header("Connection") == "close" { socket = nil }
        return response
    }

    private func readResponse(_ connection: LoopbackSocket) throws -> Response {
        var data: [UInt8] = []
        while true {
            if let end = data.firstRange(of: Array("\r\n\r\n".utf8)) {
                let head = String(decoding: data[..<end.lowerBound], as: UTF8.self)
                var lines = head.components(separatedBy: "\r\n")
                let status = Int(lines.removeFirst().split(separator: " ")[1]) ?? 0
                let headers = lines.map { line -> (String, String) in
                    let parts = line.split(separator: ":", maxSplits: 1)
                    return (String(parts[0]), parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "")
                }
                let length = headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } ?? 0
                if data.count - end.upperBound >= length {
                    let body = String(decoding: data[end.upperBound..<end.upperBound + length], as: UTF8.self)
                    return Response(status: status, headers: headers, body: body)
                }
            }
            let chunk = connection.receive()
            guard !chunk.isEmpty else { throw NSError(domain: "recv", code: Int(errno)) }
            data += chunk
        }
    }

    /// The path of a redirect's Location.
    static func path(_ location: String?) -> String {
        guard let location else { return "" }
        if let range = location.range(of: "://") {
            let rest = location[range.upperBound...]
            return rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? "/"
        }
        return location
    }
}

/// A database, the web app and a server on a free port, for one test.
final class WebFixture {
    let directory: URL
    let dbPath: String
    let app: CanvassWebApp
    let server: HTTPServer
    let store: SurveyStore

    init(configure: (inout WebAppConfiguration) -> Void = { _ in }) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("web-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        dbPath = directory.appendingPathComponent("canvass.sqlite").path
        store = try SurveyStore(path: dbPath)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for name in ["rapid-poll-local-asb", "asb-victim-satisfaction"] {
            _ = try store.publish(try QuestionnaireLoader.load(path: root.appendingPathComponent("Questionnaires/\(name).json").path))
        }
        var configuration = WebAppConfiguration(databasePath: dbPath)
        configure(&configuration)
        app = try CanvassWebApp(configuration: configuration)
        var http = HTTPServerConfiguration()
        http.port = 0
        http.threads = 4
        http.defaultHeaders = CanvassWebAppHeaders.security
        let app = self.app
        server = HTTPServer(configuration: http) { app.respond(to: $0, reply: $1) }
        try server.start()
    }

    func invite(_ questionnaire: String = "rapid-poll-local-asb", caseRef: String = "C1") throws -> String {
        try store.createInvitation(Invitation(questionnaireID: questionnaire, caseRef: caseRef, borough: "Hackney", ward: "Hoxton East"))
    }

    /// An invitation opened in a browser and started: its token, the browser, and the form token.
    func startedRespondent() throws -> (token: String, client: TestClient, csrf: String) {
        let token = try invite()
        let client = TestClient(port: server.port)
        let csrf = try XCTUnwrap(try client.get("/s/\(token)").csrf)
        XCTAssertEqual(try client.post("/s/\(token)/start", [("csrf", csrf)]).status, 303)
        return (token, client, csrf)
    }

    func stop() {
        server.stop()
        server.waitUntilStopped()
        app.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }
}
