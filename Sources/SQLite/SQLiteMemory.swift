import CSQLite

/// The memory SQLite holds for this process (page caches, statements, schemas), from
/// `sqlite3_memory_used` and `sqlite3_memory_highwater`.
public enum SQLiteMemory {
    /// Bytes in use now.
    public static var used: Int64 { sqlite3_memory_used() }
    /// The most bytes in use at once since the process started.
    public static var highWater: Int64 { sqlite3_memory_highwater(0) }
}
