import Foundation
import XCTest
import SQLite
import SurveyEngine
@testable import SurveyStore

/// Migrations 10 and 13 on a database as migration 9 left it: day cells of partial responses
/// go, month cells and ward and mode month cells are built, and what verify recomputes agrees
/// with what is kept.
final class MonthCellsMigrationTests: XCTestCase {
    func testMigrationTenBuildsMonthCellsAndDropsPartialDayCells() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("month-cells-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("db.sqlite").path
        let json = #"""
        {"version": "1", "title": "M", "questions": [{"id": "area", "type": "scale", "label": "Area?",
          "choices": [{"code": "yes", "label": "Good"}, {"code": "ok", "label": "OK"}, {"code": "so", "label": "So-so"},
                      {"code": "poor", "label": "Poor"}, {"code": "no", "label": "Bad"}]}],
         "measures": [{"id": "local_area", "label": "Area", "question": "area", "satisfied": ["yes"], "baseline": 0.5}]}
        """#
        let questionnaire = try QuestionnaireLoader.load(bytes: Array(json.utf8), id: "m", source: "m.json")
        do {
            let store = try SurveyStore(path: path)
            let published = try store.publish(questionnaire)
            let partial = try store.startResponse(versionID: published.versionID, origin: ResponseOrigin(mode: .web))
            try store.save(responseID: partial, state: InterviewState(answers: ["area": .choice("yes")], position: .question("area")), questionnaire: questionnaire)
            _ = try store.importResponses(versionID: published.versionID, questionnaire: questionnaire) { add in
                for (month, answer) in [("01", "yes"), ("01", "no"), ("02", "yes")] {
                    try add(ImportedResponse(answers: ["area": .choice(answer)], borough: "Brent", completedAt: "2026-\(month)-15T10:00:00.000Z"))
                }
            }
        }
        do {
            // Back to the state migration 9 leaves: its cells (partial responses too), no month cells.
            let db = try Connection(path: path)
            for trigger in try db.rows("SELECT name FROM sqlite_master WHERE type = 'trigger' AND (name LIKE 'analysis_cells%' OR name LIKE 'analysis_month%' OR name LIKE 'analysis_totals%' OR name LIKE 'analysis_group%')") {
                try db.execute("DROP TRIGGER \(trigger[0].string!)")
            }
            try db.execute("DROP TABLE analysis_group_cells; DROP TABLE analysis_month_cells; DROP TABLE analysis_cells; DROP TABLE analysis_totals; DROP TABLE analysis_slots")
            try db.execute("DROP INDEX invitations_by_borough")  // migration 11's, made again after 10
            try db.execute("DELETE FROM schema_migrations WHERE number >= 9")
            var old = Migrator()
            for migration in Schema.migrator.migrations where migration.number <= 9 { old.register(migration) }
            try old.migrate(db)
            XCTAssertGreaterThan(try db.scalar("SELECT count(*) FROM analysis_cells WHERE complete = 0").int ?? 0, 0, "migration 9 counted the partial response")
        }
        let store = try SurveyStore(path: path)
        XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM analysis_cells WHERE complete = 0").int, 0)
        XCTAssertEqual(try store.connection.scalar("SELECT max(number) FROM schema_migrations").int, Schema.migrator.migrations.map(\.number).max())
        // January: two responses in the base, one satisfied; February: one, satisfied.
        let january = try XCTUnwrap(DateText.dayNumber("2026-01-01"))
        XCTAssertEqual(try store.connection.rows("SELECT n, satisfied FROM analysis_month_cells WHERE month = ? AND slot = 0", [january]).map { [$0[0], $0[1]] },
                       [[.integer(2), .integer(1)]])
        let report = try store.verify()
        XCTAssertTrue(report.isClean, "\(report.cellDifferences) \(report.differences)")
        // And the month cells answer as the rows do.
        store.analysisCellsEnabled = false
        let rows = try store.measureCounts(questionnaireID: "m", measureIDs: ["local_area"], grouping: .month, filter: ResponseFilter(), weighted: false)
        store.analysisCellsEnabled = true
        let cells = try store.measureCounts(questionnaireID: "m", measureIDs: ["local_area"], grouping: .month, filter: ResponseFilter(), weighted: false)
        XCTAssertEqual(cells, rows)
        XCTAssertEqual(cells["local_area"]?.map(\.n), [2, 1])
        // The ward and mode month cells: three imported responses, no ward, in the base.
        XCTAssertEqual(try store.connection.rows("SELECT dimension, value, sum(n), sum(satisfied) FROM analysis_group_cells WHERE slot = 0 GROUP BY 1, 2")
            .map { row in (0..<4).map { row[$0].int64 } }, [[1, -1, 3, 2], [2, Int64(ResponseMode.import.analysisCode), 3, 2]])
        for grouping in [ResponseGrouping.ward, .mode] {
            store.analysisCellsEnabled = false
            let rows = try store.measureCounts(questionnaireID: "m", measureIDs: ["local_area"], grouping: grouping, filter: ResponseFilter(), weighted: false)
            store.analysisCellsEnabled = true
            XCTAssertEqual(try store.measureCounts(questionnaireID: "m", measureIDs: ["local_area"], grouping: grouping, filter: ResponseFilter(), weighted: false), rows)
        }
    }

    /// A bulk import sets the analysis table's insert triggers aside and writes what they would
    /// have once at its end: its rows' cells, the version's total and one step of the
    /// generation; the triggers are back as they were after it, whether it succeeds or fails.
    func testABulkImportWritesWhatItsTriggersWouldAndPutsThemBack() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cell-sums-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let json = #"""
        {"version": "1", "title": "M", "questions": [{"id": "area", "type": "scale", "label": "Area?",
          "choices": [{"code": "yes", "label": "Good"}, {"code": "ok", "label": "OK"}, {"code": "so", "label": "So-so"},
                      {"code": "poor", "label": "Poor"}, {"code": "no", "label": "Bad"}]}],
         "measures": [{"id": "local_area", "label": "Area", "question": "area", "satisfied": ["yes"], "baseline": 0.5}]}
        """#
        let questionnaire = try QuestionnaireLoader.load(bytes: Array(json.utf8), id: "m", source: "m.json")
        let store = try SurveyStore(path: directory.appendingPathComponent("db.sqlite").path)
        let published = try store.publish(questionnaire)
        func triggers() throws -> [String] {
            try store.connection.rows("SELECT name || ': ' || sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").compactMap { $0[0].string }
        }
        func total() throws -> Int? {
            try store.connection.scalar("SELECT n FROM analysis_totals WHERE version_id = ? AND complete = 1", [published.versionID]).int
        }
        let before = try triggers()
        XCTAssertEqual(before.filter { $0.contains("analysis_cells_deferred") }, [], "migration 12 took the setting out of the insert triggers")
        XCTAssertEqual(Set(BulkInsertTriggers.names).subtracting(before.map { String($0.prefix { $0 != ":" }) }), [])
        for round in 0..<2 {
            let generation = try store.analysisGeneration()
            _ = try store.importResponses(versionID: published.versionID, questionnaire: questionnaire) { add in
                for (day, answer, weight) in [("03", "yes", 1.5), ("03", "no", nil), ("20", "yes", 0.25)] as [(String, String, Double?)] {
                    try add(ImportedResponse(answers: ["area": .choice(answer)], borough: "Brent", completedAt: "2026-01-\(day)T10:00:00.000Z", weight: weight))
                }
            }
            XCTAssertEqual(try triggers(), before, "round \(round)")
            XCTAssertEqual(try store.analysisGeneration(), generation + 1, "one step for the whole import, round \(round)")
            XCTAssertEqual(try total(), 3 * (round + 1))
        }
        struct Refused: Error {}
        let generation = try store.analysisGeneration()
        XCTAssertThrowsError(try store.importResponses(versionID: published.versionID, questionnaire: questionnaire) { add in
            try add(ImportedResponse(answers: ["area": .choice("yes")], borough: "Brent", completedAt: "2026-01-05T10:00:00.000Z"))
            throw Refused()
        })
        XCTAssertEqual(try triggers(), before, "a failed import rolls the triggers back in")
        XCTAssertEqual(try store.analysisGeneration(), generation)
        XCTAssertEqual(try total(), 6)
        // Two imports of the same three rows: a cell found again is added to, not replaced.
        let january = try XCTUnwrap(DateText.dayNumber("2026-01-01")), third = try XCTUnwrap(DateText.dayNumber("2026-01-03"))
        let month = try store.connection.rows("SELECT n, satisfied, sw, sw2, swy FROM analysis_month_cells WHERE month = ? AND slot = 0", [january])
        let expected: [Double] = [6, 4, 2 * 2.75, 2 * 3.3125, 2 * 1.75]  // Σw 1.5 + 1 + 0.25, Σw² 2.25 + 1 + 0.0625, Σwy 1.5 + 0.25
        XCTAssertEqual(month.map { row in (0..<5).map { row[$0].double ?? -1 } }, [expected])
        let day = try store.connection.rows("SELECT n, satisfied FROM analysis_cells WHERE day = ? AND slot = 0", [third])
        XCTAssertEqual(day.map { row in [row[0].int64 ?? -1, row[1].int64 ?? -1] }, [[4, 2]])
        // The ward and mode month cells of the same rows: no ward, mode import.
        for (dimension, value) in [(CellDimension.ward, Int64(-1)), (.mode, Int64(ResponseMode.import.analysisCode))] {
            let cells = try store.connection.rows("SELECT n, satisfied, sw, sw2, swy FROM analysis_group_cells WHERE dimension = ? AND month = ? AND value = ? AND slot = 0",
                                                  [dimension.rawValue, january, value])
            XCTAssertEqual(cells.map { row in (0..<5).map { row[$0].double ?? -1 } }, [expected], "\(dimension)")
        }
        // A response started afterwards still goes through the triggers.
        let started = try store.startResponse(versionID: published.versionID, origin: ResponseOrigin(mode: .web))
        try store.save(responseID: started, state: InterviewState(answers: ["area": .choice("yes")], position: .submitted), questionnaire: questionnaire, complete: true)
        XCTAssertEqual(try total(), 7)
        XCTAssertGreaterThan(try store.analysisGeneration(), generation)
        XCTAssertTrue(try store.verify().isClean)
    }
}
