import CSQLite

/// A prepared statement. Finalised when released; not `Sendable`, like the connection it belongs to.
public final class Statement {
    let handle: OpaquePointer
    unowned let connection: Connection
    /// The SQL this statement was prepared from.
    public let sql: String

    init(connection: Connection, sql: String) throws {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(connection.handle, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw connection.error(code: code, sql: sql)
        }
        self.handle = statement
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// The number of result columns.
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// The names of the result columns (read once: they do not change between rows).
    public var columnNames: [String] {
        if let cachedColumnNames { return cachedColumnNames }
        let names = (0..<sqlite3_column_count(handle)).map { String(cString: sqlite3_column_name(handle, $0)) }
        cachedColumnNames = names
        return names
    }
    private var cachedColumnNames: [String]?

    /// Runs the statement to completion with `values`, discarding any rows. The fast path for bulk
    /// writes: no existential boxing, and text is bound in place (`SQLITE_STATIC`) rather than copied
    /// by SQLite; the bindings are cleared before returning, so no pointer outlives the call.
    public func execute(values: [SQLValue]) throws {
        sqlite3_reset(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard expected == values.count else {
            throw SQLiteError(code: SQLITE_RANGE, message: "statement expects \(expected) parameters, got \(values.count)", sql: sql)
        }
        defer { sqlite3_clear_bindings(handle) }
        try values.withUnsafeBufferPointer { try bindInPlace($0, from: 0) }
    }

    /// Binds `values[index...]`, nesting so each text's bytes stay valid, then steps to the end.
    private func bindInPlace(_ values: UnsafeBufferPointer<SQLValue>, from index: Int) throws {
        guard index < values.count else {
            while try step() {}
            return
        }
        guard case .text(var text) = values[index], !text.isEmpty else {
            try bind(values[index], at: Int32(index + 1))
            return try bindInPlace(values, from: index + 1)
        }
        try text.withUTF8 { bytes in
            try check(sqlite3_bind_text(handle, Int32(index + 1), UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self),
                                        Int32(bytes.count), nil))
            try bindInPlace(values, from: index + 1)
        }
    }

    /// Resets the statement and binds `parameters` to `?` placeholders in order.
    public func bind(_ parameters: [SQLBindable]) throws {
        // reset only reports the previous step's outcome, which step() has already thrown.
        sqlite3_reset(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard expected == parameters.count else {
            throw SQLiteError(code: SQLITE_RANGE, message: "statement expects \(expected) parameters, got \(parameters.count)", sql: sql)
        }
        for (offset, parameter) in parameters.enumerated() {
            try bind(parameter.sqlValue, at: Int32(offset + 1))
        }
    }

    private func bind(_ value: SQLValue, at index: Int32) throws {
        let code: Int32
        switch value {
        case .null: code = sqlite3_bind_null(handle, index)
        case .integer(let v): code = sqlite3_bind_int64(handle, index, v)
        case .real(let v): code = sqlite3_bind_double(handle, index, v)
        case .text(var s):
            // The string's own UTF-8 bytes (SQLite copies them): passing a String as `const char *`
            // would first copy it into a temporary C string.
            code = s.withUTF8 { bytes in
                guard let base = bytes.baseAddress, !bytes.isEmpty else { return sqlite3_bind_text(handle, index, "", 0, canvass_sqlite_transient()) }
                return sqlite3_bind_text(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(bytes.count), canvass_sqlite_transient())
            }
        case .blob(let bytes):
            code = bytes.withUnsafeBytes {
                sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), canvass_sqlite_transient())
            }
        }
        try check(code)
    }

    /// Ends the current run of the statement (its bindings stay), releasing its read snapshot: for
    /// callers that step a statement by hand and may stop before the end.
    public func reset() { sqlite3_reset(handle) }

    /// Advances one row. Returns true when a row is available, false when done.
    @discardableResult
    public func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            sqlite3_reset(handle)
            throw connection.error(code: code, sql: sql)
        }
    }

    /// The value of column `index` in the current row.
    public func value(at index: Int) -> SQLValue {
        let i = Int32(index)
        switch sqlite3_column_type(handle, i) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, i))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, i))
        case SQLITE_TEXT:
            // By its byte count, not up to the first NUL: text may hold NUL bytes.
            guard let text = sqlite3_column_text(handle, i) else { return .text("") }
            return .text(String(decoding: UnsafeRawBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, i))), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, i))
            guard count > 0, let pointer = sqlite3_column_blob(handle, i) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: pointer, count: count)))
        default: return .null
        }
    }

    /// Column `index` of the current row as an integer (0 for NULL), without boxing: for hot loops.
    public func int64(at index: Int) -> Int64 { sqlite3_column_int64(handle, Int32(index)) }

    /// Column `index` of the current row as a double (0 for NULL), without boxing: for hot loops.
    public func double(at index: Int) -> Double { sqlite3_column_double(handle, Int32(index)) }

    /// True when column `index` of the current row is NULL.
    public func isNull(at index: Int) -> Bool { sqlite3_column_type(handle, Int32(index)) == SQLITE_NULL }

    /// Calls `body` with the UTF-8 bytes of text column `index` (empty for NULL), valid only inside
    /// `body`: lets hot loops compare keys without allocating strings.
    public func withTextBytes<T>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let i = Int32(index)
        guard let text = sqlite3_column_text(handle, i) else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeRawBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, i))))
    }

    /// The current row, copied.
    public func row() -> Row {
        Row(columns: columnNames, values: (0..<columnCount).map(value(at:)))
    }

    /// Runs the statement to completion with `parameters`, discarding any rows.
    public func execute(_ parameters: [SQLBindable] = []) throws {
        try bind(parameters)
        while try step() {}
    }

    /// Runs the statement with `parameters` and calls `body` for each row without copying it.
    /// The statement is reset afterwards, also when `body` throws, so a cached statement never
    /// keeps its read transaction (and an old WAL snapshot) open.
    public func forEach(_ parameters: [SQLBindable] = [], _ body: (Statement) throws -> Void) throws {
        try bind(parameters)
        defer { sqlite3_reset(handle) }
        while try step() { try body(self) }
    }

    /// Runs the statement with `parameters` and returns every row.
    public func rows(_ parameters: [SQLBindable] = []) throws -> [Row] {
        var result: [Row] = []
        try forEach(parameters) { result.append($0.row()) }
        return result
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw connection.error(code: code, sql: sql) }
    }
}
