import Statistics
import SurveyEngine
import SurveyStore

/// One period of a trend: the period's own figure, the rolling figure ending with it, and changes
/// against the previous period and the same period a year before (pooled two-proportion tests).
public struct TrendRow: Equatable, Sendable {
    public var measure: String
    public var period: String
    public var current: MeasureRow
    public var rolling: MeasureRow
    public var changeFromPrevious: Double?
    public var pPrevious: Double?
    public var changeFromYearBefore: Double?
    public var pYearBefore: Double?
}

/// Builds month or quarter trends from stored answers.
public struct TrendCalculator {
    let calculator: MeasureCalculator

    public init(calculator: MeasureCalculator) { self.calculator = calculator }

    /// Trend rows per measure; `rollingPeriods` months (or quarters) make the rolling figure,
    /// and a year back is 12 months or 4 quarters.
    public func rows(measures: [Measure], grouping: ResponseGrouping, rollingPeriods: Int, filter: ResponseFilter) throws(InsightError) -> [TrendRow] {
        let yearBack = grouping == .quarter ? 4 : 12
        var result: [TrendRow] = []
        let allCounts = try calculator.counts(for: measures, grouping: grouping, filter: filter)
        for measure in measures {
            let counts = allCounts[measure.id] ?? []
            let byPeriod = Dictionary(uniqueKeysWithValues: counts.map { ($0.group, $0) })
            let periods = Self.periods(from: counts.first?.group, to: counts.last?.group, quarterly: grouping == .quarter)
            var measureRows: [TrendRow] = []
            for (index, period) in periods.enumerated() {
                let count = byPeriod[period] ?? GroupCount(group: period, n: 0, satisfied: 0)
                let window = periods[max(0, index - rollingPeriods + 1)...index].compactMap { byPeriod[$0] }
                let rollingCount = window.reduce(GroupCount(group: period, n: 0, satisfied: 0)) { sum, next in
                    GroupCount(group: period, n: sum.n + next.n, satisfied: sum.satisfied + next.satisfied,
                               sumOfWeights: add(sum.sumOfWeights, next.sumOfWeights),
                               sumOfSquaredWeights: add(sum.sumOfSquaredWeights, next.sumOfSquaredWeights),
                               weightedSatisfied: add(sum.weightedSatisfied, next.weightedSatisfied))
                }
                measureRows.append(TrendRow(measure: measure.id, period: period,
                                            current: try calculator.row(measure: measure, count: count),
                                            rolling: try calculator.row(measure: measure, count: rollingCount)))
            }
            for index in measureRows.indices {
                if index >= 1 {
                    (measureRows[index].changeFromPrevious, measureRows[index].pPrevious) = try Self.change(measureRows[index].current, measureRows[index - 1].current)
                }
                if index >= yearBack {
                    (measureRows[index].changeFromYearBefore, measureRows[index].pYearBefore) = try Self.change(measureRows[index].current, measureRows[index - yearBack].current)
                }
            }
            result += measureRows
        }
        return result
    }

    private func add(_ a: Double?, _ b: Double?) -> Double? {
        guard a != nil || b != nil else { return nil }
        return (a ?? 0) + (b ?? 0)
    }

    /// Difference and p-value between two periods, or nils when either is suppressed. Weighted rows
    /// are compared on their effective bases, like their intervals (pooled two-proportion z test).
    public static func change(_ now: MeasureRow, _ before: MeasureRow) throws(InsightError) -> (Double?, Double?) {
        guard let p1 = now.proportion, let n1 = now.effectiveN ?? now.n.map(Double.init),
              let p2 = before.proportion, let n2 = before.effectiveN ?? before.n.map(Double.init) else { return (nil, nil) }
        do {
            let test = try ProportionTests.twoProportion(x1: p1 * n1, n1: n1, x2: p2 * n2, n2: n2)
            return (p1 - p2, test.pValue)
        } catch {
            throw .statistics("\(error)")
        }
    }

    /// Every month (`YYYY-MM`) or quarter (`YYYY-Qn`) from the first to the last, so gaps show as empty periods.
    static func periods(from first: String?, to last: String?, quarterly: Bool) -> [String] {
        guard let first, let last, let start = parse(first, quarterly), let end = parse(last, quarterly), start <= end else { return [] }
        let perYear = quarterly ? 4 : 12
        return (start...end).map { index in
            let year = index / perYear, part = index % perYear + 1
            return quarterly ? "\(year)-Q\(part)" : "\(year)-\(part < 10 ? "0" : "")\(part)"
        }
    }

    private static func parse(_ period: String, _ quarterly: Bool) -> Int? {
        let parts = period.split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]) else { return nil }
        if quarterly {
            guard parts[1].hasPrefix("Q"), let q = Int(parts[1].dropFirst()), (1...4).contains(q) else { return nil }
            return year * 4 + q - 1
        }
        guard let month = Int(parts[1]), (1...12).contains(month) else { return nil }
        return year * 12 + month - 1
    }
}
