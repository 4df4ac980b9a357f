import Foundation
import XCTest

/// `canvass import xlsform` as a user runs it: both routes, the file it writes passing
/// `canvass check`, and bad input refused with its reason and nothing written.
final class XLSFormEndToEndTests: XCTestCase {
    func testImportWritesAFileThatPassesCheck() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("xlsform-e2e-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let fixtures = CanvassBinary.packageRoot.appendingPathComponent("Fixtures/xlsform")
        let out = directory.appendingPathComponent("asb-where-you-live.json").path
        var result = try CanvassBinary.run(["import", "xlsform", fixtures.appendingPathComponent("asb-where-you-live.xlsx").path, "--out", out])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("asb-where-you-live version 2026-12, 7 questions"), result.stdout)
        XCTAssertTrue(result.stderr.contains("note: survey sheet, line 12 (location): type 'geopoint' cannot be translated"), result.stderr)
        result = try CanvassBinary.run(["check", out])
        XCTAssertEqual(result.status, 0, result.stderr)

        // The CSV route to standard output gives the same file.
        result = try CanvassBinary.run(["import", "xlsform", fixtures.appendingPathComponent("survey.csv").path,
                                        "--choices", fixtures.appendingPathComponent("choices.csv").path,
                                        "--settings", fixtures.appendingPathComponent("settings.csv").path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, try String(contentsOfFile: out, encoding: .utf8))

        // Not a workbook: exit 65, the reason, and nothing written.
        let bad = directory.appendingPathComponent("bad.xlsx").path
        try Data("type,name\n".utf8).write(to: URL(fileURLWithPath: bad))
        let badOut = directory.appendingPathComponent("bad.json").path
        result = try CanvassBinary.run(["import", "xlsform", bad, "--out", badOut])
        XCTAssertEqual(result.status, 65)
        XCTAssertTrue(result.stderr.contains("not a zip archive"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: badOut))
        // A workbook with --choices: a usage error naming the value.
        result = try CanvassBinary.run(["import", "xlsform", fixtures.appendingPathComponent("asb-where-you-live.xlsx").path, "--choices", "c.csv"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("'c.csv'"), result.stderr)
    }
}
