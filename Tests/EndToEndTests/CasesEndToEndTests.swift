import Foundation
import XCTest
import SQLite

/// `import cases`, `invite --cases-closed-since` and `outcomes` on the built binary.
final class CasesEndToEndTests: XCTestCase {
    func testImportInviteAndOutcomes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cases-e2e-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let root = CanvassBinary.packageRoot
        let db = directory.appendingPathComponent("c.sqlite").path
        let boroughs = ["--boroughs", root.appendingPathComponent("Fixtures/boroughs.csv").path]
        var result = try CanvassBinary.run(["import", "cases", root.appendingPathComponent("Fixtures/cases/cases.csv").path, "--db", db,
                                            "--events", root.appendingPathComponent("Fixtures/cases/events.csv").path] + boroughs)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Imported 6 cases (6 new, 0 updated) and 4 events"), result.stdout)
        let bad = directory.appendingPathComponent("bad.csv")
        try "case_ref,borough,ward,opened,closed,channel,repeat_victim,vulnerable_victim,highest_stage,outcome\nX1,Hackney,,2026-01-01,,fax,false,false,none,resolved\n"
            .write(to: bad, atomically: true, encoding: .utf8)
        result = try CanvassBinary.run(["import", "cases", bad.path, "--db", db] + boroughs)
        XCTAssertEqual(result.status, 65)
        XCTAssertTrue(result.stderr.contains("line 2, column 'channel', value 'fax'"), result.stderr)
        XCTAssertTrue(result.stderr.contains("nothing was imported"), result.stderr)

        let out = directory.appendingPathComponent("invitations.csv").path
        let invite = ["invite", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--questionnaires", root.appendingPathComponent("Questionnaires").path,
                      "--cases-closed-since", "2026-02-01", "--base-url", "https://survey.example.org"]
        result = try CanvassBinary.run(invite + ["--out", out])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.first, "case_ref,token,link")
        XCTAssertEqual(lines.dropFirst().map { $0.split(separator: ",")[0] }, ["ASB-0001", "ASB-0002", "ASB-0003", "ASB-0006"])
        XCTAssertTrue(lines[1].contains(",https://survey.example.org/s/"), String(lines[1]))
        result = try CanvassBinary.run(invite + ["--out", out])
        XCTAssertEqual(result.status, 73, "an existing file is never overwritten: its tokens are shown only once")
        result = try CanvassBinary.run(invite + ["--out", out + ".2"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Created 0 invitations"), result.stdout)

        result = try CanvassBinary.run(["outcomes", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--measure", "local_area", "--by", "stage", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("\"association\""), result.stdout)
        result = try CanvassBinary.run(["outcomes", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--measure", "local_area", "--case-review", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("\"threshold\": 3"), result.stdout)
        result = try CanvassBinary.run(["outcomes", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--measure", "local_area", "--case-review", "--case-review-window", "12m"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("complaints_6m"), result.stderr)
        result = try CanvassBinary.run(["outcomes", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--measure", "local_area", "--by", "colour"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("invalid value 'colour' for --by: expected stage, outcome, channel, repeat, vulnerable, case-review, case-review-eligible, borough"), result.stderr)
    }
}
