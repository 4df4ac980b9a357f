import Foundation
import XCTest

/// `erase`, `retain`, `audit` and `backup` on the built binary.
final class ProtectionEndToEndTests: XCTestCase {
    func testEraseRetainAuditAndBackup() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("protection-e2e-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let root = CanvassBinary.packageRoot
        let db = directory.appendingPathComponent("p.sqlite").path
        var result = try CanvassBinary.run(["import", "cases", root.appendingPathComponent("Fixtures/cases/cases.csv").path, "--db", db,
                                            "--boroughs", root.appendingPathComponent("Fixtures/boroughs.csv").path])
        XCTAssertEqual(result.status, 0, result.stderr)
        result = try CanvassBinary.run(["invite", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--questionnaires", root.appendingPathComponent("Questionnaires").path,
                                        "--cases-closed-since", "2026-01-01", "--out", directory.appendingPathComponent("inv.csv").path])
        XCTAssertEqual(result.status, 0, result.stderr)

        result = try CanvassBinary.run(["erase", "--db", db, "--case", "ASB-0001"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Erased case ASB-0001: 0 responses (0 answers), 0 web sessions, 1 invitations, 1 cases"), result.stdout)
        XCTAssertTrue(result.stdout.contains("checkpointed and emptied"), result.stdout)
        result = try CanvassBinary.run(["erase", "--db", db, "--case", "ASB-0001"])
        XCTAssertEqual(result.status, 66)
        XCTAssertTrue(result.stderr.contains("Nothing to erase"), result.stderr)
        result = try CanvassBinary.run(["erase", "--db", db, "--case", "A", "--response", "3"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("exactly one of --case REF, --response ID or --token T"), result.stderr)

        result = try CanvassBinary.run(["retain", "--db", db, "--older-than", "1m", "--dry-run"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("Dry run: before "), result.stdout)
        XCTAssertTrue(result.stdout.contains("Nothing was changed."))
        result = try CanvassBinary.run(["retain", "--db", db, "--older-than", "soon"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("like 24m, 2y or 730d"), result.stderr)

        let copy = directory.appendingPathComponent("copy.sqlite").path
        result = try CanvassBinary.run(["backup", "--db", db, "--out", copy])
        XCTAssertEqual(result.status, 0, result.stderr)
        result = try CanvassBinary.run(["verify", "--db", copy])
        XCTAssertEqual(result.status, 0, result.stderr)
        result = try CanvassBinary.run(["backup", "--db", db, "--out", copy])
        XCTAssertEqual(result.status, 73)

        result = try CanvassBinary.run(["audit", "--db", db])
        XCTAssertEqual(result.status, 0, result.stderr)
        let actions = result.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true)[1] }
        XCTAssertEqual(actions, ["import-cases", "invitations", "erasure", "backup"], result.stdout)
        XCTAssertFalse(result.stdout.contains("ASB-0001"), "the audit log never holds the reference erased")
        result = try CanvassBinary.run(["audit", "--db", db, "--since", "2999-01-01"])
        XCTAssertTrue(result.stdout.contains("No audit entries since 2999-01-01"), result.stdout)
    }
}
