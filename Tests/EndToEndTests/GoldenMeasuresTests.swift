import Foundation
import XCTest
import SQLite

/// `measures` and `trend` give, byte for byte, what they gave before the analysis table
/// (`Fixtures/golden`, written by the previous code on the same data).
final class GoldenMeasuresTests: XCTestCase {
    func testMeasuresAndTrendMatchTheGoldenFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("golden-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let golden = CanvassBinary.packageRoot.appendingPathComponent("Fixtures/golden")
        let db = directory.appendingPathComponent("golden.sqlite").path
        let imported = try CanvassBinary.run(["import", "responses", golden.appendingPathComponent("responses.csv").path, "--db", db,
                                              "--questionnaire", "asb-victim-satisfaction", "--questionnaires", CanvassBinary.packageRoot.appendingPathComponent("Questionnaires").path])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        // The partial responses are written behind the store's back, as another program might;
        // reindex brings the analysis table up to date.
        try Connection(path: db).execute(String(contentsOf: golden.appendingPathComponent("partials.sql"), encoding: .utf8))
        XCTAssertEqual(try CanvassBinary.run(["verify", "--db", db]).status, 65, "verify sees the rows the table lacks")
        XCTAssertEqual(try CanvassBinary.run(["reindex", "--db", db]).status, 0)
        let lines = try String(contentsOf: golden.appendingPathComponent("commands.txt"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 11)
        for line in lines {
            let parts = line.split(separator: "\t")
            let file = String(parts[0])
            let arguments = parts[1].split(separator: " ").map(String.init) + ["--db", db, "--questionnaire", "asb-victim-satisfaction", "--format", "json"]
            let result = try CanvassBinary.run(arguments)
            XCTAssertEqual(result.status, 0, "\(file): \(result.stderr)")
            let expected = try String(contentsOf: golden.appendingPathComponent(file), encoding: .utf8)
            XCTAssertEqual(result.stdout, expected, "\(file) differs from the golden output")
        }
    }
}
