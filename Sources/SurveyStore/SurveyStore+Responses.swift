import SQLite
import SurveyEngine

extension SurveyStore {
    /// Starts a partial response to a published questionnaire version and returns its id.
    public func startResponse(versionID: Int64, origin: ResponseOrigin) throws(SurveyStoreError) -> Int64 {
        try run("start a response") {
            let now = timestamp()
            try db.execute("""
                INSERT INTO responses(questionnaire_version_id, status, mode, administration, language, invitation_id,
                                      case_ref, borough, ward, started_at, updated_at)
                SELECT ?, 'partial', ?, ?, ?, ?, i.case_ref, i.borough, i.ward, ?, ?
                FROM (SELECT 1) LEFT JOIN invitations i ON i.id = ?
                """, [versionID, origin.mode, origin.administration, origin.language, origin.invitationID, now, now, origin.invitationID])
            return db.lastInsertRowID
        }
    }

    /// Saves the interview's answers and position in one transaction; `complete` also marks the
    /// response complete. A complete response is never changed again. With `revision` (the one the
    /// caller's state was read at), the save fails with `responseChanged` if anyone saved since,
    /// instead of overwriting their answers. Returns the response as now stored (so a cache can be
    /// kept current without reading it back). `previousValues`, the stored values at `revision`,
    /// spares reading them again to find what changed; it is used only together with `revision`,
    /// whose check guarantees they are still what is stored.
    @discardableResult
    public func save(responseID: Int64, state: InterviewState, questionnaire: Questionnaire, complete: Bool = false,
                     revision: Int64? = nil, previousValues: [String: [String]]? = nil) throws(SurveyStoreError) -> StoredResponse {
        try run("save response \(responseID)") {
            try db.transaction {
                // The header first: its WHERE clause checks that the response is still partial
                // (and still at the expected revision).
                guard let header = try writeHeader(responseID: responseID, state: state, questionnaire: questionnaire,
                                                   complete: complete, revision: revision) else {
                    guard let status = try db.scalar("SELECT status FROM responses WHERE id = ?", [responseID]).string else {
                        throw SurveyStoreError.responseNotFound(responseID)
                    }
                    if status != "partial" { throw SurveyStoreError.responseAlreadyComplete(responseID) }
                    throw SurveyStoreError.responseChanged(responseID, expected: revision ?? 0)
                }
                let known = revision == nil ? nil : previousValues
                let values = try writeAnswers(responseID: responseID, answers: state.answers, existing: known)
                return Self.storedResponse(id: responseID, header: header, values: values)
            }
        }
    }

    /// Makes the response's answers `answers`, writing only what changed (a page submission
    /// usually changes one answer; rewriting every earlier one made each save slower than the
    /// last). Returns the answers as stored values by question id.
    private func writeAnswers(responseID: Int64, answers: [String: AnswerValue], existing known: [String: [String]]?) throws -> [String: [String]] {
        let existing = try known ?? storedValues(responseID: responseID)
        let delete = try db.cached("DELETE FROM answers WHERE response_id = ? AND question_id = ?")
        for questionID in existing.keys.sorted() where answers[questionID] == nil {
            try delete.execute([responseID, questionID])
        }
        let insert = try db.cached("INSERT INTO answers(response_id, question_id, ordinal, value, number) VALUES (?, ?, ?, ?, ?)")
        var stored: [String: [String]] = [:]
        for (questionID, answer) in answers.sorted(by: { $0.key < $1.key }) {
            let values = answer.storedValues
            stored[questionID] = values
            guard existing[questionID] != values else { continue }
            if existing[questionID] != nil { try delete.execute([responseID, questionID]) }
            for (ordinal, value) in values.enumerated() {
                let number: Double? = if case .number(let n) = answer { n } else { nil }
                try insert.execute([responseID, questionID, ordinal, value, number])
            }
        }
        return stored
    }

    /// The response's answers as stored values by question id (several for a multiple choice).
    private func storedValues(responseID: Int64) throws -> [String: [String]] {
        var values: [String: [String]] = [:]
        for answer in try db.rows("SELECT question_id, value FROM answers WHERE response_id = ? ORDER BY question_id, ordinal", [responseID]) {
            values[answer[0].string!, default: []].append(answer[1].string ?? "")
        }
        return values
    }

    /// Updates a partial response's header; returns its columns for `storedResponse`, or nil when
    /// there is no partial response with that id.
    private func writeHeader(responseID: Int64, state: InterviewState, questionnaire: Questionnaire, complete: Bool, revision: Int64?) throws -> Row? {
        let position: String? = switch state.position {
        case .question(let id): id
        case .review: "review"
        case .submitted: nil
        }
        var borough: String?, ward: String?
        for question in questionnaire.questions {
            guard let field = question.responseField, let value = state.answers[question.id]?.storedValues.first else { continue }
            if field == .borough { borough = value } else { ward = value }
        }
        let now = timestamp()
        // Two statements rather than one with CASE: a partial save must not name `status`, or
        // SQLite rewrites the (questionnaire_version_id, status) index entry on every save. And a
        // plain SELECT after is cheaper than RETURNING, which builds an ephemeral table each time.
        if complete {
            try db.execute(Self.completingUpdate, [position, now, borough, ward, now, responseID, revision, revision])
        } else {
            try db.execute(Self.partialUpdate, [position, now, borough, ward, responseID, revision, revision])
        }
        guard db.changes == 1 else { return nil }
        return try db.firstRow("SELECT questionnaire_version_id, status, mode, language, position, borough, ward, revision FROM responses WHERE id = ?",
                               [responseID])
    }

    private static let savedColumns = """
        position = ?, updated_at = ?, revision = revision + 1,
        borough = CASE WHEN invitation_id IS NULL THEN coalesce(?, borough) ELSE borough END,
        ward = CASE WHEN invitation_id IS NULL THEN coalesce(?, ward) ELSE ward END
        """
    private static let stillPartial = "WHERE id = ? AND status = 'partial' AND (? IS NULL OR revision = ?)"
    private static let partialUpdate = "UPDATE responses SET \(savedColumns) \(stillPartial)"
    private static let completingUpdate = "UPDATE responses SET \(savedColumns), status = 'complete', completed_at = ? \(stillPartial)"

    /// A `StoredResponse` from the columns questionnaire_version_id, status, mode, language,
    /// position, borough, ward, revision (in that order).
    static func storedResponse(id: Int64, header row: Row, values: [String: [String]]) -> StoredResponse {
        StoredResponse(id: id, questionnaireVersionID: row[0].int64!, status: row[1].string!, mode: row[2].string!,
                       language: row[3].string ?? "en", position: row[4].string, borough: row[5].string,
                       ward: row[6].string, values: values, revision: row[7].int64 ?? 0)
    }

    /// The stored response `id` with its answers.
    public func response(_ id: Int64) throws(SurveyStoreError) -> StoredResponse {
        try run("read response \(id)") {
            guard let row = try db.firstRow("""
                SELECT questionnaire_version_id, status, mode, language, position, borough, ward, revision FROM responses WHERE id = ?
                """, [id]) else { throw SurveyStoreError.responseNotFound(id) }
            return Self.storedResponse(id: id, header: row, values: try storedValues(responseID: id))
        }
    }

    /// Number of responses per questionnaire id and status.
    public func responseCounts() throws(SurveyStoreError) -> [(questionnaire: String, status: String, count: Int)] {
        try run("count responses") {
            try db.rows("""
                SELECT q.questionnaire_id, r.status, count(*) FROM responses r
                JOIN questionnaire_versions q ON q.id = r.questionnaire_version_id
                GROUP BY 1, 2 ORDER BY 1, 2
                """).map { ($0[0].string ?? "", $0[1].string ?? "", $0[2].int ?? 0) }
        }
    }
}
