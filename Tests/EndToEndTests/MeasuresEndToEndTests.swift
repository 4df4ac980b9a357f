import Foundation
import XCTest
import JSON
import SQLite

/// Import → measures → numbers, through the built binary. Reference values: statsmodels 0.15.0
/// proportion_confint(method='wilson') and the score test against the baseline (scipy.stats.norm).
final class MeasuresEndToEndTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("measures-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private var questionnaires: String { CanvassBinary.packageRoot.appendingPathComponent("Questionnaires").path }

    /// A rapid-poll-free check on the victim survey: the `local_area` measure (baseline 0.55).
    private func victimCSV(rows: [(borough: String, local: String)]) -> String {
        var lines = ["how_reported,contact_sat,action_taken,incident_sat,kept_informed,info_sat,treatment,local_sat,experienced_before,impact,felt_unsafe,disability,borough,completed_at"]
        for (index, row) in rows.enumerated() {
            lines.append("phone_101,very_satisfied,no,fairly_satisfied,yes,neither,yes,\(row.local),no,fair_amount,no,no,\(row.borough),2026-0\(index % 9 + 1)-10")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testImportThenMeasuresGivesReferenceNumbers() throws {
        var rows: [(String, String)] = []
        rows += Array(repeating: ("Hackney", "very_satisfied"), count: 15) + Array(repeating: ("Hackney", "fairly_satisfied"), count: 15)
        rows += Array(repeating: ("Hackney", "very_dissatisfied"), count: 30) + Array(repeating: ("Hackney", "dont_know"), count: 4)
        rows += Array(repeating: ("Sutton", "fairly_satisfied"), count: 3)
        let csv = try write("victims.csv", victimCSV(rows: rows))
        let db = directory.appendingPathComponent("c.sqlite").path
        var result = try CanvassBinary.run(["import", "responses", csv, "--db", db, "--questionnaire", "asb-victim-satisfaction", "--questionnaires", questionnaires])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Imported 67 responses"), result.stdout)

        result = try CanvassBinary.run(["measures", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--measure", "local_area", "--by", "borough", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try JSONParser.parse(result.stdout)
        let out = try XCTUnwrap(json["rows"]?.array)
        XCTAssertEqual(out.count, 2)
        XCTAssertEqual(out[0]["group"]?.string, "Hackney")
        XCTAssertEqual(out[0]["n"]?.number, 60)
        XCTAssertEqual(out[0]["satisfied"]?.number, 30)
        XCTAssertEqual(out[0]["lower"]!.number!, 0.37735024241555765, accuracy: 1e-10)
        XCTAssertEqual(out[0]["upper"]!.number!, 0.6226497575844423, accuracy: 1e-10)
        XCTAssertEqual(out[0]["baseline"]?.number, 0.55)
        XCTAssertEqual(out[0]["p_value"]!.number!, 0.4362749288405289, accuracy: 1e-12)
        XCTAssertEqual(out[0]["verdict"]?.string, "broadly in line with")
        XCTAssertEqual(out[0]["small_base"]?.bool, false)
        XCTAssertEqual(out[1]["group"]?.string, "Sutton")
        XCTAssertEqual(out[1]["suppressed"]?.bool, true)
        XCTAssertEqual(out[1]["proportion"], .null)

        result = try CanvassBinary.run(["measures", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--by", "borough"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("fewer than 10"), result.stdout)
        XCTAssertTrue(result.stdout.contains("Satisfied with how police deal with ASB in the local area [local_area] — national baseline 55.0%"), result.stdout)

        result = try CanvassBinary.run(["measures", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--measure", "local_area", "--format", "csv"])
        XCTAssertEqual(result.stdout.split(separator: "\n").first.map(String.init),
                       "measure,group,n,satisfied,proportion,lower,upper,baseline,difference,p_value,p_adjusted,verdict,suppressed,small_base,test,effective_n,design_effect")

        // The three calendar months ending with the latest response (September): July to September.
        result = try CanvassBinary.run(["measures", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--measure", "local_area", "--rolling", "3", "--format", "json"])
        let rolling = try JSONParser.parse(result.stdout)["rows"]?.array?.first
        XCTAssertEqual(rolling?["n"]?.number, 18)
        XCTAssertEqual(rolling?["satisfied"]?.number, 9)

        let lower = try write("baselines.csv", "questionnaire,measure,baseline,source\nasb-victim-satisfaction,local_area,30%,test\n")
        result = try CanvassBinary.run(["measures", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--measure", "local_area", "--baseline", lower, "--format", "json"])
        let againstThirty = try JSONParser.parse(result.stdout)["rows"]?.array?.first
        XCTAssertEqual(againstThirty?["baseline"]?.number, 0.3)
        XCTAssertEqual(againstThirty?["verdict"]?.string, "significantly above", "30/60 against 30%: z = 3.38")
        let shipped = CanvassBinary.packageRoot.appendingPathComponent("Fixtures/baselines.csv").path
        result = try CanvassBinary.run(["measures", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--baseline", shipped, "--format", "json"])
        XCTAssertEqual(try JSONParser.parse(result.stdout)["rows"]?.array?.compactMap { $0["baseline"]?.number }, [0.82, 0.63, 0.66, 0.55])
        let broken = try write("broken.csv", "questionnaire,measure,baseline\nasb-victim-satisfaction,local_area,high\n")
        result = try CanvassBinary.run(["measures", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--baseline", broken])
        XCTAssertEqual(result.status, 65)
        XCTAssertTrue(result.stderr.contains("broken.csv:2: baseline 'high' must be a fraction"), result.stderr)

        result = try CanvassBinary.run(["trend", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--measure", "local_area", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try JSONParser.parse(result.stdout)["rows"]?.array?.count, 9, "nine months, January to September")
    }

    func testBadRowStopsImportWithLineColumnValueAndStoresNothing() throws {
        var text = victimCSV(rows: Array(repeating: ("Hackney", "very_satisfied"), count: 5))
        text = text.replacingOccurrences(of: "no,fair_amount,no,no,Hackney,2026-04-10", with: "no,fair_amount,no,maybe,Hackney,2026-04-10")
        let csv = try write("bad.csv", text)
        let db = directory.appendingPathComponent("c.sqlite").path
        let result = try CanvassBinary.run(["import", "responses", csv, "--db", db, "--questionnaire", "asb-victim-satisfaction", "--questionnaires", questionnaires])
        XCTAssertEqual(result.status, 65)
        XCTAssertTrue(result.stderr.contains("line 5, column 'disability', value 'maybe': 'maybe' is not a code of this question"), result.stderr)
        XCTAssertTrue(result.stderr.contains("nothing was imported"))
        let connection = try Connection(path: db, mode: .readOnly)
        XCTAssertEqual(try connection.scalar("SELECT count(*) FROM responses").int, 0)
        XCTAssertEqual(try connection.scalar("SELECT count(*) FROM answers").int, 0)

        let unknown = try write("unknown.csv", "how_reported,shoe_size\nphone_101,9\n")
        let second = try CanvassBinary.run(["import", "responses", unknown, "--db", db, "--questionnaire", "asb-victim-satisfaction", "--questionnaires", questionnaires])
        XCTAssertEqual(second.status, 65)
        XCTAssertTrue(second.stderr.contains("line 1, column 'shoe_size': unknown column"), second.stderr)
    }

    /// The Metropolitan Police figure: 43% of 400 against the national 55%. statsmodels:
    /// proportion_confint(172, 400, method='wilson') = (0.382376040644, 0.478955680562);
    /// proportions_ztest(172, 400, 0.55, prop_var=0.55) p = 1.4057935180978344e-06.
    func testStatsProportionChecksThePublishedFigure() throws {
        let result = try CanvassBinary.run(["stats", "proportion", "--percent", "43", "--n", "400", "--baseline", "0.55", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let row = try JSONParser.parse(result.stdout)
        XCTAssertEqual(row["satisfied"]?.number, 172)
        XCTAssertEqual(row["n"]?.number, 400)
        XCTAssertEqual(row["lower"]!.number!, 0.382376040644, accuracy: 1e-10)
        XCTAssertEqual(row["upper"]!.number!, 0.478955680562, accuracy: 1e-10)
        XCTAssertEqual(row["p_value"]!.number!, 1.4057935180978344e-06, accuracy: 1e-16)
        XCTAssertEqual(row["verdict"]?.string, "significantly below")
        let table = try CanvassBinary.run(["stats", "proportion", "--successes", "172", "--n", "400", "--baseline", "55%"])
        XCTAssertTrue(table.stdout.contains("172 of 400 = 43.0%"), table.stdout)
        XCTAssertTrue(table.stdout.contains("significantly below the baseline"), table.stdout)
        let bad = try CanvassBinary.run(["stats", "proportion", "--successes", "500", "--n", "400"])
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(bad.stderr.contains("invalid value '500' for --successes: expected a whole number from 0 to n (400)"), bad.stderr)
    }

    func testMeasuresOptionErrors() throws {
        let db = directory.appendingPathComponent("c.sqlite").path
        var result = try CanvassBinary.run(["measures", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--method", "bayes"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("invalid value 'bayes' for --method"), result.stderr)
        result = try CanvassBinary.run(["measures", "--db", db, "--questionnaire", "asb-victim-satisfaction"])
        XCTAssertEqual(result.status, 66, "a missing database is not created")
        XCTAssertTrue(result.stderr.contains("c.sqlite: no such database"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: db))
        XCTAssertEqual(try CanvassBinary.run(["invite", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--questionnaires", questionnaires,
                                              "--case", "C1", "--borough", "Hackney"]).status, 0)
        result = try CanvassBinary.run(["measures", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--questionnaires", questionnaires, "--measure", "happiness"])
        XCTAssertEqual(result.status, 65)
        XCTAssertTrue(result.stderr.contains("no measure 'happiness'; the questionnaire defines: call_handling, own_incident, information, local_area"), result.stderr)
        result = try CanvassBinary.run(["measures", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--from", "2026-13-01"])
        XCTAssertEqual(result.status, 64)
    }
}
