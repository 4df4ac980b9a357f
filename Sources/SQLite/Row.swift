import CSQLite

/// One result row, copied out of a statement so it outlives the next step.
public struct Row: Sendable, Equatable {
    public let columns: [String]
    public let values: [SQLValue]

    public init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    public subscript(index: Int) -> SQLValue { values[index] }

    /// The value of the named column, or `.null` when the row has no such column. Prefer
    /// `get(_:)`, which tells a misspelt name from a NULL.
    public subscript(name: String) -> SQLValue {
        guard let index = columns.firstIndex(of: name) else { return .null }
        return values[index]
    }

    /// The named column as `T`. Throws when the row has no such column (naming the columns it
    /// has) or when the value cannot be read as `T` (a NULL read as a non-optional type, text read
    /// as a number); read an optional type for a column that may be NULL.
    public func get<T: SQLColumnValue>(_ type: T.Type, _ name: String) throws -> T { try get(name, as: type) }

    /// The named column as `T` (see `get(_:_:)`).
    public func get<T: SQLColumnValue>(_ name: String, as type: T.Type = T.self) throws -> T {
        guard let index = columns.firstIndex(of: name) else {
            throw SQLiteError(code: SQLITE_RANGE, message: "no column '\(name)' in the result (it has \(columns.joined(separator: ", ")))")
        }
        guard let value = T(column: values[index]) else {
            throw SQLiteError(code: SQLITE_MISMATCH, message: "column '\(name)' holds \(values[index].kindName), which cannot be read as \(T.self)")
        }
        return value
    }
}

/// A Swift type a result column can be read as, through `Row.get(_:)`.
public protocol SQLColumnValue {
    /// The value, or nil when `column` cannot be read as this type.
    init?(column: SQLValue)
}

extension Int64: SQLColumnValue { public init?(column: SQLValue) { guard case .integer(let v) = column else { return nil }; self = v } }
extension Int: SQLColumnValue { public init?(column: SQLValue) { guard case .integer(let v) = column else { return nil }; self = Int(v) } }
extension Double: SQLColumnValue {
    public init?(column: SQLValue) {
        switch column {
        case .real(let v): self = v
        case .integer(let v): self = Double(v)
        default: return nil
        }
    }
}
extension String: SQLColumnValue { public init?(column: SQLValue) { guard case .text(let v) = column else { return nil }; self = v } }
extension Bool: SQLColumnValue {
    public init?(column: SQLValue) {
        guard case .integer(let v) = column, v == 0 || v == 1 else { return nil }
        self = v == 1
    }
}
extension Optional: SQLColumnValue where Wrapped: SQLColumnValue {
    public init?(column: SQLValue) {
        if case .null = column { self = .none; return }
        guard let value = Wrapped(column: column) else { return nil }
        self = .some(value)
    }
}

extension SQLValue {
    /// What kind of value this is, for messages.
    var kindName: String {
        switch self {
        case .null: return "NULL"
        case .integer(let v): return "the integer \(v)"
        case .real(let v): return "the real \(v)"
        case .text: return "text"
        case .blob(let b): return "a blob of \(b.count) bytes"
        }
    }
}

extension Row {
    /// The named text column as a `RawRepresentable` enum: throws, naming the column and the
    /// value, when the text is not one of the enum's raw values.
    public func enumValue<E: RawRepresentable>(_ name: String, _ type: E.Type) throws -> E where E.RawValue == String {
        let text = try get(name, as: String.self)
        guard let value = E(rawValue: text) else {
            throw SQLiteError(code: SQLITE_MISMATCH, message: "column '\(name)' holds '\(text)', which is not a \(E.self)")
        }
        return value
    }
}
