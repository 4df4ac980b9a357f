import Foundation
import XCTest
import SurveyEngine
import SurveyStore
@testable import WebApp

/// The borough comparison on `/analyst` and its CSV give the figures `canvass measures` gives.
final class ComparisonTests: XCTestCase {
    func testTheDashboardShowsTheBoroughComparisonAndItsCSV() throws {
        let fixture = try WebFixture()
        defer { fixture.stop() }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let published = try XCTUnwrap(try fixture.store.latest("asb-victim-satisfaction"))
        let bytes = Array(try Data(contentsOf: root.appendingPathComponent("Fixtures/golden/responses.csv")))
        var reader = try CSVResponseReader(bytes: bytes, interview: Interview(questionnaire: published.questionnaire, today: "2026-12-01"),
                                           defaultCompletion: "2026-12-01T00:00:00.000Z")
        _ = try fixture.store.importResponses(versionID: published.versionID, questionnaire: published.questionnaire) { add in
            while let response = try reader.next() { try add(response) }
        }
        let client = TestClient(port: fixture.server.port)
        XCTAssertEqual(try client.get("/analyst/comparison.csv").status, 303, "signed-out analysts are sent to sign in")
        let csrf = try XCTUnwrap(try client.get("/analyst").csrf)
        XCTAssertEqual(try client.post("/analyst/login", [("csrf", csrf), ("secret", try XCTUnwrap(fixture.app.newAnalystSecret))]).status, 303)
        let page = try client.get("/analyst?measure=local_area")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.body.contains("<h2>Borough comparison</h2>"), page.body)
        XCTAssertTrue(page.body.contains("<th scope=\"row\">Barnet</th>"), page.body)
        XCTAssertTrue(page.body.contains("Satisfied with how police deal with ASB in the local area (baseline 55%)"), page.body)
        XCTAssertFalse(page.body.contains("Satisfied with the information given (baseline"), "one measure asked for")
        // The CSV is what `measures --by borough --measure local_area --format csv` gives for the same data.
        let csv = try client.get("/analyst/comparison.csv?questionnaire=asb-victim-satisfaction&measure=local_area")
        XCTAssertEqual(csv.status, 200)
        XCTAssertEqual(csv.header("Content-Type"), "text/csv; charset=utf-8")
        let golden = try String(contentsOf: root.appendingPathComponent("Fixtures/golden/measures-borough.json"), encoding: .utf8)
        let lines = csv.body.split(separator: "\n")
        XCTAssertTrue(lines[0].hasPrefix("measure,group,n,satisfied,proportion"), String(lines[0]))
        let barnet = try XCTUnwrap(lines.first { $0.hasPrefix("local_area,Barnet,") })
        let n = String(barnet.split(separator: ",")[2])
        XCTAssertTrue(golden.contains("\"group\": \"Barnet\",\n      \"n\": \(n),"), "Barnet's n \(n) as in the golden measures output")
        let bad = try client.get("/analyst?from=2026-02-30")
        XCTAssertTrue(bad.body.contains("The from date must be a real date"), bad.body)
        XCTAssertEqual(try client.get("/analyst/comparison.csv?to=tomorrow").status, 400)
        let unknown = try client.get("/analyst?measure=happiness")
        XCTAssertEqual(unknown.status, 200, "an unknown measure is explained, not a server error")
        XCTAssertTrue(unknown.body.contains("has no measure called happiness"), unknown.body)
        XCTAssertEqual(try client.get("/analyst/comparison.csv?measure=happiness").status, 400)
        // A borough name from data, hostile, comes back escaped in the table.
        try fixture.store.connection.execute("UPDATE analysis_labels SET text = ? WHERE text = 'Barnet'", [EscapingTests.hostile])
        let hostile = try client.get("/analyst?measure=local_area&from=2025-01-01")
        XCTAssertFalse(hostile.body.contains(EscapingTests.hostile))
        XCTAssertTrue(hostile.body.contains("<th scope=\"row\">\(EscapingTests.escaped)</th>"), hostile.body)
    }
}
