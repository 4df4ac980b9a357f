import Foundation
import XCTest
import SQLite

/// Several databases read as one, and `verify` / `reindex` on a damaged analysis table.
final class AnalysisEndToEndTests: XCTestCase {
    var directory: URL!
    let questionnaires = CanvassBinary.packageRoot.appendingPathComponent("Questionnaires").path
    let fixture = CanvassBinary.packageRoot.appendingPathComponent("Fixtures/golden/responses.csv")

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("analysis-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func importCSV(_ csv: URL, into db: String, questionnaires: String? = nil) throws {
        let result = try CanvassBinary.run(["import", "responses", csv.path, "--db", db, "--questionnaire", "asb-victim-satisfaction",
                                            "--questionnaires", questionnaires ?? self.questionnaires])
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    /// The fixture split in two: the two databases read together give exactly the figures of one
    /// database holding both halves.
    func testTwoDatabasesReadTogetherGiveTheFiguresOfOneHoldingBoth() throws {
        let lines = try String(contentsOf: fixture, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let header = lines[0], rows = lines.dropFirst().filter { !$0.isEmpty }
        let halves = [rows.enumerated().filter { $0.offset % 3 == 0 }.map(\.element), rows.enumerated().filter { $0.offset % 3 != 0 }.map(\.element)]
        var paths: [String] = []
        for (index, half) in halves.enumerated() {
            let csv = directory.appendingPathComponent("half\(index).csv")
            try ([String(header)] + half.map(String.init)).joined(separator: "\n").appending("\n").write(to: csv, atomically: true, encoding: .utf8)
            paths.append(directory.appendingPathComponent("force\(index).sqlite").path)
            try importCSV(csv, into: paths[index])
        }
        let both = directory.appendingPathComponent("both.sqlite").path
        try importCSV(fixture, into: both)
        for arguments in [["measures", "--by", "borough"], ["measures", "--by", "quarter", "--weights", "weight"], ["trend", "--by", "quarter"],
                          ["measures", "--by", "borough", "--rolling", "6"]] {
            let common = ["--questionnaire", "asb-victim-satisfaction", "--format", "json"]
            let one = try CanvassBinary.run(arguments + ["--db", both] + common)
            let two = try CanvassBinary.run(arguments + ["--db", paths[0], "--db", paths[1]] + common)
            XCTAssertEqual(one.status, 0, one.stderr)
            XCTAssertEqual(two.status, 0, two.stderr)
            XCTAssertEqual(two.stdout, one.stdout, "\(arguments) over two databases")
        }
    }

    func testAMeasureDefinedDifferentlyInTwoDatabasesIsAnErrorNamingBoth() throws {
        let changed = directory.appendingPathComponent("changed")
        try FileManager.default.createDirectory(at: changed, withIntermediateDirectories: true)
        let original = try String(contentsOfFile: questionnaires + "/asb-victim-satisfaction.json", encoding: .utf8)
        // local_area counts only "very satisfied" in the second force's questionnaire.
        let marker = #""id": "local_area""#
        let range = try XCTUnwrap(original.range(of: marker))
        let tail = original[range.upperBound...].replacingOccurrences(of: #""very_satisfied",\s*"fairly_satisfied""#, with: #""very_satisfied""#,
                                                                     options: .regularExpression, range: nil)
        try (String(original[..<range.upperBound]) + tail).write(to: changed.appendingPathComponent("asb-victim-satisfaction.json"), atomically: true, encoding: .utf8)
        let a = directory.appendingPathComponent("a.sqlite").path, b = directory.appendingPathComponent("b.sqlite").path
        try importCSV(fixture, into: a)
        try importCSV(fixture, into: b, questionnaires: changed.path)
        let result = try CanvassBinary.run(["measures", "--db", a, "--db", b, "--questionnaire", "asb-victim-satisfaction"])
        XCTAssertEqual(result.status, 65)
        XCTAssertTrue(result.stderr.contains("measure local_area is defined differently in \(a)"), result.stderr)
        XCTAssertTrue(result.stderr.contains("and in \(b)"), result.stderr)
        XCTAssertEqual(try CanvassBinary.run(["measures", "--db", a, "--db", b, "--questionnaire", "asb-victim-satisfaction", "--measure", "call_handling"]).status, 0,
                       "measures defined alike can still be read together")
    }

    func testVerifyNamesACorruptedRowAndReindexRepairsIt() throws {
        let db = directory.appendingPathComponent("v.sqlite").path
        try importCSV(fixture, into: db)
        var result = try CanvassBinary.run(["verify", "--db", db])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("2400 analysis rows match"), result.stdout)
        let connection = try Connection(path: db)
        try connection.execute("UPDATE analysis_responses SET states = (states | 3) - (states & 3) WHERE response_id = 17")
        try connection.execute("DELETE FROM analysis_responses WHERE response_id = 18")
        try connection.execute("UPDATE analysis_responses SET mode = 9 WHERE response_id = 19")
        // A maintained cell that no longer adds up (its trigger bypassed, as a damaged file might have it).
        try connection.execute("""
            UPDATE analysis_cells SET satisfied = satisfied + 1 WHERE (questionnaire, complete, day, borough, slot, version_id) =
              (SELECT questionnaire, complete, day, borough, slot, version_id FROM analysis_cells WHERE n > 0 ORDER BY day, borough, slot LIMIT 1)
            """)
        try connection.execute("UPDATE analysis_totals SET n = n + 5")
        try connection.execute("UPDATE analysis_group_cells SET n = n + 1 WHERE dimension = 1 AND slot = 0")
        // A row for a response that is gone (written with foreign keys off, as a damaged file might be).
        try connection.execute("PRAGMA foreign_keys = OFF")
        try connection.execute("INSERT INTO analysis_responses SELECT 999999, questionnaire, complete, version_id, states, weight, day, borough, ward, mode, stage, outcome, channel, case_review, complaints, days_to_first_action, repeat_victim, vulnerable, administration, language, invited FROM analysis_responses WHERE response_id = 20")
        result = try CanvassBinary.run(["verify", "--db", db])
        XCTAssertEqual(result.status, 65)
        XCTAssertTrue(result.stderr.contains("response 17: states differ from the answers"), result.stderr)
        XCTAssertTrue(result.stderr.contains("response 18: no analysis row"), result.stderr)
        XCTAssertTrue(result.stderr.contains("response 19: mode differ from the answers"), "a code that names nothing is a difference: \(result.stderr)")
        XCTAssertTrue(result.stderr.contains("response 999999: an analysis row for a response that does not exist"), result.stderr)
        XCTAssertTrue(result.stderr.contains("analysis: analysis cell (questionnaire "), result.stderr)
        XCTAssertTrue(result.stderr.contains("analysis: analysis total (version 1, complete 1): kept "), result.stderr)
        XCTAssertTrue(result.stderr.contains("analysis: ward or mode month cell (questionnaire "), result.stderr)
        XCTAssertTrue(result.stderr.contains("canvass reindex --db \(db)"), result.stderr)
        result = try CanvassBinary.run(["reindex", "--db", db])
        XCTAssertEqual(result.status, 0, result.stderr)
        result = try CanvassBinary.run(["verify", "--db", db])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("the analysis cells match the rows"), result.stdout)
        XCTAssertEqual(try CanvassBinary.run(["verify", "--db", directory.appendingPathComponent("missing.sqlite").path]).status, 66)
    }

    /// Opening a database an older Canvass wrote says, on standard error, which migration runs
    /// before it runs (it takes minutes on millions of responses), once; a new database's
    /// migrations are not told; the figures come out the same.
    func testAnUpgradeIsSaidBeforeItRunsOnceAndNotForANewDatabase() throws {
        let db = directory.appendingPathComponent("old.sqlite").path
        let imported = try CanvassBinary.run(["import", "responses", fixture.path, "--db", db, "--questionnaire", "asb-victim-satisfaction",
                                              "--questionnaires", questionnaires])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertFalse(imported.stderr.contains("upgrading") || imported.stderr.contains("rebuilding"), imported.stderr)
        let measures = ["measures", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--by", "ward", "--format", "csv"]
        let before = try CanvassBinary.run(measures)
        XCTAssertEqual(before.status, 0, before.stderr)
        XCTAssertEqual(before.stderr, "")
        // Back to the schema before migration 13, as an older Canvass left it.
        let connection = try Connection(path: db)
        for trigger in try connection.rows("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'analysis_group_cells%'") {
            try connection.execute("DROP TRIGGER \(trigger[0].string!)")
        }
        try connection.execute("DROP TABLE analysis_group_cells")
        try connection.execute("DELETE FROM schema_migrations WHERE number = 13")
        let upgraded = try CanvassBinary.run(measures)
        XCTAssertEqual(upgraded.status, 0, upgraded.stderr)
        XCTAssertEqual(upgraded.stderr, "upgrading \(db): schema migration 13, ward and mode month cells (once; minutes for millions of responses)…\n")
        XCTAssertEqual(upgraded.stdout, before.stdout)
        let again = try CanvassBinary.run(measures)
        XCTAssertEqual(again.stderr, "")
        XCTAssertEqual(again.stdout, before.stdout)
    }
}
