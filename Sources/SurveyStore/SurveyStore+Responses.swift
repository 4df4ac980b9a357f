import SQLite
import SurveyEngine

extension SurveyStore {
    /// Starts a partial response to a published questionnaire version and returns its id.
    public func startResponse(versionID: Int64, origin: ResponseOrigin) throws(SurveyStoreError) -> Int64 {
        // One transaction: the response and its analysis row are stored together or not at all
        // (found by a backup taken between the two while a terminal session started a response).
        try run("start a response") { try db.transaction {
            let now = timestamp()
            try db.execute("""
                INSERT INTO responses(questionnaire_version_id, status, mode, administration, language, invitation_id,
                                      case_ref, borough, ward, started_at, updated_at)
                SELECT ?, 'partial', ?, ?, ?, ?, i.case_ref, i.borough, i.ward, ?, ?
                FROM (SELECT 1) LEFT JOIN invitations i ON i.id = ?
                """, [versionID, origin.mode.rawValue, origin.administration.rawValue, origin.language, origin.invitationID, now, now, origin.invitationID])
            let id = db.lastInsertRowID
            try refreshAnalysis(responseID: id)
            return id
        } }
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
                let fields = Self.responseFields(state, questionnaire)
                guard try updateHeader(responseID, state.position, fields, complete: complete, revision: revision) else {
                    throw try unsaved(responseID, revision: revision)
                }
                guard let header = try db.firstRow(Self.headerQuery, [responseID]) else { throw SurveyStoreError.responseNotFound(responseID) }
                let known = revision == nil ? nil : previousValues
                let values = try writeAnswers(responseID: responseID, answers: state.answers, existing: known)
                let stored = try Self.storedResponse(id: responseID, header: header, values: values)
                try analysisSaved(responseID: responseID, versionID: stored.questionnaireVersionID, complete: stored.isComplete,
                                  borough: stored.borough, ward: stored.ward, values: values)
                return stored
            }
        }
    }

    /// Saves `state` over `previous`, the response as the caller read it, in one transaction: fails
    /// with `responseChanged` (writing nothing) if anyone saved since, and never changes a complete
    /// response. Writes only the answers that changed, and returns the response as now stored,
    /// worked out from `previous` rather than read back: the revision check guarantees `previous`
    /// is what was stored. The web form's save; one statement fewer than reading back.
    public func save(_ state: InterviewState, over previous: StoredResponse, questionnaire: Questionnaire,
                     complete: Bool = false) throws(SurveyStoreError) -> StoredResponse {
        try run("save response \(previous.id)") {
            try db.transaction {
                let fields = Self.responseFields(state, questionnaire)
                guard try updateHeader(previous.id, state.position, fields, complete: complete, revision: previous.revision) else {
                    throw try unsaved(previous.id, revision: previous.revision)
                }
                var saved = previous
                saved.values = try writeAnswers(responseID: previous.id, answers: state.answers, existing: previous.values)
                saved.status = complete ? .complete : .partial
                saved.position = state.position == .submitted ? nil : state.position
                saved.revision = previous.revision + 1
                // As the UPDATE does: a response to an invitation keeps the invitation's place.
                if !previous.invited {
                    saved.borough = fields.borough ?? previous.borough
                    saved.ward = fields.ward ?? previous.ward
                }
                // The analysis row changes only if a measure's state, the place, the status or the
                // day of the last save does: most saves of a page change none of them.
                // (This check runs on every POST: it reads the clock as a number and compares only
                // the measures' own answers, rather than formatting a date and packing states.)
                let day = Int((clock().timeIntervalSince1970 / 86_400).rounded(.down))
                let slots = try layout(versionID: saved.questionnaireVersionID).layout.slots
                if complete || day != previous.lastSavedDay || saved.borough != previous.borough || saved.ward != previous.ward
                    || slots.contains(where: { saved.values[$0.questionID] != previous.values[$0.questionID] }) {
                    try analysisSaved(responseID: saved.id, versionID: saved.questionnaireVersionID, complete: complete,
                                      borough: saved.borough, ward: saved.ward, values: saved.values)
                }
                saved.lastSavedDay = day
                return saved
            }
        }
    }

    /// Makes the response's answers `answers`, writing only what changed (a page submission
    /// usually changes one answer; rewriting every earlier one made each save slower than the
    /// last). Each row is reached by its whole key: a DELETE by `(response_id, question_id)` alone
    /// could match several rows, and SQLite gathered their keys in a temporary b-tree first, which
    /// cost more than the rest of the save. Returns the answers as stored values by question id.
    private func writeAnswers(responseID: Int64, answers: [String: AnswerValue], existing known: [String: [String]]?) throws -> [String: [String]] {
        let existing = try known ?? storedValues(responseID: responseID)
        let rows = try AnswerRows(db)
        for (questionID, values) in existing.sorted(by: { $0.key < $1.key }) where answers[questionID] == nil {
            for ordinal in values.indices { try rows.delete(responseID, questionID, ordinal) }
        }
        var stored: [String: [String]] = [:]
        for (questionID, answer) in answers.sorted(by: { $0.key < $1.key }) {
            let values = answer.storedValues
            stored[questionID] = values
            let old = existing[questionID] ?? []
            guard old != values else { continue }
            let number: SQLValue = if case .number(let n) = answer { .real(n) } else { .null }
            for ordinal in 0..<max(old.count, values.count) {
                if ordinal >= values.count {
                    try rows.delete(responseID, questionID, ordinal)
                } else if ordinal >= old.count {
                    try rows.insert(responseID, questionID, ordinal, values[ordinal], number)
                } else if old[ordinal] != values[ordinal] {
                    try rows.update(responseID, questionID, ordinal, values[ordinal], number)
                }
            }
        }
        return stored
    }

    /// The response's answers as stored values by question id (several for a multiple choice).
    private func storedValues(responseID: Int64) throws -> [String: [String]] {
        var values: [String: [String]] = [:]
        for answer in try db.rows("SELECT question_id, value FROM answers WHERE response_id = ? ORDER BY question_id, ordinal", [responseID]) {
            values[try answer.get("question_id", as: String.self), default: []].append(try answer.get("value"))
        }
        return values
    }

    /// The borough and ward the answers give (questions marked as the response's borough or ward).
    private static func responseFields(_ state: InterviewState, _ questionnaire: Questionnaire) -> (borough: String?, ward: String?) {
        var borough: String?, ward: String?
        for index in questionnaire.questions.indices {
            guard let field = questionnaire.questions[index].responseField,
                  let value = state.answers[questionnaire.questions[index].id]?.storedValues.first else { continue }
            if field == .borough { borough = value } else { ward = value }
        }
        return (borough, ward)
    }

    /// Updates a partial response's header (at `revision`, when given); false when there is no
    /// such partial response.
    private func updateHeader(_ responseID: Int64, _ position: InterviewPosition, _ fields: (borough: String?, ward: String?),
                              complete: Bool, revision: Int64?) throws -> Bool {
        let now = SQLValue.text(timestamp())
        let expected = revision.map(SQLValue.integer) ?? .null
        let common: [SQLValue] = [StoredPosition.encode(position).map(SQLValue.text) ?? .null, now,
                                  fields.borough.map(SQLValue.text) ?? .null, fields.ward.map(SQLValue.text) ?? .null]
        // Two statements rather than one with CASE: a partial save must not name `status`, or
        // SQLite rewrites the (questionnaire_version_id, status) index entry on every save.
        if complete {
            try db.cached(Self.completingUpdate).execute(values: common + [now, .integer(responseID), expected, expected])
        } else {
            try db.cached(Self.partialUpdate).execute(values: common + [.integer(responseID), expected, expected])
        }
        return db.changes == 1
    }

    /// Why a save changed nothing: no such response, already complete, or saved since `revision`.
    private func unsaved(_ responseID: Int64, revision: Int64?) throws -> SurveyStoreError {
        guard let status = try db.scalar("SELECT status FROM responses WHERE id = ?", [responseID]).string.flatMap(ResponseStatus.init) else {
            return .responseNotFound(responseID)
        }
        if status != .partial { return .responseAlreadyComplete(responseID) }
        return .responseChanged(responseID, expected: revision ?? 0)
    }

    private static let savedColumns = """
        position = ?, updated_at = ?, revision = revision + 1,
        borough = CASE WHEN invitation_id IS NULL THEN coalesce(?, borough) ELSE borough END,
        ward = CASE WHEN invitation_id IS NULL THEN coalesce(?, ward) ELSE ward END
        """
    private static let stillPartial = "WHERE id = ? AND status = 'partial' AND (? IS NULL OR revision = ?)"
    private static let partialUpdate = "UPDATE responses SET \(savedColumns) \(stillPartial)"
    private static let completingUpdate = "UPDATE responses SET \(savedColumns), status = 'complete', completed_at = ? \(stillPartial)"

    /// The columns `storedResponse` reads, for the response whose id is bound.
    static let headerQuery = """
        SELECT questionnaire_version_id, status, mode, language, position, borough, ward, revision, invitation_id IS NOT NULL AS invited,
               updated_at
        FROM responses WHERE id = ?
        """

    /// A `StoredResponse` from the columns of `headerQuery`.
    static func storedResponse(id: Int64, header row: Row, values: [String: [String]]) throws -> StoredResponse {
        StoredResponse(id: id, questionnaireVersionID: try row.get("questionnaire_version_id"),
                       status: try row.enumValue("status", ResponseStatus.self), mode: try row.enumValue("mode", ResponseMode.self),
                       language: try row.get("language"), position: StoredPosition.decode(try row.get("position")),
                       borough: try row.get("borough"), ward: try row.get("ward"), values: values,
                       revision: try row.get("revision"), invited: try row.get("invited"),
                       lastSavedDay: DateText.dayNumber(try row.get(String.self, "updated_at")))
    }

    /// The stored response `id` with its answers.
    public func response(_ id: Int64) throws(SurveyStoreError) -> StoredResponse {
        try run("read response \(id)") {
            guard let row = try db.firstRow(Self.headerQuery, [id]) else { throw SurveyStoreError.responseNotFound(id) }
            return try Self.storedResponse(id: id, header: row, values: try storedValues(responseID: id))
        }
    }

    /// Number of responses per questionnaire id and status.
    public func responseCounts() throws(SurveyStoreError) -> [(questionnaire: String, status: ResponseStatus, count: Int)] {
        try run("count responses") {
            // From the maintained totals, one row per version and state (the responses' index
            // would be scanned whole: 180 ms for a million).
            try db.rows("""
                SELECT v.questionnaire_id, iif(t.complete = 1, 'complete', 'partial') AS status, sum(t.n) AS count
                FROM analysis_totals t JOIN questionnaire_versions v ON v.id = t.version_id
                WHERE t.n > 0 GROUP BY 1, 2 ORDER BY 1, 2
                """).map { (try $0.get("questionnaire_id"), try $0.enumValue("status", ResponseStatus.self), try $0.get("count")) }
        }
    }
}

/// The statements that write single answer rows, each by the row's whole key.
private struct AnswerRows {
    let insertStatement: Statement
    let updateStatement: Statement
    let deleteStatement: Statement

    init(_ db: Connection) throws {
        insertStatement = try db.cached("INSERT INTO answers(response_id, question_id, ordinal, value, number) VALUES (?, ?, ?, ?, ?)")
        updateStatement = try db.cached("UPDATE answers SET value = ?, number = ? WHERE response_id = ? AND question_id = ? AND ordinal = ?")
        deleteStatement = try db.cached("DELETE FROM answers WHERE response_id = ? AND question_id = ? AND ordinal = ?")
    }

    func insert(_ responseID: Int64, _ questionID: String, _ ordinal: Int, _ value: String, _ number: SQLValue) throws {
        try insertStatement.execute(values: [.integer(responseID), .text(questionID), .integer(Int64(ordinal)), .text(value), number])
    }

    func update(_ responseID: Int64, _ questionID: String, _ ordinal: Int, _ value: String, _ number: SQLValue) throws {
        try updateStatement.execute(values: [.text(value), number, .integer(responseID), .text(questionID), .integer(Int64(ordinal))])
    }

    func delete(_ responseID: Int64, _ questionID: String, _ ordinal: Int) throws {
        try deleteStatement.execute(values: [.integer(responseID), .text(questionID), .integer(Int64(ordinal))])
    }
}

extension SurveyStore {
    /// Deletes response `id` with its answers, its web session and its analysis row, in one
    /// transaction (the invitation stays, without a response). Returns false when there is no such
    /// response.
    @discardableResult
    public func deleteResponse(_ id: Int64) throws(SurveyStoreError) -> Bool {
        try run("delete response \(id)") {
            try db.transaction {
                try db.execute("DELETE FROM web_sessions WHERE response_id = ?", [id])
                try db.execute("DELETE FROM answers WHERE response_id = ?", [id])
                try db.execute("DELETE FROM analysis_responses WHERE response_id = ?", [id])
                try db.execute("DELETE FROM responses WHERE id = ?", [id])
                return db.changes == 1
            }
        }
    }
}
