import CSQLite

/// An error reported by SQLite, carrying the result code, SQLite's own message and the SQL that failed.
public struct SQLiteError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The primary result code (`SQLITE_CONSTRAINT`, `SQLITE_FULL`, …).
    public var code: Int32
    /// The extended result code (`SQLITE_CONSTRAINT_UNIQUE`, …).
    public var extendedCode: Int32
    /// SQLite's message for the failure.
    public var message: String
    /// The statement that failed, if any.
    public var sql: String?

    public init(code: Int32, extendedCode: Int32? = nil, message: String, sql: String? = nil) {
        self.code = code
        self.extendedCode = extendedCode ?? code
        self.message = message
        self.sql = sql
    }

    /// True for errors caused by the storage rather than the statement: full disk, read-only file, I/O.
    public var isStorageFailure: Bool {
        [SQLITE_FULL, SQLITE_READONLY, SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_CORRUPT, SQLITE_NOTADB,
         SQLITE_BUSY, SQLITE_LOCKED, SQLITE_PERM].contains(code)
    }

    /// True for constraint violations (unique, foreign key, check, not null).
    public var isConstraintViolation: Bool { code == SQLITE_CONSTRAINT }

    public var description: String {
        let name = String(cString: sqlite3_errstr(extendedCode))
        var text = "SQLite error \(extendedCode) (\(name)): \(message)"
        if let sql { text += " — while executing: \(sql)" }
        return text
    }
}
