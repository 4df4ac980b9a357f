import Foundation
import CSQLite

/// What `PRAGMA wal_checkpoint` reports.
public struct CheckpointResult: Equatable, Sendable {
    /// True when a reader or writer kept the checkpoint from finishing.
    public var busy: Bool
    /// Frames in the write-ahead log, and how many of them reached the database.
    public var logFrames: Int
    public var checkpointedFrames: Int
}

extension Connection {
    /// Copies the whole database into a new file at `path` with SQLite's online backup API, in
    /// one step: the copy is a consistent snapshot (the source is read in one read transaction,
    /// which in WAL mode never blocks its writers). The file at `path` must not exist yet.
    public func backup(to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw SQLiteError(code: SQLITE_CANTOPEN, message: "\(path) already exists: a backup is written to a new file only")
        }
        let destination = try Connection(path: path, mode: .readWriteCreate)
        guard let backup = sqlite3_backup_init(destination.handle, "main", handle, "main") else {
            throw SQLiteError(code: sqlite3_errcode(destination.handle), extendedCode: sqlite3_extended_errcode(destination.handle),
                              message: "cannot start a backup into \(path): \(String(cString: sqlite3_errmsg(destination.handle)))")
        }
        let step = sqlite3_backup_step(backup, -1)
        let finish = sqlite3_backup_finish(backup)
        guard step == SQLITE_DONE, finish == SQLITE_OK else {
            let code = step == SQLITE_DONE ? finish : step
            throw SQLiteError(code: code & 0xff, extendedCode: code,
                              message: "the backup into \(path) failed: \(String(cString: sqlite3_errstr(code)))")
        }
    }

    /// `PRAGMA wal_checkpoint(TRUNCATE)`: copies the write-ahead log into the database and
    /// empties the log file, unless a connection still reading an older snapshot holds it.
    public func checkpointTruncating() throws -> CheckpointResult {
        guard let row = try firstRow("PRAGMA wal_checkpoint(TRUNCATE)") else { return CheckpointResult(busy: false, logFrames: 0, checkpointedFrames: 0) }
        return CheckpointResult(busy: try row.get("busy", as: Int.self) != 0, logFrames: try row.get("log", as: Int.self),
                                checkpointedFrames: try row.get("checkpointed", as: Int.self))
    }
}
