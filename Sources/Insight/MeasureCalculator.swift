import Statistics
import SurveyEngine
import SurveyStore

/// Turns stored answers into measure rows: counts → proportion, interval, test against the
/// baseline, Benjamini–Hochberg across the groups of each measure, verdict, disclosure control.
public struct MeasureCalculator {
    /// The databases read together (a force's own, or several forces' for a region): their
    /// counts are added, so the figures are exactly those of one database holding them all.
    public let stores: [SurveyStore]
    public let questionnaire: Questionnaire
    public let options: MeasureOptions

    public init(store: SurveyStore, questionnaire: Questionnaire, options: MeasureOptions) {
        self.init(stores: [store], questionnaire: questionnaire, options: options)
    }

    public init(stores: [SurveyStore], questionnaire: Questionnaire, options: MeasureOptions) {
        self.stores = stores
        self.questionnaire = questionnaire
        self.options = options
    }

    /// The latest completion date over every database, `YYYY-MM-DD`.
    public func latestCompletionDate() throws(InsightError) -> String? {
        var latest: String?
        for store in stores {
            let date: String?
            do { date = try store.latestCompletionDate(questionnaireID: questionnaire.id) } catch { throw .store("\(error)") }
            if let date, date > (latest ?? "") { latest = date }
        }
        return latest
    }

    /// The measures named by `ids` (all when empty), or an error naming the unknown one.
    public func selectMeasures(_ ids: [String]) throws(InsightError) -> [Measure] {
        guard !questionnaire.measures.isEmpty else { throw .noMeasures(questionnaire: questionnaire.id) }
        if ids.isEmpty { return questionnaire.measures }
        var selected: [Measure] = []
        for id in ids {
            guard let measure = questionnaire.measures.first(where: { $0.id == id }) else {
                throw .unknownMeasure(id, available: questionnaire.measures.map(\.id))
            }
            selected.append(measure)
        }
        return selected
    }

    /// Rows for each measure and group.
    public func rows(measures: [Measure], grouping: ResponseGrouping, filter: ResponseFilter) throws(InsightError) -> [MeasureRow] {
        try rows(measures: measures, counts: try counts(for: measures, grouping: grouping, filter: filter))
    }

    /// Rows for each measure from counts already read (`counts(for:grouping:filter:)`), so a
    /// caller that needs the counts too reads the table once.
    public func rows(measures: [Measure], counts allCounts: [String: [GroupCount]]) throws(InsightError) -> [MeasureRow] {
        var rows: [MeasureRow] = []
        for measure in measures {
            var measureRows: [MeasureRow] = []
            for count in allCounts[measure.id] ?? [] { measureRows.append(try row(measure: measure, count: count)) }
            rows.append(contentsOf: adjust(measureRows))
        }
        return rows
    }

    /// The stored counts of each measure, by measure id, read in one pass over each database's
    /// analysis table and added group by group.
    public func counts(for measures: [Measure], grouping: ResponseGrouping, filter: ResponseFilter) throws(InsightError) -> [String: [GroupCount]] {
        var combined: [String: [GroupCount]] = [:]
        for store in stores {
            let counts: [String: [GroupCount]]
            do {
                counts = try store.measureCounts(questionnaireID: questionnaire.id, measureIDs: measures.map(\.id), grouping: grouping,
                                                 filter: filter, weighted: options.weighted)
            } catch {
                throw .store("\(error)")
            }
            combined.merge(counts) { Self.add($0, $1) }
        }
        return combined
    }

    /// Two databases' counts of one measure, added group by group, in group order.
    static func add(_ a: [GroupCount], _ b: [GroupCount]) -> [GroupCount] {
        var byGroup = Dictionary(uniqueKeysWithValues: a.map { ($0.group, $0) })
        for count in b {
            guard let existing = byGroup[count.group] else { byGroup[count.group] = count; continue }
            func sum(_ x: Double?, _ y: Double?) -> Double? { x == nil && y == nil ? nil : (x ?? 0) + (y ?? 0) }
            byGroup[count.group] = GroupCount(group: count.group, n: existing.n + count.n, satisfied: existing.satisfied + count.satisfied,
                                              sumOfWeights: sum(existing.sumOfWeights, count.sumOfWeights),
                                              sumOfSquaredWeights: sum(existing.sumOfSquaredWeights, count.sumOfSquaredWeights),
                                              weightedSatisfied: sum(existing.weightedSatisfied, count.weightedSatisfied))
        }
        return byGroup.values.sorted { $0.group < $1.group }
    }

    /// One row from one group's counts.
    public func row(measure: Measure, count: GroupCount) throws(InsightError) -> MeasureRow {
        try Self.row(measure: measure, count: count, options: options)
    }

    /// One row from counts, without a store: proportion, interval, baseline test and disclosure control.
    public static func row(measure: Measure, count: GroupCount, options: MeasureOptions) throws(InsightError) -> MeasureRow {
        let baseline = options.baselines[measure.id] ?? measure.baseline
        var row = MeasureRow(measure: measure.id, measureLabel: measure.label.text(), group: count.group, n: count.n,
                             satisfied: count.satisfied, baseline: baseline, suppressed: count.n < options.suppressBelow,
                             smallBase: count.n < options.smallBaseBelow)
        if row.suppressed {
            row.n = nil
            row.satisfied = nil
            return row
        }
        do {
            var successes = Double(count.satisfied), n = Double(count.n)
            var weighted: WeightedProportion?
            if options.weighted, let sw = count.sumOfWeights, let sw2 = count.sumOfSquaredWeights, let sy = count.weightedSatisfied {
                let proportion = try WeightedProportion(weightedSuccesses: sy, sumOfWeights: sw, sumOfSquaredWeights: sw2, n: count.n)
                row.effectiveN = proportion.effectiveN
                row.designEffect = proportion.designEffect
                n = proportion.effectiveN
                successes = proportion.proportion * n
                weighted = proportion
            }
            let interval = try ProportionInterval.compute(successes: successes, n: n, level: options.level, method: options.method)
            row.proportion = successes / n
            row.lower = interval.lower
            row.upper = interval.upper
            if let baseline, baseline > 0, baseline < 1 {
                let test = try weighted?.testAgainst(baseline: baseline) ?? ProportionTests.againstBaseline(successes: successes, n: n, p0: baseline)
                row.difference = successes / n - baseline
                row.pValue = test.pValue
                row.test = test.method.rawValue
            }
        } catch {
            throw .statistics("\(measure.id), \(count.group): \(error)")
        }
        return row
    }

    /// One figure on its own (a published percentage checked with `stats proportion`): the row
    /// with its verdict. With a single test there is nothing to adjust for, so the adjusted
    /// p-value is the p-value itself.
    public static func single(measure: Measure, count: GroupCount, options: MeasureOptions) throws(InsightError) -> MeasureRow {
        var row = try Self.row(measure: measure, count: count, options: options)
        if let p = row.pValue {
            row.pAdjusted = p
            row.verdict = verdict(pAdjusted: p, difference: row.difference ?? 0, level: options.level)
        }
        return row
    }

    /// Adds BH-adjusted p-values across the rows of one measure, and the verdicts they support.
    func adjust(_ rows: [MeasureRow]) -> [MeasureRow] {
        let tested = rows.indices.filter { rows[$0].pValue != nil }
        let adjusted = MultipleComparisons.benjaminiHochberg(tested.map { rows[$0].pValue! })
        var result = rows
        for (offset, index) in tested.enumerated() {
            result[index].pAdjusted = adjusted[offset]
            result[index].verdict = Self.verdict(pAdjusted: adjusted[offset], difference: result[index].difference ?? 0, level: options.level)
        }
        return result
    }

    /// "significantly below/above" when the adjusted p-value is under 1 − level, else "broadly in line with".
    public static func verdict(pAdjusted: Double, difference: Double, level: Double) -> Verdict {
        guard pAdjusted < 1 - level else { return .inLine }
        return difference < 0 ? .below : .above
    }
}
