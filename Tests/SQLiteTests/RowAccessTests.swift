import Foundation
import XCTest
@testable import SQLite

/// Reading rows by column name, text with NUL bytes, and statements that never keep a stale snapshot.
final class RowAccessTests: XCTestCase {
    func testColumnsAreReadByNameAndTypeWithErrorsThatNameThem() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t(id INTEGER, name TEXT, score REAL, note TEXT)")
        try db.execute("INSERT INTO t VALUES (7, 'Hackney', 0.5, NULL)")
        let row = try XCTUnwrap(try db.firstRow("SELECT id, name, score, note FROM t"))
        XCTAssertEqual(try row.get("id", as: Int64.self), 7)
        XCTAssertEqual(try row.get("name", as: String.self), "Hackney")
        XCTAssertEqual(try row.get("score", as: Double.self), 0.5)
        XCTAssertEqual(try row.get("note", as: String?.self), nil)
        XCTAssertThrowsError(try row.get("nmae", as: String.self)) { error in
            XCTAssertTrue("\(error)".contains("no column 'nmae'"), "\(error)")
            XCTAssertTrue("\(error)".contains("id, name, score, note"), "\(error)")
        }
        XCTAssertThrowsError(try row.get("note", as: String.self)) { XCTAssertTrue("\($0)".contains("NULL"), "\($0)") }
        XCTAssertThrowsError(try row.get("name", as: Int64.self)) { XCTAssertTrue("\($0)".contains("'name' holds text"), "\($0)") }
    }

    func testTextWithANulByteReadsBackWhole() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t(x TEXT)")
        try db.execute("INSERT INTO t VALUES (?)", ["before\u{0}after"])
        XCTAssertEqual(try db.scalar("SELECT x FROM t").string, "before\u{0}after")
        XCTAssertEqual(try db.scalar("SELECT length(CAST(x AS BLOB)) FROM t").int, 12)
    }

    func testAForEachWhoseBodyThrowsDoesNotKeepAnOldSnapshot() throws {
        struct Stop: Error {}
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("snapshot-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let reader = try Connection(path: path)
        _ = try reader.enableWAL()
        try reader.execute("CREATE TABLE t(x INTEGER)")
        try reader.execute("INSERT INTO t VALUES (1), (2)")
        XCTAssertThrowsError(try reader.cached("SELECT x FROM t").forEach { _ in throw Stop() })
        let writer = try Connection(path: path)
        try writer.execute("INSERT INTO t VALUES (3)")
        XCTAssertFalse(reader.isInTransaction)
        XCTAssertEqual(try reader.scalar("SELECT count(*) FROM t").int, 3, "the reader sees the write made after its failed loop")
    }
}
