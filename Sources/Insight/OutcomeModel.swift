import Statistics
import SurveyStore

/// A logistic regression of "satisfied" on what happened on the case: highest stage (against
/// "none"), repeat victim, vulnerable victim, channel (against phone-101), days to first action,
/// the borough as a fixed effect when asked, and the answers to questions it is asked to adjust
/// for (each a categorical term against its first choice). Fitted by IRLS on the covariate patterns of
/// every database read (`LogisticRegression`). Sparse categories (fewer than `minimumCases`
/// responses, or fewer than 5 satisfied or not satisfied) are merged, and each merge is reported;
/// a term with no variation is left out and reported; never dropped silently.
public struct OutcomeModel: Sendable {
    /// One term: its odds ratio with the Wald interval and p-value.
    public struct Row: Equatable, Sendable {
        public var term: String
        public var coefficient: Double
        public var standardError: Double
        public var oddsRatio: Double
        public var lower: Double
        public var upper: Double
        public var pValue: Double
    }

    /// A single-choice question whose answer the model adjusts for: a categorical term against
    /// the first of `codes` (the questionnaire's order) that has enough responses.
    public struct Adjustment: Equatable, Sendable {
        public var questionID: String
        public var codes: [String]

        public init(questionID: String, codes: [String]) {
            self.questionID = questionID
            self.codes = codes
        }
    }

    public var rows: [Row]
    /// What was merged, left out or assumed, in words.
    public var notes: [String]
    /// Responses and distinct covariate patterns fitted.
    public var responses: Int
    public var patterns: Int

    /// Fits the model to `patterns`. Throws naming the term on separation.
    /// `adjustments` are in the order of each pattern's `answers`.
    public static func fit(_ patterns: [CasePattern: (successes: Int, trials: Int)], boroughEffects: Bool, adjustments: [Adjustment] = [],
                           level: Double = 0.95, minimumCases: Int = 30) throws(InsightError) -> OutcomeModel {
        var notes: [String] = []
        var cells = patterns
        // Days to first action: only where cases have events; rows without are left out if some have it.
        let withDays = cells.filter { $0.key.daysToFirstAction != nil }
        let useDays = !withDays.isEmpty
        if !useDays {
            notes.append("days to first action left out: no case has events (import cases with --events)")
        } else if withDays.count < cells.count {
            let dropped = cells.filter { $0.key.daysToFirstAction == nil }.reduce(0) { $0 + $1.value.trials }
            notes.append("\(dropped) responses whose cases have no events are left out of the model (days to first action unknown)")
            cells = withDays
        }
        func totals<K: Hashable>(_ key: (CasePattern) -> K) -> [K: (successes: Int, trials: Int)] {
            var result: [K: (successes: Int, trials: Int)] = [:]
            for (pattern, cell) in cells {
                result[key(pattern), default: (0, 0)].successes += cell.successes
                result[key(pattern), default: (0, 0)].trials += cell.trials
            }
            return result
        }
        func sparse(_ cell: (successes: Int, trials: Int)?) -> Bool {
            guard let cell else { return true }
            return cell.trials < minimumCases || cell.successes < 5 || cell.trials - cell.successes < 5
        }
        // Stages: each sparse rung joins the rung below it (none stays the reference).
        let stageTotals = totals { $0.stage }
        var stageLevel: [EscalationStage: String] = [:]
        var current = EscalationStage.none.rawValue
        var running: (successes: Int, trials: Int) = (0, 0)
        var merged: [String: [String]] = [:]
        for stage in EscalationStage.allCases {
            guard let cell = stageTotals[stage] else { continue }
            if stage == .none || !sparse(cell) && !sparse(running) {
                current = stage.rawValue
                running = cell
            } else {
                running.successes += cell.successes
                running.trials += cell.trials
                merged[current, default: [current]].append(stage.rawValue)
            }
            stageLevel[stage] = current
        }
        for (level, members) in merged.sorted(by: { $0.key < $1.key }) {
            notes.append("stages \(members.joined(separator: ", ")) merged as \(level) (fewer than \(minimumCases) responses, or fewer than 5 satisfied or not)")
        }
        // Channels: sparse ones join "other".
        let channelTotals = totals { $0.channel }
        var channelLevel: [CaseChannel: String] = [:]
        for channel in CaseChannel.allCases {
            channelLevel[channel] = channel != .phone101 && sparse(channelTotals[channel]) ? CaseChannel.other.rawValue : channel.rawValue
        }
        let mergedChannels = CaseChannel.allCases.filter { channelTotals[$0] != nil && channelLevel[$0] != $0.rawValue }.map(\.rawValue)
        if !mergedChannels.isEmpty { notes.append("channels \(mergedChannels.joined(separator: ", ")) merged into other (sparse)") }

        // Answers adjusted for: the first choice with enough responses is the reference; sparse
        // answers (and no answer, when sparse) are pooled, and the pool joins the reference if it
        // is sparse too.
        var answerLevels: [[String: String]] = [], answerTerms: [[String]] = []
        for (index, adjustment) in adjustments.enumerated() {
            let answerTotals = totals { $0.answers.indices.contains(index) ? $0.answers[index] : "" }
            let order = adjustment.codes + answerTotals.keys.filter { !adjustment.codes.contains($0) }.sorted()
            let present = order.filter { answerTotals[$0] != nil }
            let name = { (code: String) in code.isEmpty ? "(no answer)" : code }
            guard let reference = present.first(where: { !sparse(answerTotals[$0]) }) else {
                notes.append("\(adjustment.questionID) left out: no answer has \(minimumCases) responses with 5 satisfied and 5 not")
                answerLevels.append([:]); answerTerms.append([])
                continue
            }
            let sparseCodes = present.filter { sparse(answerTotals[$0]) }
            var pooled: (successes: Int, trials: Int) = (0, 0)
            for code in sparseCodes { pooled.successes += answerTotals[code]!.successes; pooled.trials += answerTotals[code]!.trials }
            let pool = sparse(pooled) ? reference : "(other answers)"
            var levels: [String: String] = [:]
            for code in present { levels[code] = sparseCodes.contains(code) ? pool : code }
            if !sparseCodes.isEmpty {
                notes.append("\(adjustment.questionID): \(sparseCodes.map(name).joined(separator: ", ")) merged \(pool == reference ? "with \(name(reference))" : "as other answers") (sparse)")
            }
            let terms = present.filter { $0 != reference && levels[$0] == $0 } + (pool != reference ? [pool] : [])
            if terms.isEmpty { notes.append("\(adjustment.questionID) left out: every response in the base has the same answer") }
            answerLevels.append(levels)
            answerTerms.append(terms)
            notes.append("\(adjustment.questionID) adjusted for, against \(name(reference))")
        }

        // Columns: intercept, stage dummies, repeat, vulnerable, channel dummies, days, answers, boroughs.
        var names = ["intercept"]
        let stageLevels = EscalationStage.allCases.map(\.rawValue).filter { level in level != EscalationStage.none.rawValue && stageLevel.values.contains(level) }
        names += stageLevels.map { "stage: \($0)" }
        let repeatTotals = totals { $0.repeatVictim }, vulnerableTotals = totals { $0.vulnerable }
        let useRepeat = repeatTotals.count == 2, useVulnerable = vulnerableTotals.count == 2
        if useRepeat { names.append("repeat victim") } else { notes.append("repeat victim left out: every case has the same value") }
        if useVulnerable { names.append("vulnerable victim") } else { notes.append("vulnerable victim left out: every case has the same value") }
        let presentChannels = Set(cells.keys.compactMap { channelLevel[$0.channel] })
        let channelLevels = CaseChannel.allCases.map(\.rawValue).filter { $0 != CaseChannel.phone101.rawValue && presentChannels.contains($0) }
        names += channelLevels.map { "channel: \($0)" }
        if useDays { names.append("days to first action") }
        for (index, adjustment) in adjustments.enumerated() {
            names += answerTerms[index].map { "\(adjustment.questionID): \($0.isEmpty ? "(no answer)" : $0)" }
        }
        let boroughs = boroughEffects ? Array(Set(cells.keys.map(\.borough))).sorted() : []
        if boroughEffects { names += boroughs.dropFirst().map { "borough: \($0)" } }
        if boroughEffects, let reference = boroughs.first { notes.append("borough as a fixed effect, against \(reference)") }
        notes.append("reference categories: stage none, channel phone-101, not a repeat victim, not vulnerable")

        var design: [[Double]] = [], successes: [Double] = [], trials: [Double] = []
        var rowsByKey: [[Double]: Int] = [:]
        for (pattern, cell) in cells {
            var x = [1.0]
            x += stageLevels.map { stageLevel[pattern.stage] == $0 ? 1 : 0 }
            if useRepeat { x.append(pattern.repeatVictim ? 1 : 0) }
            if useVulnerable { x.append(pattern.vulnerable ? 1 : 0) }
            x += channelLevels.map { channelLevel[pattern.channel] == $0 ? 1 : 0 }
            if useDays { x.append(Double(pattern.daysToFirstAction ?? 0)) }
            for index in adjustments.indices {
                let level = answerLevels[index][pattern.answers.indices.contains(index) ? pattern.answers[index] : ""]
                x += answerTerms[index].map { level == $0 ? 1 : 0 }
            }
            if boroughEffects { x += boroughs.dropFirst().map { pattern.borough == $0 ? 1 : 0 } }
            if let index = rowsByKey[x] {
                successes[index] += Double(cell.successes)
                trials[index] += Double(cell.trials)
            } else {
                rowsByKey[x] = design.count
                design.append(x)
                successes.append(Double(cell.successes))
                trials.append(Double(cell.trials))
            }
        }
        guard !design.isEmpty else { throw .statistics("no responses reach a case through their invitation; import cases and invite from them first") }
        let fit: LogisticRegression
        do {
            fit = try LogisticRegression.fit(design: design, names: names, successes: successes, trials: trials)
        } catch {
            throw .statistics("\(error)")
        }
        let rows = fit.terms.dropFirst().map { term in
            let interval = term.oddsRatioInterval(level: level)
            return Row(term: term.name, coefficient: term.coefficient, standardError: term.standardError, oddsRatio: term.oddsRatio,
                       lower: interval.lower, upper: interval.upper, pValue: term.pValue)
        }
        return OutcomeModel(rows: rows, notes: notes, responses: Int(trials.reduce(0, +)), patterns: design.count)
    }
}
