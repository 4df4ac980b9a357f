import SQLite
import SurveyEngine

/// One way the analysis table differs from a recomputation from the answers.
public struct AnalysisDifference: Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// The response has no analysis row.
        case missing
        /// An analysis row for a response that does not exist.
        case extra
        /// The row's named columns differ from what the answers give.
        case differs([String])
    }

    public var responseID: Int64
    public var kind: Kind

    public var description: String {
        switch kind {
        case .missing: "response \(responseID): no analysis row"
        case .extra: "response \(responseID): an analysis row for a response that does not exist"
        case .differs(let columns): "response \(responseID): \(columns.joined(separator: ", ")) differ from the answers"
        }
    }
}

/// What `verify` found: SQLite's own checks and the analysis table against a recomputation.
public struct VerificationReport: Sendable {
    /// `PRAGMA integrity_check` lines other than "ok".
    public var integrityProblems: [String]
    /// `PRAGMA foreign_key_check` rows, as text.
    public var foreignKeyProblems: [String]
    public var differences: [AnalysisDifference]
    /// Analysis rows compared.
    public var rowsChecked: Int

    public var isClean: Bool { integrityProblems.isEmpty && foreignKeyProblems.isEmpty && differences.isEmpty }
}

extension SurveyStore {
    /// Rebuilds the analysis table from the responses and answers, in one transaction; returns the
    /// number of rows written.
    public func reindexAnalysis() throws(SurveyStoreError) -> Int {
        try run("rebuild the analysis table") {
            try db.transaction {
                try db.execute("DELETE FROM analysis_responses")
                var count = 0
                try forEachDerivedAnalysisRow { row in
                    try writeAnalysis(row)
                    count += 1
                }
                try db.execute("DELETE FROM settings WHERE key = 'analysis_rebuild'")
                return count
            }
        }
    }

    /// Runs SQLite's integrity and foreign-key checks and compares every analysis row with a
    /// recomputation from the answers, in one read snapshot.
    public func verify() throws(SurveyStoreError) -> VerificationReport {
        try run("verify the database") {
            try db.read {
                let integrity = try db.rows("PRAGMA integrity_check").compactMap { $0[0].string }.filter { $0 != "ok" }
                let foreignKeys = try db.rows("PRAGMA foreign_key_check").map { row in
                    "\(row[0].string ?? "?") row \(row[1].int64.map(String.init) ?? "?") refers to a missing \(row[2].string ?? "?") row"
                }
                var stored: [Int64: AnalysisRow] = [:]
                try forEachStoredAnalysisRow { stored[$0.responseID] = $0 }
                let checked = stored.count
                var differences: [AnalysisDifference] = []
                try forEachDerivedAnalysisRow { expected in
                    guard let actual = stored.removeValue(forKey: expected.responseID) else {
                        differences.append(AnalysisDifference(responseID: expected.responseID, kind: .missing))
                        return
                    }
                    let columns = Self.differingColumns(actual, expected)
                    if !columns.isEmpty { differences.append(AnalysisDifference(responseID: expected.responseID, kind: .differs(columns))) }
                }
                differences += stored.keys.sorted().map { AnalysisDifference(responseID: $0, kind: .extra) }
                return VerificationReport(integrityProblems: integrity, foreignKeyProblems: foreignKeys, differences: differences, rowsChecked: checked)
            }
        }
    }

    /// The analysis table's own rows, labels as text.
    private func forEachStoredAnalysisRow(_ body: (AnalysisRow) throws -> Void) throws {
        let statement = try db.prepare("""
            SELECT a.response_id, q.text AS questionnaire, a.version_id, a.complete, a.day, b.text AS borough, w.text AS ward,
                   a.mode, a.administration, l.text AS language, a.weight, a.invited, a.repeat_victim, a.vulnerable, a.states,
                   a.stage, a.outcome AS case_outcome, a.channel, a.case_review, a.complaints, a.days_to_first_action
            FROM analysis_responses a
            LEFT JOIN analysis_labels q ON q.id = a.questionnaire LEFT JOIN analysis_labels b ON b.id = a.borough
            LEFT JOIN analysis_labels w ON w.id = a.ward LEFT JOIN analysis_labels l ON l.id = a.language
            ORDER BY a.response_id
            """)
        try statement.forEach { statement in
            let row = statement.row()
            let mode: Int = try row.get("mode"), administration: Int = try row.get("administration")
            try body(AnalysisRow(
                responseID: try row.get("response_id"), questionnaireID: try row.get(String?.self, "questionnaire") ?? "?",
                versionID: try row.get("version_id"), complete: try row.get("complete"), day: try row.get("day"),
                borough: try row.get("borough"), ward: try row.get("ward"),
                mode: ResponseMode.allCases.indices.contains(mode) ? ResponseMode.allCases[mode] : .web,
                administration: Administration.allCases.indices.contains(administration) ? Administration.allCases[administration] : .selfCompleted,
                language: try row.get(String?.self, "language") ?? "?", weight: try row.get("weight"), invited: try row.get("invited"),
                repeatVictim: try row.get("repeat_victim"), vulnerable: try row.get("vulnerable"),
                states: UInt64(bitPattern: try row.get("states")), caseAttributes: try Self.storedCaseAttributes(row)))
        }
    }

    /// The case columns of a stored analysis row (codes), nil when it has no case.
    private static func storedCaseAttributes(_ row: Row) throws -> CaseAttributes? {
        guard let stage = try row.get(Int?.self, "stage") else { return nil }
        let outcome: Int = try row.get("case_outcome"), channel: Int = try row.get("channel")
        return CaseAttributes(stage: EscalationStage.fromAnalysisCode(stage) ?? .none, outcome: CaseOutcome.fromAnalysisCode(outcome) ?? .ongoing,
                              channel: CaseChannel.fromAnalysisCode(channel) ?? .other,
                              caseReview: try row.get(Int?.self, "case_review").flatMap(CaseReviewState.fromAnalysisCode),
                              complaints6m: try row.get("complaints"), daysToFirstAction: try row.get("days_to_first_action"))
    }

    /// The names of the columns in which two rows differ.
    static func differingColumns(_ a: AnalysisRow, _ b: AnalysisRow) -> [String] {
        var columns: [String] = []
        if a.questionnaireID != b.questionnaireID { columns.append("questionnaire") }
        if a.versionID != b.versionID { columns.append("version_id") }
        if a.complete != b.complete { columns.append("complete") }
        if a.day != b.day { columns.append("day") }
        if a.borough != b.borough { columns.append("borough") }
        if a.ward != b.ward { columns.append("ward") }
        if a.mode != b.mode { columns.append("mode") }
        if a.administration != b.administration { columns.append("administration") }
        if a.language != b.language { columns.append("language") }
        if a.weight != b.weight { columns.append("weight") }
        if a.invited != b.invited { columns.append("invited") }
        if a.repeatVictim != b.repeatVictim { columns.append("repeat_victim") }
        if a.vulnerable != b.vulnerable { columns.append("vulnerable") }
        if a.states != b.states { columns.append("states") }
        if a.caseAttributes != b.caseAttributes { columns.append("case attributes") }
        return columns
    }
}
