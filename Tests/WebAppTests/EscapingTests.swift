import Foundation
import XCTest
import SQLite
import SurveyEngine
import SurveyStore
@testable import WebApp

/// Every kind of page, with `<script>"'&` in every value that comes from data, shows it escaped.
final class EscapingTests: XCTestCase {
    static let hostile = #"<script>"'&"#
    static let escaped = "&lt;script&gt;&quot;&#39;&amp;"

    /// A questionnaire whose every text is hostile: title, introduction, labels, hints, choice
    /// labels and the validation message.
    static var questionnaireJSON: String {
        let h = hostile.replacingOccurrences(of: "\"", with: "\\\"")
        return """
        {"id": "hostile", "version": "1", "title": "T \(h)", "introduction": "I \(h)",
         "questions": [
           {"id": "pick", "type": "single", "label": "L \(h)", "hint": "H \(h)",
            "choices": [{"code": "a", "label": "C \(h)"}, {"code": "b", "label": "D \(h)"}]},
           {"id": "words", "type": "text", "label": "W \(h)", "required": false,
            "validate": {"expression": "length(.) < 50", "message": "M \(h)"}}
         ]}
        """
    }

    private func assertEscaped(_ body: String, _ page: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(body.contains(Self.hostile), "\(page) shows the raw value", file: file, line: line)
        XCTAssertFalse(body.contains("<script"), "\(page) contains a script tag", file: file, line: line)
        XCTAssertTrue(body.contains(Self.escaped), "\(page) shows the value escaped", file: file, line: line)
    }

    func testEveryPageEscapesEveryValueFromData() throws {
        let fixture = try WebFixture()
        defer { fixture.stop() }
        let questionnaire = try QuestionnaireLoader.load(bytes: Array(Self.questionnaireJSON.utf8), id: "hostile", source: "hostile.json")
        _ = try fixture.store.publish(questionnaire)
        let token = try fixture.invite("hostile")
        let client = TestClient(port: fixture.server.port)
        let start = try client.get("/s/\(token)")
        assertEscaped(start.body, "start page")
        let csrf = try XCTUnwrap(start.csrf)
        XCTAssertEqual(try client.post("/s/\(token)/start", [("csrf", csrf)]).status, 303)
        assertEscaped(try client.get("/s/\(token)/q/pick").body, "question page")
        assertEscaped(try client.post("/s/\(token)/q/pick", [("csrf", csrf)]).body, "question page with an error")
        XCTAssertEqual(try client.post("/s/\(token)/q/pick", [("csrf", csrf), ("answer", "a")]).status, 303)
        let tooLong = String(repeating: "x", count: 60) + Self.hostile
        let error = try client.post("/s/\(token)/q/words", [("csrf", csrf), ("answer", tooLong)])
        assertEscaped(error.body, "validation message and the typed answer")
        XCTAssertTrue(error.body.contains("M " + Self.escaped), "the validation message is shown")
        XCTAssertEqual(try client.post("/s/\(token)/q/words", [("csrf", csrf), ("answer", Self.hostile)]).status, 303)
        let check = try client.get("/s/\(token)/check")
        assertEscaped(check.body, "check your answers")
        XCTAssertTrue(check.body.contains(">" + Self.escaped + "<"), "the respondent's own answer is shown escaped")
        XCTAssertEqual(try client.post("/s/\(token)/check", [("csrf", csrf)]).status, 303)
        assertEscaped(try client.get("/s/\(token)").body, "already completed")
        // The analyst dashboard shows questionnaire ids read from the database.
        let writer = try Connection(path: fixture.dbPath)
        try writer.execute("UPDATE questionnaire_versions SET questionnaire_id = ? WHERE questionnaire_id = 'hostile'", [Self.hostile])
        let secret = try XCTUnwrap(fixture.app.newAnalystSecret)
        let analyst = TestClient(port: fixture.server.port)
        let login = try analyst.get("/analyst")
        let loginCSRF = try XCTUnwrap(login.csrf)
        XCTAssertEqual(try analyst.post("/analyst/login", [("csrf", loginCSRF), ("secret", secret)]).status, 303)
        assertEscaped(try analyst.get("/analyst").body, "analyst dashboard")
        let api = try analyst.get("/api/responses/counts", headers: [("Authorization", "Bearer \(secret)")])
        XCTAssertTrue(api.body.contains(#""<script>\"'&""#), "JSON escapes as JSON: \(api.body)")
    }

    /// Borough and ward names from imported data, with markup, quotes and control characters, on
    /// the dashboard, its CSV and the borough's report page.
    func testTheDashboardAndReportsEscapeBoroughAndWardNames() throws {
        let fixture = try WebFixture()
        defer { fixture.stop() }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let hostileBorough = Self.hostile + "\u{1B}[31m"
        var text = try String(contentsOf: root.appendingPathComponent("Fixtures/golden/responses.csv"), encoding: .utf8)
        text = text.replacingOccurrences(of: ",Barnet,Ward \\d+,", with: ",\"\(hostileBorough.replacingOccurrences(of: "\"", with: "\"\""))\",\"=W \(Self.hostile.replacingOccurrences(of: "\"", with: "\"\""))\",", options: .regularExpression)
        let published = try XCTUnwrap(try fixture.store.latest("asb-victim-satisfaction"))
        var reader = try CSVResponseReader(bytes: Array(text.utf8), interview: Interview(questionnaire: published.questionnaire, today: "2026-12-01"),
                                           defaultCompletion: "2026-12-01T00:00:00.000Z")
        _ = try fixture.store.importResponses(versionID: published.versionID, questionnaire: published.questionnaire) { add in
            while let response = try reader.next() { try add(response) }
        }
        let secret = try XCTUnwrap(fixture.app.newAnalystSecret)
        let analyst = TestClient(port: fixture.server.port)
        let auth = [("Authorization", "Bearer \(secret)")]
        let dashboard = try analyst.get("/analyst?measure=local_area", headers: auth)
        XCTAssertEqual(dashboard.status, 200)
        assertEscaped(dashboard.body, "dashboard with a hostile borough")
        XCTAssertFalse(dashboard.body.contains("\u{1B}"), "no control character on the dashboard")
        let encoded = hostileBorough.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let report = try analyst.get("/analyst/report?questionnaire=asb-victim-satisfaction&borough=\(encoded)", headers: auth)
        XCTAssertEqual(report.status, 200, report.body)
        assertEscaped(report.body, "the borough's report page")
        XCTAssertFalse(report.body.contains("\u{1B}"), "no control character in the report")
        let csv = try analyst.get("/analyst/comparison.csv?measure=local_area", headers: auth)
        XCTAssertTrue(csv.body.contains("\"<script>\"\"'&"), "the CSV carries the name, quoted: \(csv.body.prefix(300))")
        XCTAssertEqual(csv.header("Content-Type")?.hasPrefix("text/csv"), true, "never served as a page")
    }
}
