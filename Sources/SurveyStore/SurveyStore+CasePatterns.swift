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
    /// The response's answer codes to the questions the model adjusts for, in the order asked
    /// for; empty text where the response has no answer to one.
    public var answers: [String]

    public init(stage: EscalationStage, channel: CaseChannel, repeatVictim: Bool, vulnerable: Bool, daysToFirstAction: Int?, borough: String,
                answers: [String] = []) {
        self.answers = answers
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
    /// `adjustingFor` names single-choice questions whose answers (read from the answers, one
    /// lookup per response) become part of each pattern.
    public func casePatterns(questionnaireID: String, measureID: String, filter: ResponseFilter,
                             adjustingFor questions: [String] = []) throws(SurveyStoreError) -> [CasePattern: (successes: Int, trials: Int)] {
        try run("read case patterns") {
            var result: [CasePattern: (successes: Int, trials: Int)] = [:]
            guard let questionnaire = try db.scalar("SELECT id FROM analysis_labels WHERE text = ?", [questionnaireID]).int64 else { return result }
            // The joins' question ids are bound first: they come first in the statement.
            var parameters: [SQLBindable] = questions
            var conditions = ["r.questionnaire = ?", "r.stage IS NOT NULL"]
            parameters.append(questionnaire)
            if !filter.includePartial { conditions.append("r.complete = 1") }
            if let from = filter.from.flatMap(DateText.dayNumber) { conditions.append("r.day >= ?"); parameters.append(from) }
            if let to = filter.to.flatMap(DateText.dayNumber) { conditions.append("r.day <= ?"); parameters.append(to) }
            let answerColumns = questions.indices.map { ", a\($0).value AS answer\($0)" }.joined()
            let joins = questions.indices.map {
                " LEFT JOIN answers AS a\($0) ON a\($0).response_id = r.response_id AND a\($0).question_id = ? AND a\($0).ordinal = 0"
            }.joined()
            var labels: [Int64: String] = [:]
            try db.prepare("SELECT id, text FROM analysis_labels").forEach { labels[$0.int64(at: 0)] = $0.value(at: 1).string ?? "" }
            var lastVersion: Int64 = .min
            var slot = -1
            let sql = """
                SELECT r.version_id, r.states, r.stage, r.channel, r.repeat_victim, r.vulnerable, r.days_to_first_action, r.borough\(answerColumns)
                FROM analysis_responses AS r NOT INDEXED\(joins) WHERE \(conditions.joined(separator: " AND "))
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
                                          borough: row.isNull(at: 7) ? "(not recorded)" : labels[row.int64(at: 7)] ?? "(not recorded)",
                                          answers: questions.indices.map { row.value(at: 8 + $0).string ?? "" })
                var cell = result[pattern] ?? (0, 0)
                cell.trials += 1
                if state == .satisfied { cell.successes += 1 }
                result[pattern] = cell
            }
            return result
        }
    }
}
