import Insight
import Statistics
import SurveyEngine
import SurveyStore

/// Gathers an inspection-readiness report's figures from one or more stores, through the same
/// calculators as `canvass measures`, `trend` and `outcomes`, so every number matches theirs.
public struct InspectionReportBuilder {
    let calculator: MeasureCalculator
    let questionnaire: Questionnaire
    let options: MeasureOptions

    public init(stores: [SurveyStore], questionnaire: Questionnaire, options: MeasureOptions) {
        self.init(calculator: MeasureCalculator(stores: stores, questionnaire: questionnaire, options: options))
    }

    /// A builder reading through `calculator`: its stores, questionnaire and options (baselines included).
    public init(calculator: MeasureCalculator) {
        self.calculator = calculator
        self.questionnaire = calculator.questionnaire
        self.options = calculator.options
    }

    /// The case attributes the report breaks satisfaction down by, with their headings.
    static let outcomeGroupings: [(ResponseGrouping, String)] = [
        (.stage, "Highest stage reached on the escalation ladder"),
        (.repeat, "Repeat victims and others"),
        (.vulnerable, "Vulnerable victims and others"),
        (.caseReview, "ASB Case Review"),
        (.caseReviewEligible, "Victims who could ask for a Case Review"),
    ]

    /// Builds the report for `scope` over `period` (the 12 months to the latest response when nil).
    public func build(scope: ReportScope, period: ReportPeriod?, overdispersion: Bool, producedAt: String) throws(ReportError) -> InspectionReport {
        do {
            return try make(scope: scope, period: period, overdispersion: overdispersion, producedAt: producedAt)
        } catch let error as ReportError {
            throw error
        } catch {
            throw .insight("\(error)")
        }
    }

    private func make(scope: ReportScope, period requested: ReportPeriod?, overdispersion: Bool, producedAt: String) throws -> InspectionReport {
        let measures = try calculator.selectMeasures([])
        guard let latest = try calculator.latestCompletionDate() else { throw ReportError.noResponses(questionnaire: questionnaire.id) }
        let period = requested ?? ReportPeriod.twelveMonths(endingWith: latest)!
        var filter = ResponseFilter(from: period.from, to: period.to)
        let comparisonCounts = try calculator.counts(for: measures, grouping: .borough, filter: filter)
        if let borough = scope.borough {
            let known = Set(comparisonCounts.values.flatMap { $0.map(\.group) })
            if !known.contains(borough) {
                // Known in another period? Then the period is empty for it, which the report says.
                let all = try calculator.counts(for: [measures[0]], grouping: .borough, filter: ResponseFilter())
                let everKnown = (all[measures[0].id] ?? []).map(\.group)
                if !everKnown.contains(borough) { throw ReportError.unknownBorough(borough, known: everKnown) }
            }
        }
        filter.borough = scope.borough
        let comparison = try calculator.rows(measures: measures, counts: comparisonCounts)
        let currentCounts = try calculator.counts(for: measures, grouping: .all, filter: filter)
        var before = ResponseFilter(from: period.yearBefore.from, to: period.yearBefore.to)
        before.borough = scope.borough
        let beforeCounts = try calculator.counts(for: measures, grouping: .all, filter: before)
        var trendFilter = ResponseFilter(from: period.quarterStart(back: 10), to: period.to)
        trendFilter.borough = scope.borough
        let trend = try TrendCalculator(calculator: calculator).rows(measures: measures, grouping: .quarter, rollingPeriods: 4, filter: trendFilter)
        let writer = HeadlineWriter(suppressBelow: options.suppressBelow, significance: 1 - options.level)
        var findings: [MeasureFinding] = []
        var improvements: [String] = []
        for measure in measures {
            func single(_ counts: [String: [GroupCount]]) throws -> MeasureRow {
                try MeasureCalculator.single(measure: measure, count: counts[measure.id]?.first ?? GroupCount(group: "all", n: 0, satisfied: 0), options: options)
            }
            var current = try single(currentCounts), yearBefore = try single(beforeCounts)
            current.group = scope.name
            yearBefore.group = scope.name
            let (change, changeP) = try TrendCalculator.change(current, yearBefore)
            let label = measure.label.text()
            let source = options.baselines[measure.id] == nil ? measure.baselineSource : nil
            findings.append(MeasureFinding(
                id: measure.id, label: label, baseline: current.baseline, baselineSource: source, current: current, yearBefore: yearBefore,
                change: change, changeP: changeP, boroughs: comparison.filter { $0.measure == measure.id },
                trend: Array(trend.filter { $0.measure == measure.id }.suffix(8)),
                headline: writer.headline(label: label, row: current, baselineSource: source, yearBefore: yearBefore, change: change, changeP: changeP)))
            improvements += writer.improvements(label: label, row: current, baselineSource: source, yearBefore: yearBefore, change: change, changeP: changeP)
        }
        var outcomes: [OutcomeSection] = []
        for (grouping, title) in Self.outcomeGroupings {
            let counts = try calculator.counts(for: measures, grouping: grouping, filter: filter)
            let rows = try calculator.rows(measures: measures, counts: counts)
            var tests: [String: AssociationTest] = [:]
            for measure in measures { tests[measure.id] = AssociationTest.compute(counts[measure.id] ?? [], ordered: grouping == .stage) }
            outcomes.append(OutcomeSection(grouping: grouping, title: title, rows: rows, tests: tests))
            if grouping == .repeat || grouping == .vulnerable {
                let (group, others) = grouping == .repeat ? ("repeat victims", "other victims") : ("vulnerable victims", "other victims")
                for measure in measures {
                    let measureRows = rows.filter { $0.measure == measure.id }
                    let yes = measureRows.first { $0.group == (grouping == .repeat ? "repeat victim" : "vulnerable victim") }
                    let no = measureRows.first { $0.group == (grouping == .repeat ? "not a repeat victim" : "not assessed vulnerable") }
                    if let yes, let no, let gap = writer.groupGap(group: group, others: others, label: measure.label.text(), groupRow: yes, othersRow: no,
                                                                  pValue: tests[measure.id]?.pValue) {
                        improvements.append(gap)
                    }
                }
            }
        }
        // A borough's wards, as `measures --by ward --borough` gives them.
        let wards = scope.borough == nil ? [] : try calculator.rows(measures: measures, counts: try calculator.counts(for: measures, grouping: .ward, filter: filter))
        let stores = calculator.stores
        var rates = InvitationOutcomes(invitations: 0, partial: 0, complete: 0)
        var versions: [Int: VersionCount] = [:]
        for store in stores {
            let outcome = try store.invitationOutcomes(questionnaireID: questionnaire.id, borough: scope.borough, closedFrom: period.from, closedTo: period.to)
            rates.invitations += outcome.invitations
            rates.partial += outcome.partial
            rates.complete += outcome.complete
            for count in try store.versionCounts(questionnaireID: questionnaire.id, filter: filter) {
                versions[count.version, default: VersionCount(version: count.version, declaredVersion: count.declaredVersion, responses: 0)].responses += count.responses
            }
        }
        return InspectionReport(
            questionnaireID: questionnaire.id, questionnaireTitle: questionnaire.title.text(), scope: scope, period: period, producedAt: producedAt,
            method: options.method, level: options.level, suppressBelow: options.suppressBelow, smallBaseBelow: options.smallBaseBelow,
            weighted: options.weighted, overdispersion: overdispersion, findings: findings, outcomes: outcomes, wards: wards, responseRates: rates,
            versions: versions.values.sorted { $0.version < $1.version }, improvements: improvements)
    }
}
