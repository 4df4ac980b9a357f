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
    /// Maintained cells (`analysis_cells`) that differ from a recomputation from the analysis
    /// rows, each named by its key and both counts.
    public var cellDifferences: [String] = []

    public var isClean: Bool { integrityProblems.isEmpty && foreignKeyProblems.isEmpty && differences.isEmpty && cellDifferences.isEmpty }
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
                try rebuildCells()
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
                // Both sides in response order, merged as they stream: memory stays flat however
                // many responses there are.
                let stored = try db.prepare(Self.storedRowsQuery)
                var current = try stored.step() ? try Self.storedRow(stored) : nil
                var checked = 0
                var differences: [AnalysisDifference] = []
                func advance() throws {
                    checked += 1
                    current = try stored.step() ? try Self.storedRow(stored) : nil
                }
                try forEachDerivedAnalysisRow { expected in
                    while let (actual, _) = current, actual.responseID < expected.responseID {
                        differences.append(AnalysisDifference(responseID: actual.responseID, kind: .extra))
                        try advance()
                    }
                    guard let (actual, undecodable) = current, actual.responseID == expected.responseID else {
                        differences.append(AnalysisDifference(responseID: expected.responseID, kind: .missing))
                        return
                    }
                    let columns = undecodable + Self.differingColumns(actual, expected).filter { !undecodable.contains($0) }
                    if !columns.isEmpty { differences.append(AnalysisDifference(responseID: expected.responseID, kind: .differs(columns))) }
                    try advance()
                }
                while let (actual, _) = current {
                    differences.append(AnalysisDifference(responseID: actual.responseID, kind: .extra))
                    try advance()
                }
                return VerificationReport(integrityProblems: integrity, foreignKeyProblems: foreignKeys, differences: differences, rowsChecked: checked,
                                          cellDifferences: try cellDifferences())
            }
        }
    }

    /// The maintained day cells worked out afresh from the complete analysis rows (since
    /// migration 10; migration 9 counted partial responses too, `withPartial`).
    static func recomputedCells(withPartial: Bool = false) -> String {
        recomputation(["a.questionnaire AS questionnaire", "a.complete AS complete", "coalesce(a.day, -1) AS day", "coalesce(a.borough, -1) AS borough"],
                      completeOnly: !withPartial)
    }

    /// The month cells worked out afresh from the complete analysis rows (as migration 10 first
    /// made them): `month` is the day number of the month's first day, −1 for no date.
    static let recomputedMonthCells = recomputation(["a.questionnaire AS questionnaire", monthOfRow, "coalesce(a.borough, -1) AS borough"])

    /// The ward and mode month cells worked out afresh from the complete analysis rows (as
    /// migration 13 first made them): dimension 1 by ward, 2 by mode.
    static let recomputedGroupCells = CellDimension.allCases.map { dimension in
        recomputation(["a.questionnaire AS questionnaire", "\(dimension.rawValue) AS dimension", monthOfRow, "coalesce(a.borough, -1) AS borough",
                       "\(dimension.column) AS value"])
    }.joined(separator: "\nUNION ALL\n")

    /// An analysis row's month: the day number of its month's first day, −1 for no date.
    private static let monthOfRow = "CASE WHEN a.day IS NULL THEN -1 ELSE a.day - CAST(strftime('%d', a.day * 86400, 'unixepoch') AS INTEGER) + 1 END AS month"

    /// A cells table worked out afresh from the analysis rows: its `keys` (expressions with
    /// their names), then slot, version, n, satisfied, Σw, Σw² and Σw·satisfied, for slot −1
    /// and every slot in a measure's base (a missing weight counts as 1).
    private static func recomputation(_ keys: [String], completeOnly: Bool = true) -> String {
        """
        SELECT \(keys.joined(separator: ", ")),
               s.slot AS slot, a.version_id AS version_id, count(*) AS n, sum(((a.states >> (2 * s.slot)) & 3) = 3) AS satisfied,
               sum(coalesce(a.weight, 1.0)) AS sw, sum(coalesce(a.weight, 1.0) * coalesce(a.weight, 1.0)) AS sw2,
               sum(iif(((a.states >> (2 * s.slot)) & 3) = 3, coalesce(a.weight, 1.0), 0.0)) AS swy
        FROM analysis_responses a JOIN analysis_slots s ON s.slot = -1 OR ((a.states >> (2 * s.slot)) & 3) >= 2
        \(completeOnly ? "WHERE a.complete = 1" : "")
        GROUP BY \((1...keys.count + 2).map(String.init).joined(separator: ", "))
        """
    }

    /// The responses of each version, complete or not, counted afresh from the analysis rows.
    static let recomputedTotals = "SELECT version_id, complete, count(*) AS n FROM analysis_responses GROUP BY 1, 2"

    /// Replaces every maintained cell and total with its recomputation.
    func rebuildCells() throws {
        try db.execute("DELETE FROM analysis_totals")
        try db.execute("INSERT INTO analysis_totals(version_id, complete, n) \(Self.recomputedTotals)")
        try db.execute("DELETE FROM analysis_cells")
        try db.execute("INSERT INTO analysis_cells(questionnaire, complete, day, borough, slot, version_id, n, satisfied, sw, sw2, swy) \(Self.recomputedCells())")
        try db.execute("DELETE FROM analysis_month_cells")
        try db.execute("INSERT INTO analysis_month_cells(questionnaire, month, borough, slot, version_id, n, satisfied, sw, sw2, swy) \(Self.recomputedMonthCells)")
        try db.execute("DELETE FROM analysis_group_cells")
        try db.execute("INSERT INTO analysis_group_cells(questionnaire, dimension, month, borough, value, slot, version_id, n, satisfied, sw, sw2, swy) \(Self.recomputedGroupCells)")
    }

    /// Cells of `table` that differ from their recomputation (at most 20 named, then how many
    /// more): counts exactly, weight sums within a relative 10⁻⁹ (adding and taking away the
    /// same weight in floating point can leave the last bits changed).
    private func cellDifferences(_ table: AnalysisCellTable) throws -> [String] {
        // Both sides in key order, merged as they stream (a join of the two would compare every
        // cell with every other).
        let keyCount = table.keys.count
        let order = (1...keyCount).map(String.init).joined(separator: ", ")
        let kept = try db.prepare("""
            SELECT \(table.keys.joined(separator: ", ")), n, satisfied, sw, sw2, swy FROM \(table.name)
            WHERE n <> 0 OR satisfied <> 0 ORDER BY \(order)
            """)
        let fresh = try db.prepare(table.recomputed + " ORDER BY \(order)")
        struct Cell {
            var key: [Int64]
            var n: Int64, satisfied: Int64
            var sums: [Double]
        }
        func read(_ statement: Statement) throws -> Cell? {
            guard try statement.step() else { return nil }
            return Cell(key: (0..<keyCount).map { statement.int64(at: $0) }, n: statement.int64(at: keyCount), satisfied: statement.int64(at: keyCount + 1),
                        sums: (keyCount + 2..<keyCount + 5).map { statement.double(at: $0) })
        }
        func name(_ key: [Int64]) -> String {
            "\(table.noun) (" + zip(table.keys, key).map { "\($0 == "version_id" ? "version" : $0) \($1)" }.joined(separator: ", ") + ")"
        }
        func counts(_ cell: Cell?) -> String {
            guard let cell else { return "none" }
            return "n \(cell.n), satisfied \(cell.satisfied), Σw \(cell.sums[0])"
        }
        /// The first 20 differences in words, and how many more.
        struct Found {
            var lines: [String] = []
            var more = 0
            mutating func add(_ line: @autoclosure () -> String) {
                if lines.count < 20 { lines.append(line()) } else { more += 1 }
            }
        }
        var differences = Found()
        func report(_ key: [Int64], kept: Cell?, fresh: Cell?) {
            differences.add("\(name(key)): kept \(counts(kept)); the rows give \(counts(fresh))")
        }
        var k = try read(kept), f = try read(fresh)
        while k != nil || f != nil {
            if let kc = k, f == nil || kc.key.lexicographicallyPrecedes(f!.key) {
                report(kc.key, kept: kc, fresh: nil)
                k = try read(kept)
            } else if let fc = f, k == nil || fc.key.lexicographicallyPrecedes(k!.key) {
                report(fc.key, kept: nil, fresh: fc)
                f = try read(fresh)
            } else if let kc = k, let fc = f {
                let sumsAgree = zip(kc.sums, fc.sums).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($1)) }
                if kc.n != fc.n || kc.satisfied != fc.satisfied || !sumsAgree { report(kc.key, kept: kc, fresh: fc) }
                k = try read(kept)
                f = try read(fresh)
            }
        }
        var found = differences.lines
        if differences.more > 0 { found.append("and \(differences.more) more \(table.noun)s") }
        return found
    }

    /// Every maintained cell and total that differs from its recomputation, in words.
    private func cellDifferences() throws -> [String] {
        var found = try cellDifferences(.days) + cellDifferences(.months) + cellDifferences(.groups)
        let totals = try db.rows("""
            SELECT f.version_id, f.complete, f.n AS fresh, t.n AS kept FROM (\(Self.recomputedTotals)) f
            LEFT JOIN analysis_totals t USING (version_id, complete) WHERE t.n IS NOT f.n
            UNION ALL
            SELECT t.version_id, t.complete, NULL, t.n FROM analysis_totals t
            WHERE t.n <> 0 AND NOT EXISTS (SELECT 1 FROM analysis_responses a WHERE a.version_id = t.version_id AND a.complete = t.complete)
            """)
        for row in totals {
            found.append("analysis total (version \(row[0].int64 ?? -1), complete \(row[1].int64 ?? -1)): kept \(row[3].int64.map(String.init) ?? "none"); the rows give \(row[2].int64.map(String.init) ?? "none")")
        }
        return found
    }

    /// The analysis table's own rows, labels as text, in response order.
    private static let storedRowsQuery = """
        SELECT a.response_id, q.text AS questionnaire, a.version_id, a.complete, a.day, b.text AS borough, w.text AS ward,
               a.mode, a.administration, l.text AS language, a.weight, a.invited, a.repeat_victim, a.vulnerable, a.states,
               a.stage, a.outcome AS case_outcome, a.channel, a.case_review, a.complaints, a.days_to_first_action
        FROM analysis_responses a
        LEFT JOIN analysis_labels q ON q.id = a.questionnaire LEFT JOIN analysis_labels b ON b.id = a.borough
        LEFT JOIN analysis_labels w ON w.id = a.ward LEFT JOIN analysis_labels l ON l.id = a.language
        ORDER BY a.response_id
        """

    /// The stored row at the statement's current step, and the columns whose codes name nothing
    /// (a damaged row: reported as differing, never read as some valid value).
    private static func storedRow(_ statement: Statement) throws -> (AnalysisRow, [String]) {
        let row = statement.row()
        var undecodable: [String] = []
        let mode = ResponseMode.fromAnalysisCode(try row.get("mode"))
        let administration = Administration.fromAnalysisCode(try row.get("administration"))
        if mode == nil { undecodable.append("mode") }
        if administration == nil { undecodable.append("administration") }
        let attributes = try storedCaseAttributes(row)
        if attributes.undecodable { undecodable.append("case attributes") }
        return (AnalysisRow(
            responseID: try row.get("response_id"), questionnaireID: try row.get(String?.self, "questionnaire") ?? "?",
            versionID: try row.get("version_id"), complete: try row.get("complete"), day: try row.get("day"),
            borough: try row.get("borough"), ward: try row.get("ward"), mode: mode ?? .web,
            administration: administration ?? .selfCompleted,
            language: try row.get(String?.self, "language") ?? "?", weight: try row.get("weight"), invited: try row.get("invited"),
            repeatVictim: try row.get("repeat_victim"), vulnerable: try row.get("vulnerable"),
            states: UInt64(bitPattern: try row.get("states")), caseAttributes: attributes.value), undecodable)
    }

    /// The case columns of a stored analysis row (codes), nil when it has no case; `undecodable`
    /// when a code names nothing.
    private static func storedCaseAttributes(_ row: Row) throws -> (value: CaseAttributes?, undecodable: Bool) {
        guard let stageCode = try row.get(Int?.self, "stage") else { return (nil, false) }
        let reviewCode = try row.get(Int?.self, "case_review")
        guard let stage = EscalationStage.fromAnalysisCode(stageCode),
              let outcome = CaseOutcome.fromAnalysisCode(try row.get("case_outcome")),
              let channel = CaseChannel.fromAnalysisCode(try row.get("channel")),
              reviewCode.map({ CaseReviewState.fromAnalysisCode($0) != nil }) ?? true else { return (nil, true) }
        return (CaseAttributes(stage: stage, outcome: outcome, channel: channel, caseReview: reviewCode.flatMap(CaseReviewState.fromAnalysisCode),
                               complaints6m: try row.get("complaints"), daysToFirstAction: try row.get("days_to_first_action")), false)
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
