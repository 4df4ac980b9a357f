import SQLite
import SurveyEngine

/// Errors of the survey store, each saying what was being done and what to do next.
public enum SurveyStoreError: Error, CustomStringConvertible {
    /// SQLite failed while doing `action`.
    case database(SQLiteError, action: String)
    case questionnaireNotPublished(String)
    case responseNotFound(Int64)
    case responseAlreadyComplete(Int64)
    /// A save started from revision `expected`, but the response has been saved since.
    case responseChanged(Int64, expected: Int64)
    case invitationNotFound
    case corruptDefinition(questionnaire: String, version: Int, reason: String)
    /// Questionnaire `id` is neither in the database nor at `file`.
    case questionnaireNotFound(id: String, file: String)
    /// A questionnaire file that does not load.
    case questionnaireFile(SurveyEngineError)
    /// The events file names a case that is neither in the cases file nor stored.
    case caseNotFound(String)
    /// Complaints were asked for in a window other than six months, but the database holds no
    /// dated complaints to count them from.
    case noDatedComplaints(window: CaseReviewWindow)

    public var description: String {
        switch self {
        case .database(let error, let action):
            return "could not \(action): \(error.message)" + Self.advice(error.code)
        case .questionnaireNotPublished(let id):
            return "questionnaire '\(id)' is not in the database; run it once from its file or publish it"
        case .responseNotFound(let id):
            return "there is no response \(id) in this database"
        case .responseAlreadyComplete(let id):
            return "response \(id) is already complete and cannot be changed"
        case .responseChanged(let id, let expected):
            return "response \(id) was saved by someone else after revision \(expected); read it again and retry"
        case .invitationNotFound:
            return "no invitation has that token"
        case .corruptDefinition(let id, let version, let reason):
            return "the stored definition of \(id) version \(version) no longer loads: \(reason)"
        case .questionnaireNotFound(let id, let file):
            return "questionnaire '\(id)' is neither in the database nor at \(file); give its file, or --questionnaires DIR"
        case .questionnaireFile(let error):
            return "\(error)"
        case .caseNotFound(let ref):
            return "the events file names case '\(ref)', which is neither in the cases file nor in the database; nothing was imported"
        case .noDatedComplaints(let window):
            return "complaints in \(window.words) cannot be counted: the database holds no dated complaints. Import case events whose action is 'complaint' (docs/cases.md), or use the export's six months (--case-review-window 6m)"
        }
    }

    /// What to do about a storage failure, by SQLite's primary result code.
    static func advice(_ code: Int32) -> String {
        switch code {
        case 14: return " (check that the folder exists and that you may write to it)"
        case 13: return " (the disk is full: free some space and try again; nothing already stored was lost)"
        case 8: return " (the database file or its folder is read-only: check permissions; nothing already stored was lost)"
        case 10: return " (an input/output error: check the disk; nothing already stored was lost)"
        case 5, 6: return " (another program is writing to the database: try again shortly)"
        case 11, 26: return " (the file is damaged or not a Canvass database)"
        default: return ""
        }
    }

    /// True when the failure is the storage itself (disk full, read-only, I/O): worth retrying later.
    public var isStorageFailure: Bool {
        if case .database(let error, _) = self { return error.isStorageFailure }
        return false
    }
}
