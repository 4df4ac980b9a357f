import XCTest
@testable import SQLite

final class ConnectionTests: XCTestCase {
    func testTransactionRollsBackAndRethrows() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t(x INTEGER NOT NULL)")
        struct Boom: Error {}
        XCTAssertThrowsError(try db.transaction {
            try db.execute("INSERT INTO t(x) VALUES (?)", [1])
            throw Boom()
        }) { XCTAssertTrue($0 is Boom) }
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM t").int, 0)
        XCTAssertFalse(db.isInTransaction)
        try db.transaction { try db.execute("INSERT INTO t(x) VALUES (?)", [2]) }
        XCTAssertEqual(try db.scalar("SELECT sum(x) FROM t").int, 2)
    }

    func testConstraintErrorCarriesMessageAndSQL() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT UNIQUE)")
        try db.execute("INSERT INTO t(name) VALUES (?)", ["a"])
        XCTAssertThrowsError(try db.execute("INSERT INTO t(name) VALUES (?)", ["a"])) { error in
            let e = error as! SQLiteError
            XCTAssertTrue(e.isConstraintViolation)
            XCTAssertEqual(e.extendedCode, 2067) // SQLITE_CONSTRAINT_UNIQUE
            XCTAssertTrue(e.message.contains("UNIQUE constraint failed: t.name"), e.message)
            XCTAssertEqual(e.sql, "INSERT INTO t(name) VALUES (?)")
            XCTAssertTrue(e.description.contains("INSERT INTO t"))
        }
    }

    func testSyntaxErrorNamesTheSQL() throws {
        let db = try Connection(path: ":memory:")
        XCTAssertThrowsError(try db.prepare("SELEKT 1")) { error in
            let e = error as! SQLiteError
            XCTAssertTrue(e.message.contains("syntax error"), e.message)
            XCTAssertEqual(e.sql, "SELEKT 1")
        }
    }

    func testForeignKeysAreEnforced() throws {
        let db = try Connection(path: ":memory:")
        try db.execute("CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE c(p INTEGER REFERENCES p(id))")
        XCTAssertThrowsError(try db.execute("INSERT INTO c(p) VALUES (?)", [42]))
    }

    func testBindingRoundTripsEveryType() throws {
        let db = try Connection(path: ":memory:")
        let row = try db.firstRow("SELECT ?, ?, ?, ?, ?", [SQLValue.null, 7, 2.5, "naïve ✓", SQLValue.blob([0, 1, 255])])
        XCTAssertEqual(row?.values, [.null, .integer(7), .real(2.5), .text("naïve ✓"), .blob([0, 1, 255])])
    }

    func testTextOfEveryLengthBindsExactly() throws {
        let db = try Connection(path: ":memory:")
        // Empty, small (stored inside the String), long (on the heap), with NUL-free multibyte text.
        for text in ["", "a", "0123456789abcde", String(repeating: "ŵ✓", count: 500)] {
            XCTAssertEqual(try db.scalar("SELECT ?", [text]), .text(text))
            XCTAssertEqual(try db.scalar("SELECT length(?)", [text]).int, text.count)
        }
    }

    func testStatementsThatShareTheirEndsAreKeptApart() throws {
        let db = try Connection(path: ":memory:")
        // Same length, same first and last 32 bytes: one hash bucket, three different statements.
        let head = "SELECT /* the same first thirty-two bytes */ "
        let tail = " AS v /* and the same last thirty-two bytes */"
        for (middle, value) in [("1  ", 1), (" 2 ", 2), ("  3", 3), ("1  ", 1)] {
            XCTAssertEqual(try db.scalar(head + middle + tail), .integer(Int64(value)))
        }
    }

    func testWrongParameterCountIsAnError() throws {
        let db = try Connection(path: ":memory:")
        XCTAssertThrowsError(try db.rows("SELECT ?", [])) { error in
            XCTAssertTrue((error as! SQLiteError).message.contains("expects 1 parameters, got 0"))
        }
    }

    func testOpeningAMissingReadOnlyFileFails() {
        XCTAssertThrowsError(try Connection(path: "/nonexistent/dir/x.sqlite", mode: .readOnly)) { error in
            XCTAssertTrue((error as! SQLiteError).message.contains("/nonexistent/dir/x.sqlite"))
        }
    }

    func testWALOnAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wal-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let db = try Connection(path: path)
        XCTAssertEqual(try db.enableWAL(), "wal")
        XCTAssertEqual(try db.scalar("PRAGMA synchronous").int, 2) // FULL
    }
}

final class MigratorTests: XCTestCase {
    func makeMigrator(upTo last: Int) -> Migrator {
        var migrator = Migrator()
        migrator.register(.init(number: 1, name: "create", sql: "CREATE TABLE a(x)"))
        if last >= 2 { migrator.register(.init(number: 2, name: "add", sql: "ALTER TABLE a ADD COLUMN y")) }
        return migrator
    }

    func testMigrationsAreAppliedOnceAndRecorded() throws {
        let db = try Connection(path: ":memory:")
        try makeMigrator(upTo: 1).migrate(db)
        try makeMigrator(upTo: 2).migrate(db)
        try makeMigrator(upTo: 2).migrate(db)
        XCTAssertEqual(try makeMigrator(upTo: 2).appliedNumbers(db), [1, 2])
        XCTAssertEqual(try db.scalar("SELECT name FROM schema_migrations WHERE number = 2").string, "add")
        try db.execute("INSERT INTO a(x, y) VALUES (1, 2)")
    }

    func testFailedMigrationLeavesNothingBehind() throws {
        let db = try Connection(path: ":memory:")
        var migrator = makeMigrator(upTo: 1)
        migrator.register(.init(number: 2, name: "broken", sql: "CREATE TABLE b(x); CREATE TABLE a(x)"))
        XCTAssertThrowsError(try migrator.migrate(db))
        XCTAssertEqual(try migrator.appliedNumbers(db), [1])
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'b'").int, 0)
    }

    func testNewerDatabaseIsRefused() throws {
        let db = try Connection(path: ":memory:")
        try makeMigrator(upTo: 2).migrate(db)
        XCTAssertThrowsError(try makeMigrator(upTo: 1).migrate(db)) { error in
            XCTAssertTrue("\(error)".contains("newer Canvass"))
        }
    }
}
