import SQLite
import SurveyEngine

/// One response as an export gives it: its metadata and its stored answers (values in order,
/// several for a `multiple` question).
public struct ExportedResponse: Sendable {
    public var id: Int64
    public var version: Int
    public var status: ResponseStatus
    public var mode: String
    public var administration: String
    public var language: String
    public var borough: String?
    public var ward: String?
    public var weight: Double?
    public var startedAt: String
    public var completedAt: String?
    /// Only read when the caller asks for case references.
    public var caseRef: String?
    public var answers: [String: [String]]
}

extension SurveyStore {
    /// Calls `body` with each response to `questionnaireID` (every stored version), in response
    /// order, completed (or, for partial ones, last saved) between `from` and `to` inclusive when
    /// given, partial ones only with `includePartial`. Streams: one response in memory at a time,
    /// read in one pass over the responses in rowid order with each one's answers by key.
    public func forEachExportedResponse(questionnaireID: String, from: String?, to: String?, includePartial: Bool, includeCaseRef: Bool,
                                        _ body: (ExportedResponse) throws -> Void) throws {
        let versions = try db.rows("SELECT id, version FROM questionnaire_versions WHERE questionnaire_id = ?", [questionnaireID])
        var versionNumber: [Int64: Int] = [:]
        for row in versions { versionNumber[try row.get("id")] = try row.get("version") }
        guard !versionNumber.isEmpty else { return }
        var conditions = ["r.questionnaire_version_id IN (\(versionNumber.keys.map(String.init).joined(separator: ",")))"]
        var parameters: [SQLBindable] = []
        if !includePartial { conditions.append("r.status = 'complete'") }
        if let from { conditions.append("coalesce(r.completed_at, r.updated_at) >= ?"); parameters.append(from) }
        // `to` is a day: everything before the next one.
        if let to { conditions.append("substr(coalesce(r.completed_at, r.updated_at), 1, 10) <= ?"); parameters.append(to) }
        let sql = """
            SELECT r.id, r.questionnaire_version_id, r.status, r.mode, r.administration, r.language, r.borough, r.ward, r.weight,
                   r.started_at, r.completed_at, \(includeCaseRef ? "r.case_ref" : "NULL"), a.question_id, a.value
            FROM responses r NOT INDEXED LEFT JOIN answers a ON a.response_id = r.id
            WHERE \(conditions.joined(separator: " AND "))
            """
        var current: ExportedResponse?
        try db.prepare(sql).forEach(parameters) { row in
            let id = row.int64(at: 0)
            if current?.id != id {
                if let done = current { try body(done) }
                guard let status = ResponseStatus(rawValue: row.value(at: 2).string ?? "") else {
                    throw SQLiteError(code: 20, message: "response \(id) has the status '\(row.value(at: 2).string ?? "NULL")'")
                }
                current = ExportedResponse(id: id, version: versionNumber[row.int64(at: 1)] ?? 0, status: status, mode: row.value(at: 3).string ?? "",
                                           administration: row.value(at: 4).string ?? "", language: row.value(at: 5).string ?? "",
                                           borough: row.value(at: 6).string, ward: row.value(at: 7).string,
                                           weight: row.isNull(at: 8) ? nil : row.double(at: 8), startedAt: row.value(at: 9).string ?? "",
                                           completedAt: row.value(at: 10).string, caseRef: row.value(at: 11).string, answers: [:])
            }
            if let question = row.value(at: 12).string, let value = row.value(at: 13).string {
                current?.answers[question, default: []].append(value)
            }
        }
        if let done = current { try body(done) }
    }
}

extension SurveyStore {
    /// Runs `body` in one read transaction: every read inside sees the same snapshot, whatever
    /// others commit meanwhile (an export that reads twice, to size and then to write).
    public func readingOneSnapshot<T>(_ body: () throws -> T) throws -> T { try db.read(body) }
}
