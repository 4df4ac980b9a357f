import Foundation
import XCTest
import SurveyEngine
import SurveyStore
@testable import WebApp

/// The borough comparison on `/analyst` and its CSV give the figures `canvass measures` gives.
final class ComparisonTests: XCTestCase {
    /// Imports the golden responses (Fixtures/golden/responses.csv) into the fixture's store;
    /// returns the package root.
    static func importGoldenResponses(_ fixture: WebFixture) throws -> URL {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let published = try XCTUnwrap(try fixture.store.latest("asb-victim-satisfaction"))
        let bytes = Array(try Data(contentsOf: root.appendingPathComponent("Fixtures/golden/responses.csv")))
        var reader = try CSVResponseReader(bytes: bytes, interview: Interview(questionnaire: published.questionnaire, today: "2026-12-01"),
                                           defaultCompletion: "2026-12-01T00:00:00.000Z")
        _ = try fixture.store.importResponses(versionID: published.versionID, questionnaire: published.questionnaire) { add in
            while let response = try reader.next() { try add(response) }
        }
        return root
    }

    func testTheDashboardShowsTheBoroughComparisonAndItsCSV() throws {
        let fixture = try WebFixture()
        defer { fixture.stop() }
        let root = try Self.importGoldenResponses(fixture)
        let client = TestClient(port: fixture.server.port)
        XCTAssertEqual(try client.get("/analyst/comparison.csv").status, 303, "signed-out analysts are sent to sign in")
        let csrf = try XCTUnwrap(try client.get("/analyst").csrf)
        XCTAssertEqual(try client.post("/analyst/login", [("csrf", csrf), ("secret", try XCTUnwrap(fixture.app.newAnalystSecret))]).status, 303)
        let page = try client.get("/analyst?measure=local_area")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.body.contains("<h2>Borough comparison</h2>"), page.body)
        XCTAssertTrue(page.body.contains(">Barnet</a></th>"), page.body)
        XCTAssertTrue(page.body.contains("<h3>Satisfied with how police deal with ASB in the local area (baseline 55%)</h3>"), page.body)
        // The funnel plot and a link to each borough's report for the same period.
        XCTAssertTrue(page.body.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\""), page.body)
        XCTAssertTrue(page.body.contains("<a href=\"/analyst/report?questionnaire=asb-victim-satisfaction&amp;borough=Barnet&amp;from="), page.body)
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
        XCTAssertTrue(hostile.body.contains(">\(EscapingTests.escaped)</a></th>"), hostile.body)
    }

    /// The dashboard's figures are computed once per query and kept until the data changes; a
    /// borough's report is one click away, behind the secret, with the dashboard's figures.
    func testFiguresAreCachedUntilTheDataChangesAndReportsAreBehindTheSecret() throws {
        // One lane worker, so which connection answers is known (two are tested in FigureCacheTests).
        let fixture = try WebFixture { $0.analysisWorkers = 1 }
        defer { fixture.stop() }
        _ = try Self.importGoldenResponses(fixture)
        let client = TestClient(port: fixture.server.port)
        XCTAssertEqual(try client.get("/analyst/report?borough=Barnet").status, 303, "no report without the secret")
        let secret = try XCTUnwrap(fixture.app.newAnalystSecret)
        let bearer = [("Authorization", "Bearer \(secret)")]
        XCTAssertEqual(try client.get("/analyst/report?borough=Barnet", headers: [("Authorization", "Bearer wrong")]).status, 303)
        let first = try client.get("/analyst?measure=local_area", headers: bearer)
        XCTAssertEqual(first.status, 200)
        let misses = fixture.app.figures.misses
        let again = try client.get("/analyst?measure=local_area", headers: bearer)
        XCTAssertEqual(fixture.app.figures.misses, misses, "the same query with unchanged data is not computed again")
        XCTAssertGreaterThan(fixture.app.figures.hits, 0)
        XCTAssertEqual(first.body, again.body)
        // A commit that changes nothing analysis reads (a setting) leaves the figures as they are.
        _ = try fixture.store.settingIfAbsent("unrelated", "1")
        XCTAssertEqual(try client.get("/analyst?measure=local_area", headers: bearer).body, first.body)
        XCTAssertEqual(fixture.app.figures.misses, misses)
        // Erasing a complete response changes the figures: the next view computes them afresh.
        let erased = try XCTUnwrap(try fixture.store.connection.scalar("""
            SELECT a.response_id FROM analysis_responses a JOIN analysis_labels l ON l.id = a.borough
            WHERE l.text = 'Barnet' AND a.complete = 1 ORDER BY a.response_id LIMIT 1
            """).int64)
        XCTAssertTrue(try fixture.store.deleteResponse(erased))
        let changed = try client.get("/analyst?measure=local_area", headers: bearer)
        XCTAssertEqual(fixture.app.figures.misses, misses + 2, "the comparison and the polls beside it")
        // Another measure in the same period: its comparison is computed, the polls are kept.
        XCTAssertEqual(try client.get("/analyst?measure=call_handling", headers: bearer).status, 200)
        XCTAssertEqual(fixture.app.figures.misses, misses + 3)
        XCTAssertNotEqual(changed.body, first.body, "recomputed from the changed data")
        let report = try client.get("/analyst/report?questionnaire=asb-victim-satisfaction&borough=Barnet", headers: bearer)
        XCTAssertEqual(report.status, 200)
        XCTAssertTrue(report.body.contains("<h1>Inspection readiness: Barnet</h1>"), report.body)
        XCTAssertTrue(report.body.contains("<h2 id=\"headlines\">Headlines</h2>"))
        // The page's Content-Security-Policy allows styles from the server only: the served
        // report links its stylesheet instead of carrying it inline.
        XCTAssertFalse(report.body.contains("<style>"))
        XCTAssertTrue(report.body.contains("<link rel=\"stylesheet\" href=\"/assets/report.css\"/>"))
        let css = try client.get("/assets/report.css")
        XCTAssertEqual(css.header("Content-Type"), "text/css; charset=utf-8")
        XCTAssertTrue(css.body.contains("@media print"))
        let json = try client.get("/analyst/report?questionnaire=asb-victim-satisfaction&format=json", headers: bearer)
        XCTAssertEqual(json.header("Content-Type"), "application/json")
        XCTAssertTrue(json.body.contains("\"scope\": \"All boroughs\""), json.body)
        let unknown = try client.get("/analyst/report?borough=Atlantis", headers: bearer)
        XCTAssertEqual(unknown.status, 400)
        XCTAssertTrue(unknown.body.contains("no responses are stored for the borough 'Atlantis'"), unknown.body)
        XCTAssertEqual(try client.get("/analyst/report?period=2025-Q5", headers: bearer).status, 400)
        XCTAssertEqual(try client.get("/analyst/report?format=pdf", headers: bearer).status, 400)
    }

}

/// The cache shared by the lane's workers: an entry made through one connection is used through
/// another, kept across commits that change nothing analysis reads, and retired by one that does.
final class FigureCacheTests: XCTestCase {
    func testEntriesAreSharedAcrossConnectionsAndRetiredByAnalysisWrites() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("figure-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("c.sqlite").path
        let writer = try SurveyStore(path: path)
        let questionnaire = try QuestionnaireLoader.load(path: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Questionnaires/rapid-poll-local-asb.json").path)
        let published = try writer.publish(questionnaire)
        let a = try SurveyStore(readOnlyPath: path), b = try SurveyStore(readOnlyPath: path)
        let cache = FigureCache()
        var made = 0
        func look(_ store: SurveyStore) throws -> String { try cache.value("k", store: store) { made += 1; return "v\(made)" } }
        XCTAssertEqual(try look(a), "v1")
        XCTAssertEqual(try look(b), "v1", "made through a, used through b")
        _ = try writer.settingIfAbsent("touch", "1")
        XCTAssertEqual(try look(b), "v1", "a commit that analysis does not read keeps it")
        let id = try writer.startResponse(versionID: published.versionID, origin: ResponseOrigin(mode: .web, language: "en"))
        XCTAssertEqual(try look(a), "v2", "a new response retires it")
        XCTAssertEqual(try look(b), "v2")
        _ = try cache.value("other", store: a) { "o" }
        XCTAssertEqual(cache.count, 2)
        XCTAssertTrue(try writer.deleteResponse(id))
        XCTAssertEqual(try look(b), "v3", "an erased response retires it")
        XCTAssertEqual(made, 3)
        XCTAssertEqual(cache.count, 1, "entries of a passed generation are dropped, not held until the cache fills")
    }
}

/// Rapid-poll results by ward on the dashboard and as CSV: shares of substantive answers ("Don't
/// know" counted out of the base), small wards suppressed.
final class PollResultsTests: XCTestCase {
    func testPollResultsByWardAreSharesOfSubstantiveAnswersWithSmallWardsSuppressed() throws {
        let fixture = try WebFixture()
        defer { fixture.stop() }
        let published = try XCTUnwrap(try fixture.store.latest("rapid-poll-local-asb"))
        // Ward A: 12 answers, 9 yes, 3 no, and 2 "don't know" outside the base. Ward B: 4 answers.
        let votes: [(String, String, Int)] = [("Ward A", "yes", 9), ("Ward A", "no", 3), ("Ward A", "dont_know", 2), ("Ward B", "yes", 4)]
        for (ward, answer, count) in votes {
            for _ in 0..<count {
                let id = try fixture.store.startResponse(versionID: published.versionID, origin: ResponseOrigin(mode: .web, language: "en"))
                try fixture.store.setWard(responseID: id, ward: ward)
                try fixture.store.save(responseID: id, state: InterviewState(answers: ["asb_problem": .choice(answer), "confidence": .choice("fairly")], position: .submitted),
                                       questionnaire: published.questionnaire, complete: true)
            }
        }
        let secret = try XCTUnwrap(fixture.app.newAnalystSecret)
        let client = TestClient(port: fixture.server.port)
        let page = try client.get("/analyst", headers: [("Authorization", "Bearer \(secret)")])
        XCTAssertTrue(page.body.contains("<h2>Rapid polls by ward</h2>"), page.body)
        XCTAssertTrue(page.body.contains("<tr><th scope=\"row\">Ward A</th><td class=\"numeric\">12</td><td class=\"numeric\">75%</td><td class=\"numeric\">25%</td></tr>"), page.body)
        XCTAssertTrue(page.body.contains("<tr><th scope=\"row\">Ward B</th><td class=\"numeric\">fewer than 10</td><td class=\"numeric\">suppressed</td>"), page.body)
        let csv = try client.get("/analyst/polls.csv", headers: [("Authorization", "Bearer \(secret)")])
        XCTAssertEqual(csv.status, 200)
        let lines = csv.body.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "poll,question,ward,answers,choice,share")
        XCTAssertTrue(lines.contains("rapid-poll-local-asb,asb_problem,Ward A,12,yes,0.75"), csv.body)
        XCTAssertTrue(lines.contains("rapid-poll-local-asb,asb_problem,Ward B,,yes,"), "a suppressed ward has no figures: \(csv.body)")
        XCTAssertFalse(csv.body.contains("Ward B,4"))
        XCTAssertEqual(try client.get("/analyst/polls.csv").status, 303, "behind the secret")
        XCTAssertEqual(try client.get("/analyst/polls.csv?from=yesterday", headers: [("Authorization", "Bearer \(secret)")]).status, 400)
    }
}
