import SQLite
import SurveyEngine

/// One combination of case attributes, with how many responses in a measure's base had it and
/// how many of those were satisfied (the rows a logistic regression fits).
public struct CasePattern: Hashable, Sendable {
    public var stage: EscalationStage
    public var channel: CaseChannel
    public var repeatVictim: Bool
    public var vulnerable: Bool
    public var daysToFirstAction: Int?
    public var borough: String

    public init(stage: EscalationStage, channel: CaseChannel, repeatVictim: Bool, vulnerable: Bool, daysToFirstAction: Int?, borough: String) {
        self.stage = stage
        self.channel = channel
        self.repeatVictim = repeatVictim
        self.vulnerable = vulnerable
        self.daysToFirstAction = daysToFirstAction
        self.borough = borough
    }
}

extension SurveyStore {
    /// The case patterns of the complete responses to `questionnaireID` that reach a case and
    /// are in `measureID`'s base, with their trials and successes, in one scan of the analysis table.
    public func casePatterns(questionnaireID: String, measureID: String, filter: ResponseFilter) throws(SurveyStoreError) -> [CasePattern: (successes: Int, trials: Int)] {
        try run("read case patterns") {
            var result: [CasePattern: (successes: Int, trials: Int)] = [:]
            guard let questionnaire = try db.scalar("SELECT id FROM analysis_labels WHERE text = ?", [questionnaireID]).int64 else { return result }
            var conditions = ["questionnaire = ?", "stage IS NOT NULL"]
            var parameters: [SQLBindable] = [questionnaire]
            if !filter.includePartial { conditions.append("complete = 1") }
            if let from = filter.from.flatMap(DateText.dayNumber) { conditions.append("day >= ?"); parameters.append(from) }
            if let to = filter.to.flatMap(DateText.dayNumber) { conditions.append("day <= ?"); parameters.append(to) }
            var labels: [Int64: String] = [:]
            try db.prepare("SELECT id, text FROM analysis_labels").forEach { labels[$0.int64(at: 0)] = $0.value(at: 1).string ?? "" }
            var lastVersion: Int64 = .min
            var slot = -1
            let sql = """
                SELECT version_id, states, stage, channel, repeat_victim, vulnerable, days_to_first_action, borough
                FROM analysis_responses NOT INDEXED WHERE \(conditions.joined(separator: " AND "))
                """
            try db.prepare(sql).forEach(parameters) { row in
                let version = row.int64(at: 0)
                if version != lastVersion {
                    slot = try layout(versionID: version).layout.index(of: measureID) ?? -1
                    lastVersion = version
                }
                guard slot >= 0 else { return }
                let state = MeasureLayout.state(UInt64(bitPattern: row.int64(at: 1)), slot)
                guard state == .satisfied || state == .notSatisfied,
                      let stage = EscalationStage.fromAnalysisCode(Int(row.int64(at: 2))),
                      let channel = CaseChannel.fromAnalysisCode(Int(row.int64(at: 3))) else { return }
                let pattern = CasePattern(stage: stage, channel: channel, repeatVictim: row.int64(at: 4) == 1, vulnerable: row.int64(at: 5) == 1,
                                          daysToFirstAction: row.isNull(at: 6) ? nil : Int(row.int64(at: 6)),
                                          borough: row.isNull(at: 7) ? "(not recorded)" : labels[row.int64(at: 7)] ?? "(not recorded)")
                var cell = result[pattern] ?? (0, 0)
                cell.trials += 1
                if state == .satisfied { cell.successes += 1 }
                result[pattern] = cell
            }
            return result
        }
    }
}
