import SQLite

/// The analysis table's insert triggers, set aside inside a bulk import's transaction and put
/// back, as they were, before its COMMIT. Row by row they were a tenth of an import (the
/// cells' upserts, the per-version total and the generation counter); the import writes what
/// they would have once at the end instead (`CellSums`). DDL is transactional in SQLite: no
/// other connection ever sees the table without them, and a failed import rolls them back in.
struct BulkInsertTriggers {
    /// The triggers `CellSums` stands in for; any other insert trigger keeps firing.
    static let names = ["analysis_generation_insert", "analysis_totals_insert", "analysis_cells_insert", "analysis_month_cells_insert",
                        "analysis_group_cells_insert"]

    /// Each trigger's name and its CREATE statement as the schema holds it.
    private let definitions: [(name: String, sql: String)]

    /// Reads the triggers' definitions and drops them. Call inside the import's transaction.
    static func setAside(in db: Connection) throws -> BulkInsertTriggers {
        var found: [(name: String, sql: String)] = []
        try db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'analysis_responses' AND name IN (\(names.map { "'\($0)'" }.joined(separator: ", ")))")
            .forEach { row in
                if let name = row.value(at: 0).string, let sql = row.value(at: 1).string { found.append((name, sql)) }
            }
        guard found.count == names.count else {
            let missing = Set(names).subtracting(found.map(\.name)).sorted()
            throw SQLiteError(code: 1, message: "the schema lacks the analysis table's insert triggers \(missing.joined(separator: ", ")) (changed outside Canvass?); restore the database from a backup")
        }
        for trigger in found { try db.execute("DROP TRIGGER \(trigger.name)") }
        return BulkInsertTriggers(definitions: found)
    }

    /// Creates the triggers again from their definitions.
    func restore(in db: Connection) throws {
        for trigger in definitions { try db.execute(trigger.sql) }
    }
}
