import SQLite
import SurveyEngine

/// What the store remembers between analysis writes: label ids and each version's measure layout.
/// Both are immutable once made (a label's id never changes, a version's definition never
/// changes), so a cached entry can never be stale.
struct AnalysisCache {
    var labels: [String: Int64] = [:]
    var layouts: [Int64: (questionnaireID: String, layout: MeasureLayout)] = [:]
    /// Published versions as loaded (a version's definition never changes once stored).
    var versions: [Int64: PublishedQuestionnaire] = [:]
}

extension SurveyStore {
    // MARK: - Maintaining the table

    /// The id of `text` in `analysis_labels`, adding it if new (nil for nil).
    func labelID(_ text: String?) throws -> Int64? {
        guard let text else { return nil }
        if let id = analysisCache.labels[text] { return id }
        try db.cached("INSERT OR IGNORE INTO analysis_labels(text) VALUES (?)").execute([text])
        let id = try db.scalar("SELECT id FROM analysis_labels WHERE text = ?", [text]).int64!
        analysisCache.labels[text] = id
        return id
    }

    /// The questionnaire id and measure layout of version `versionID`.
    func layout(versionID: Int64) throws -> (questionnaireID: String, layout: MeasureLayout) {
        if let cached = analysisCache.layouts[versionID] { return cached }
        let published = try published(versionID: versionID)
        let entry = (published.questionnaire.id, MeasureLayout(published.questionnaire))
        analysisCache.layouts[versionID] = entry
        return entry
    }

    /// Stores `row` in the analysis table, replacing the response's row if it has one.
    func writeAnalysis(_ row: AnalysisRow) throws {
        // An upsert, not INSERT OR REPLACE: a replace deletes without firing delete triggers,
        // and the cells' triggers must see the old row go.
        try db.cached("""
            INSERT INTO analysis_responses(\(Self.analysisColumns))
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(response_id) DO UPDATE SET \(Self.analysisUpdates)
            """).execute(try analysisValues(row))
    }

    /// The analysis table's columns in the order `analysisValues` gives them.
    static let analysisColumns = """
        response_id, questionnaire, version_id, complete, day, borough, ward, mode, administration, language, weight, invited,
        repeat_victim, vulnerable, states, stage, outcome, channel, case_review, complaints, days_to_first_action
        """

    /// `column = excluded.column` for every column but the key.
    static let analysisUpdates = analysisColumns.split(separator: ",").map { $0.filter { !$0.isWhitespace } }
        .filter { $0 != "response_id" }.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")

    /// The parameter values of `row`, labels as ids.
    func analysisValues(_ row: AnalysisRow) throws -> [SQLValue] {
        func id(_ text: String?) throws -> SQLValue { try labelID(text).map(SQLValue.integer) ?? .null }
        func flag(_ value: Bool?) -> SQLValue { value.map { .integer($0 ? 1 : 0) } ?? .null }
        return [.integer(row.responseID), try id(row.questionnaireID), .integer(row.versionID), .integer(row.complete ? 1 : 0),
                row.day.map { .integer(Int64($0)) } ?? .null, try id(row.borough), try id(row.ward),
                .integer(Int64(Self.modeCode(row.mode))), .integer(Int64(Self.administrationCode(row.administration))),
                try id(row.language), row.weight.map(SQLValue.real) ?? .null, .integer(row.invited ? 1 : 0),
                flag(row.repeatVictim), flag(row.vulnerable), .integer(Int64(bitPattern: row.states))] + Self.caseValues(row.caseAttributes)
    }

    /// The case columns' values (NULL for a response with no case).
    static func caseValues(_ attributes: CaseAttributes?) -> [SQLValue] {
        guard let attributes else { return Array(repeating: .null, count: 6) }
        func int(_ value: Int?) -> SQLValue { value.map { .integer(Int64($0)) } ?? .null }
        return [int(attributes.stage.analysisCode), int(attributes.outcome.analysisCode), int(attributes.channel.analysisCode),
                int(attributes.caseReview?.analysisCode), int(attributes.complaints6m), int(attributes.daysToFirstAction)]
    }

    /// Keeps the analysis row of a response that was just saved in step: the columns a save can
    /// change. A response with no row (written by something else) gets its whole row worked out.
    func analysisSaved(responseID: Int64, versionID: Int64, complete: Bool, borough: String?, ward: String?,
                       values: [String: [String]]) throws {
        let states = try layout(versionID: versionID).layout.states(values)
        let day = DateText.dayNumber(timestamp()).map { SQLValue.integer(Int64($0)) } ?? .null
        func id(_ text: String?) throws -> SQLValue { try labelID(text).map(SQLValue.integer) ?? .null }
        try db.cached("UPDATE analysis_responses SET complete = ?, day = ?, borough = ?, ward = ?, states = ? WHERE response_id = ?")
            .execute(values: [.integer(complete ? 1 : 0), day, try id(borough), try id(ward), .integer(Int64(bitPattern: states)), .integer(responseID)])
        if db.changes == 0 { try refreshAnalysis(responseID: responseID) }
    }

    /// Works out response `responseID`'s analysis row from the stored response and writes it.
    func refreshAnalysis(responseID: Int64) throws {
        var found: AnalysisRow?
        try forEachDerivedAnalysisRow(from: responseID, through: responseID) { found = $0 }
        if let found { try writeAnalysis(found) } else {
            try db.execute("DELETE FROM analysis_responses WHERE response_id = ?", [responseID])
        }
    }

    /// The case attributes of a row that joined `cases` (columns highest_stage, outcome, channel,
    /// case_review, complaints_6m, days_to_first_action as stored there), nil with no case.
    static func caseAttributes(_ row: Row) throws -> CaseAttributes? {
        guard let stage = try row.get(String?.self, "highest_stage") else { return nil }
        func parse<E: RawRepresentable>(_ text: String?, _ type: E.Type, _ column: String) throws -> E where E.RawValue == String {
            guard let text, let value = E(rawValue: text) else {
                throw SQLiteError(code: 20, message: "column '\(column)' holds '\(text ?? "NULL")', which is not a \(E.self)")
            }
            return value
        }
        return CaseAttributes(stage: try parse(stage, EscalationStage.self, "highest_stage"),
                              outcome: try parse(try row.get(String?.self, "outcome"), CaseOutcome.self, "outcome"),
                              channel: try parse(try row.get(String?.self, "channel"), CaseChannel.self, "channel"),
                              caseReview: try row.get(String?.self, "case_review").map { try parse($0, CaseReviewState.self, "case_review") },
                              complaints6m: try row.get("complaints_6m"), daysToFirstAction: try row.get("days_to_first_action"))
    }

    static func modeCode(_ mode: ResponseMode) -> Int { ResponseMode.allCases.firstIndex(of: mode)! }
    static func administrationCode(_ value: Administration) -> Int { Administration.allCases.firstIndex(of: value)! }

    // MARK: - Deriving rows from the responses

    /// Calls `body` with the analysis row of every response with id in `first...last`, in id
    /// order, worked out from the responses, answers, invitations and questionnaire versions
    /// alone (two streams merged by response id, so memory stays flat).
    func forEachDerivedAnalysisRow(from first: Int64 = .min, through last: Int64 = .max, _ body: (AnalysisRow) throws -> Void) throws {
        // Cached: a web start works out one row this way, and preparing both statements cost more
        // than the rest of it.
        let headers = try db.cached("""
            SELECT r.id, r.questionnaire_version_id AS version_id, r.status, r.mode, r.administration, r.language,
                   coalesce(r.completed_at, r.updated_at) AS date, r.borough, r.ward, r.weight,
                   r.invitation_id IS NOT NULL AS invited, coalesce(c.repeat_victim, i.repeat_victim) AS repeat_victim,
                   coalesce(c.vulnerable_victim, i.vulnerable) AS vulnerable, c.highest_stage, c.outcome, c.channel,
                   c.case_review, c.complaints_6m, c.days_to_first_action
            FROM responses r LEFT JOIN invitations i ON i.id = r.invitation_id LEFT JOIN cases c ON c.case_ref = i.case_ref
            WHERE r.id BETWEEN ? AND ? ORDER BY r.id
            """)
        let answers = try db.cached("SELECT response_id, question_id, value FROM answers WHERE response_id BETWEEN ? AND ? ORDER BY response_id, question_id, ordinal")
        try answers.bind([first, last])
        // Stepped by hand, so reset by hand: a cached statement left mid-way would hold its snapshot.
        defer { answers.reset() }
        var pending = try answers.step()
        try headers.forEach([first, last]) { header in
            let id = header.int64(at: 0)
            var values: [String: [String]] = [:]
            while pending, answers.int64(at: 0) < id { pending = try answers.step() }
            while pending, answers.int64(at: 0) == id {
                values[answers.value(at: 1).string ?? "", default: []].append(answers.value(at: 2).string ?? "")
                pending = try answers.step()
            }
            let row = header.row()
            let versionID: Int64 = try row.get("version_id")
            let (questionnaireID, layout) = try layout(versionID: versionID)
            let date: String = try row.get("date")
            try body(AnalysisRow(
                responseID: id, questionnaireID: questionnaireID, versionID: versionID,
                complete: try row.enumValue("status", ResponseStatus.self) == .complete, day: DateText.dayNumber(date),
                borough: try row.get("borough"), ward: try row.get("ward"), mode: try row.enumValue("mode", ResponseMode.self),
                administration: try row.enumValue("administration", Administration.self), language: try row.get("language"),
                weight: try row.get("weight"), invited: try row.get("invited"), repeatVictim: try row.get("repeat_victim"),
                vulnerable: try row.get("vulnerable"), states: layout.states(values), caseAttributes: try Self.caseAttributes(row)))
        }
    }
}
