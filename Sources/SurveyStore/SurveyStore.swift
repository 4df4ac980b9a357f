import Foundation
import Hashing
import SQLite
import SurveyEngine

/// Questionnaires, invitations and responses in one SQLite database (WAL, `synchronous=FULL`,
/// foreign keys on). Each write is one transaction: when a call returns, the data is on disk.
public final class SurveyStore {
    let db: Connection
    /// Label ids and measure layouts for the analysis table (see `AnalysisCache`).
    var analysisCache = AnalysisCache()
    /// Whether counts the maintained cells can answer are read from them (tests turn it off to
    /// compare with a scan of the rows).
    var analysisCellsEnabled = true

    /// The store's connection, for a group-commit writer that batches this store's writes.
    public var connection: Connection { db }
    let clock: () -> Date

    /// Opens (creating if needed) and migrates the database at `path`. `upgrading` hears, in
    /// words, of each schema migration applied to an existing database and of an analysis
    /// rebuild, before they run: on millions of responses they take minutes.
    public init(path: String, clock: @escaping () -> Date = Date.init, upgrading: (String) -> Void = { _ in }) throws(SurveyStoreError) {
        self.clock = clock
        do {
            db = try Connection(path: path)
        } catch {
            throw .database(error as! SQLiteError, action: "open the database \(path)")
        }
        try run("prepare the database \(path)") {
            if path != ":memory:" { try db.enableWAL(synchronous: "FULL") }
            try Schema.migrator.migrate(db) { migration in
                upgrading("upgrading \(path): schema migration \(migration.number), \(migration.name) (once; minutes for millions of responses)…")
            }
        }
        if try run("read settings", { try db.scalar("SELECT value FROM settings WHERE key = 'analysis_rebuild'").string }) != nil {
            // A new database asks for the rebuild too (migration 6), with nothing to rebuild.
            if try run("count responses", { try db.scalar("SELECT EXISTS (SELECT 1 FROM responses)").int64 }) == 1 {
                upgrading("rebuilding the analysis table of \(path) from the answers (once; minutes for millions of responses)…")
            }
            _ = try reindexAnalysis()
        }
    }

    /// Opens the existing database at `path` read-only (`SQLITE_OPEN_READONLY`): no migration is
    /// run and nothing can be written, for readers that must never contend with the writer's
    /// schema work (the analysis lane). Fails if the database is missing or its schema is not the
    /// one this build knows (start the writer, which migrates, first).
    public init(readOnlyPath path: String, clock: @escaping () -> Date = Date.init) throws(SurveyStoreError) {
        self.clock = clock
        do {
            db = try Connection(path: path, mode: .readOnly)
        } catch {
            throw .database(error as! SQLiteError, action: "open the database \(path) read-only")
        }
        let applied = try run("read the schema version of \(path)") { try Schema.migrator.recordedNumbers(db).max() ?? 0 }
        let known = Schema.migrator.migrations.map(\.number).max() ?? 0
        guard applied == known else {
            throw .database(SQLiteError(code: 11, message: "schema version \(applied), expected \(known)"), action: "open the database \(path) read-only")
        }
    }

    /// Runs `body`, turning SQLite errors into store errors that say what was being done (the
    /// description is built only when there is an error).
    func run<T>(_ action: @autoclosure () -> String, _ body: () throws -> T) throws(SurveyStoreError) -> T {
        do {
            return try body()
        } catch let error as SQLiteError {
            throw .database(error, action: action())
        } catch let error as SurveyStoreError {
            throw error
        } catch {
            throw .database(SQLiteError(code: 1, message: "\(error)"), action: action())
        }
    }

    /// The current time as ISO 8601 UTC with milliseconds.
    func timestamp() -> String { DateText.isoTimestamp(unixSeconds: clock().timeIntervalSince1970) }

    /// Stores `questionnaire` as a new version unless an identical definition is already stored.
    public func publish(_ questionnaire: Questionnaire) throws(SurveyStoreError) -> PublishedQuestionnaire {
        let canonical = questionnaire.canonicalDefinition
        let hash = SHA256.hex(canonical)
        return try run("publish questionnaire \(questionnaire.id)") {
            try db.transaction {
                if let row = try db.firstRow("SELECT id, version FROM questionnaire_versions WHERE questionnaire_id = ? AND hash = ?",
                                             [questionnaire.id, hash]) {
                    return PublishedQuestionnaire(versionID: try row.get("id"), version: try row.get("version"), questionnaire: questionnaire, isNew: false)
                }
                let version = (try db.scalar("SELECT max(version) FROM questionnaire_versions WHERE questionnaire_id = ?", [questionnaire.id]).int ?? 0) + 1
                try db.execute("""
                    INSERT INTO questionnaire_versions(questionnaire_id, version, declared_version, title, definition, hash, published_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, [questionnaire.id, version, questionnaire.declaredVersion, questionnaire.title.text(), canonical, hash, timestamp()])
                return PublishedQuestionnaire(versionID: db.lastInsertRowID, version: version, questionnaire: questionnaire, isNew: true)
            }
        }
    }

    /// The newest published version of questionnaire `id`, or nil if it was never published.
    public func latest(_ id: String) throws(SurveyStoreError) -> PublishedQuestionnaire? {
        let row = try run("read questionnaire \(id)") {
            try db.firstRow("SELECT id FROM questionnaire_versions WHERE questionnaire_id = ? ORDER BY version DESC LIMIT 1", [id])
        }
        guard let versionID = row?[0].int64 else { return nil }
        return try published(versionID: versionID)
    }

    /// Every published version of questionnaire `id`, oldest first.
    public func versions(_ id: String) throws(SurveyStoreError) -> [PublishedQuestionnaire] {
        let ids = try run("list the versions of \(id)") {
            try db.rows("SELECT id FROM questionnaire_versions WHERE questionnaire_id = ? ORDER BY version", [id]).map { try $0.get("id", as: Int64.self) }
        }
        var result: [PublishedQuestionnaire] = []
        for versionID in ids { result.append(try published(versionID: versionID)) }
        return result
    }

    /// The published questionnaire with row id `versionID`, loaded from its stored definition.
    public func published(versionID: Int64) throws(SurveyStoreError) -> PublishedQuestionnaire {
        // A stored version is immutable: loaded once per store (dashboards ask on every page).
        if let known = analysisCache.versions[versionID] { return known }
        let read = try run("read questionnaire version \(versionID)") { () throws -> (String, Int, String)? in
            guard let row = try db.firstRow("SELECT questionnaire_id, version, definition FROM questionnaire_versions WHERE id = ?", [versionID]) else { return nil }
            return (try row.get("questionnaire_id"), try row.get("version"), try row.get("definition"))
        }
        guard let (id, version, definition) = read else {
            throw .corruptDefinition(questionnaire: "?", version: Int(versionID), reason: "no such version")
        }
        do {
            let questionnaire = try QuestionnaireLoader.load(bytes: Array(definition.utf8), id: id, source: "\(id) version \(version)")
            let published = PublishedQuestionnaire(versionID: versionID, version: version, questionnaire: questionnaire, isNew: false)
            if analysisCache.versions.count < 256 { analysisCache.versions[versionID] = published }
            return published
        } catch {
            throw .corruptDefinition(questionnaire: id, version: version, reason: "\(error)")
        }
    }
}
