/// Numbered schema migrations, each applied once in its own transaction and recorded in the
/// `schema_migrations` table of the database.
public struct Migrator {
    /// One migration: a number that orders it, a name, and the work.
    public struct Migration {
        public let number: Int
        public let name: String
        public let apply: (Connection) throws -> Void

        public init(number: Int, name: String, apply: @escaping (Connection) throws -> Void) {
            self.number = number
            self.name = name
            self.apply = apply
        }

        /// A migration that runs a block of SQL.
        public init(number: Int, name: String, sql: String) {
            self.init(number: number, name: name) { try $0.execute(sql) }
        }
    }

    public private(set) var migrations: [Migration] = []

    public init() {}

    /// Adds a migration; numbers must strictly increase.
    public mutating func register(_ migration: Migration) {
        precondition(migrations.last.map { $0.number < migration.number } ?? true,
                     "migration numbers must increase: \(migration.number) after \(migrations.last!.number)")
        migrations.append(migration)
    }

    /// The numbers of the migrations already applied to `db`.
    public func appliedNumbers(_ db: Connection) throws -> [Int] {
        try ensureTable(db)
        return try db.rows("SELECT number FROM schema_migrations ORDER BY number").compactMap { $0[0].int }
    }

    /// The numbers of the migrations recorded in `db`, read without creating anything (for
    /// read-only connections): empty when the database has no migrations table.
    public func recordedNumbers(_ db: Connection) throws -> [Int] {
        guard try db.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").int == 1 else { return [] }
        return try db.rows("SELECT number FROM schema_migrations ORDER BY number").map { try $0.get("number") }
    }

    /// Applies every migration not yet recorded, in order, telling `willApply` of each one
    /// before it runs on a database that already had migrations (an upgrade, which can take
    /// minutes on a large one; a new database's are not told). A database with migrations this
    /// program does not know (written by a newer version) is refused.
    public func migrate(_ db: Connection, willApply: (Migration) -> Void = { _ in }) throws {
        let applied = Set(try appliedNumbers(db))
        let known = Set(migrations.map(\.number))
        if let unknown = applied.subtracting(known).max() {
            throw SQLiteError(code: 1, message: "the database was written by a newer Canvass (schema migration \(unknown) is unknown); upgrade Canvass to open it")
        }
        for migration in migrations where !applied.contains(migration.number) {
            if !applied.isEmpty { willApply(migration) }
            try db.transaction {
                try migration.apply(db)
                try db.execute(
                    "INSERT INTO schema_migrations(number, name, applied_at) VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                    [migration.number, migration.name])
            }
        }
    }

    private func ensureTable(_ db: Connection) throws {
        try db.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations(
                number INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TEXT NOT NULL)
            """)
    }
}
