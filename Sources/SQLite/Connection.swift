import CSQLite

/// A connection to one SQLite database. Not `Sendable`: use each connection from one thread at a time.
public final class Connection {
    let handle: OpaquePointer
    /// The path the connection was opened on (":memory:" for an in-memory database).
    public let path: String
    private var statementCache: [StatementKey: Statement] = [:]
    private var savepointDepth = 0
    private var savepoints: [SavepointStatements] = []
    /// Set while `transaction` nested in an open transaction runs its body without a savepoint.
    private var nestedSavepointsSuspended = false

    private struct SavepointStatements {
        let begin: Statement
        let release: Statement
        let rollback: Statement
    }

    /// How a connection opens its file.
    public enum Mode: Sendable {
        case readWriteCreate
        case readWrite
        case readOnly
    }

    /// Opens (and by default creates) the database at `path`, with extended result codes on,
    /// foreign keys enforced and a busy timeout of `busyTimeoutMilliseconds`.
    public init(path: String, mode: Mode = .readWriteCreate, busyTimeoutMilliseconds: Int32 = 5_000) throws {
        var db: OpaquePointer?
        let flags: Int32
        switch mode {
        case .readWriteCreate: flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readWrite: flags = SQLITE_OPEN_READWRITE
        case .readOnly: flags = SQLITE_OPEN_READONLY
        }
        let code = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(code: code & 0xff, extendedCode: code, message: "cannot open \(path): \(message)")
        }
        self.handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
        try execute("PRAGMA foreign_keys = ON")
    }

    deinit {
        statementCache.removeAll()
        savepoints.removeAll()
        sqlite3_close_v2(handle)
        commitVeto?.deallocate()
    }

    /// Set while `failCommits(true)` is in force: the commit hook's answer (non-zero vetoes).
    private var commitVeto: UnsafeMutablePointer<Int32>?

    /// Fault injection: while `fail` is true every COMMIT on this connection fails (SQLite's
    /// commit hook turns it into a rollback, and COMMIT reports `SQLITE_CONSTRAINT_COMMITHOOK`).
    /// For tests of what callers do when COMMIT itself fails, as on a full disk.
    public func failCommits(_ fail: Bool) {
        if fail {
            let veto = commitVeto ?? UnsafeMutablePointer<Int32>.allocate(capacity: 1)
            veto.pointee = 1
            commitVeto = veto
            sqlite3_commit_hook(handle, { context in context?.assumingMemoryBound(to: Int32.self).pointee ?? 0 }, veto)
        } else {
            sqlite3_commit_hook(handle, nil, nil)
        }
    }

    /// Builds an error from the connection's last message.
    func error(code: Int32, sql: String?) -> SQLiteError {
        let message = String(cString: sqlite3_errmsg(handle))
        return SQLiteError(code: code & 0xff, extendedCode: sqlite3_extended_errcode(handle), message: message, sql: sql)
    }

    /// Prepares a new statement.
    public func prepare(_ sql: String) throws -> Statement {
        try Statement(connection: self, sql: sql)
    }

    /// A prepared statement for `sql`, reused across calls on this connection.
    public func cached(_ sql: String) throws -> Statement {
        let key = StatementKey(sql: sql)
        if let statement = statementCache[key] { return statement }
        let statement = try prepare(sql)
        statementCache[key] = statement
        return statement
    }

    /// Executes one or more statements that take no parameters.
    public func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        guard code == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw SQLiteError(code: code & 0xff, extendedCode: sqlite3_extended_errcode(handle), message: text, sql: sql)
        }
    }

    /// Executes one statement with bound `parameters`.
    public func execute(_ sql: String, _ parameters: [SQLBindable]) throws {
        try cached(sql).execute(parameters)
    }

    /// All rows of a query with bound `parameters`.
    public func rows(_ sql: String, _ parameters: [SQLBindable] = []) throws -> [Row] {
        try cached(sql).rows(parameters)
    }

    /// The first row of a query, or nil.
    public func firstRow(_ sql: String, _ parameters: [SQLBindable] = []) throws -> Row? {
        let statement = try cached(sql)
        try statement.bind(parameters)
        defer { _ = sqlite3_reset(statement.handle) }
        return try statement.step() ? statement.row() : nil
    }

    /// The first column of the first row of a query, or `.null`.
    public func scalar(_ sql: String, _ parameters: [SQLBindable] = []) throws -> SQLValue {
        try firstRow(sql, parameters)?[0] ?? .null
    }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE on this connection.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// The rowid of the last inserted row.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// True while a transaction is open.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`; rolls back and rethrows if `body` or COMMIT
    /// throws. Inside an open transaction it nests as a savepoint, so code that needs atomicity can
    /// also run within a larger batch (group commit).
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if isInTransaction { return nestedSavepointsSuspended ? try body() : try savepoint(body) }
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if isInTransaction { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// Runs `body` in one read transaction (`BEGIN DEFERRED`): one consistent snapshot, and one
    /// round of file locking for several queries instead of one per query.
    public func read<T>(_ body: () throws -> T) throws -> T {
        if isInTransaction { return try body() }
        try cached("BEGIN DEFERRED").execute()
        do {
            let result = try body()
            try cached("COMMIT").execute()
            return result
        } catch {
            if isInTransaction { try? cached("ROLLBACK").execute() }
            throw error
        }
    }

    /// Runs `body` with the `transaction` calls inside it opening no savepoints of their own: for
    /// a caller that undoes the whole transaction itself when anything in it fails after changing
    /// something (group commit's first attempt at a batch). A savepoint copies each page it
    /// changes, which made it a third of a small write.
    public func withoutNestedSavepoints<T>(_ body: () throws -> T) rethrows -> T {
        let suspended = nestedSavepointsSuspended
        nestedSavepointsSuspended = true
        defer { nestedSavepointsSuspended = suspended }
        return try body()
    }

    /// Rows inserted, updated or deleted by statements completed on this connection since it
    /// opened (`sqlite3_total_changes64`): unchanged across a call means the call changed no row.
    public var totalChanges: Int64 { sqlite3_total_changes64(handle) }

    /// Runs `body` inside a savepoint: released on success, rolled back to (and released) on error.
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        let statements = try savepointStatements(depth: savepointDepth)
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        try statements.begin.execute()
        do {
            let result = try body()
            try statements.release.execute()
            return result
        } catch {
            try? statements.rollback.execute()
            try? statements.release.execute()
            throw error
        }
    }

    /// The statements of the savepoint opened at `depth` (0 for the outermost), prepared once:
    /// group commit opens one per write.
    private func savepointStatements(depth: Int) throws -> SavepointStatements {
        while savepoints.count <= depth {
            let name = "canvass_sp\(savepoints.count + 1)"
            savepoints.append(SavepointStatements(begin: try prepare("SAVEPOINT \(name)"), release: try prepare("RELEASE \(name)"),
                                                  rollback: try prepare("ROLLBACK TO \(name)")))
        }
        return savepoints[depth]
    }

    /// Sets `PRAGMA journal_mode=WAL` and the given synchronous level; returns the journal mode in force.
    @discardableResult
    public func enableWAL(synchronous: String = "FULL") throws -> String {
        let mode = try scalar("PRAGMA journal_mode = WAL").string ?? ""
        try execute("PRAGMA synchronous = \(synchronous == "NORMAL" ? "NORMAL" : "FULL")")
        return mode
    }
}

/// The statement cache's key: SQL text, hashed by its length and its first and last 32 bytes
/// rather than all of it (statements run thousands of times a second; hashing a long statement
/// showed in profiles). Equality still compares the whole text.
struct StatementKey: Hashable {
    let sql: String

    func hash(into hasher: inout Hasher) {
        var text = sql
        text.withUTF8 { bytes in
            // Two block combines: feeding the hasher byte by byte cost more than hashing everything.
            hasher.combine(bytes.count)
            let raw = UnsafeRawBufferPointer(bytes)
            hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: raw.prefix(32)))
            hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: raw.suffix(32)))
        }
    }
}
