import SQLite

/// Errors of the survey store, each saying what was being done and what to do next.
public enum SurveyStoreError: Error, CustomStringConvertible {
    /// SQLite failed while doing `action`.
    case database(SQLiteError, action: String)
    case questionnaireNotPublished(String)
    case responseNotFound(Int64)
    case responseAlreadyComplete(Int64)
    case invitationNotFound
    case corruptDefinition(questionnaire: String, version: Int, reason: String)

    public var description: String {
        switch self {
        case .database(let error, let action):
            var text = "could not \(action): \(error.message)"
            if error.isStorageFailure { text += " (check the disk has space and the database file is writable; nothing acknowledged was lost)" }
            return text
        case .questionnaireNotPublished(let id):
            return "questionnaire '\(id)' is not in the database; run it once from its file or publish it"
        case .responseNotFound(let id):
            return "there is no response \(id) in this database"
        case .responseAlreadyComplete(let id):
            return "response \(id) is already complete and cannot be changed"
        case .invitationNotFound:
            return "no invitation has that token"
        case .corruptDefinition(let id, let version, let reason):
            return "the stored definition of \(id) version \(version) no longer loads: \(reason)"
        }
    }

    /// True when the failure is the storage itself (disk full, read-only, I/O): worth retrying later.
    public var isStorageFailure: Bool {
        if case .database(let error, _) = self { return error.isStorageFailure }
        return false
    }
}
