import Insight
import Statistics
import SurveyStore

/// Whom a report is about: one borough, or every borough together.
public enum ReportScope: Equatable, Sendable {
    case all
    case borough(String)

    public var name: String {
        switch self {
        case .all: return "All boroughs"
        case .borough(let name): return name
        }
    }

    public var borough: String? {
        if case .borough(let name) = self { return name }
        return nil
    }
}

/// One headline measure in a report: the scope's figure for the period and a year before, the
/// change between them, every borough's figure (for the funnel plot) and the quarterly trend.
public struct MeasureFinding: Sendable {
    public var id: String
    public var label: String
    public var baseline: Double?
    public var baselineSource: String?
    /// The scope's figure for the period, tested alone against the baseline.
    public var current: MeasureRow
    public var yearBefore: MeasureRow
    /// Current − year before, and the two-proportion test's p-value (nil when either is suppressed).
    public var change: Double?
    public var changeP: Double?
    /// Every borough for the period (Benjamini–Hochberg across them).
    public var boroughs: [MeasureRow]
    /// The last 8 quarters to the period's end, rolling over 4 quarters (12 months).
    public var trend: [TrendRow]
    /// The sentence the report opens with.
    public var headline: String
}

/// Satisfaction by one case attribute: every measure by category, and the test of association.
public struct OutcomeSection: Sendable {
    public var grouping: ResponseGrouping
    public var title: String
    public var rows: [MeasureRow]
    /// The chi-square test of each measure against the categories, by measure id.
    public var tests: [String: AssociationTest]
}

/// Everything an inspection-readiness report says, computed once and written as HTML,
/// Markdown or JSON.
public struct InspectionReport: Sendable {
    public var questionnaireID: String
    public var questionnaireTitle: String
    public var scope: ReportScope
    public var period: ReportPeriod
    /// When the report was made (an ISO timestamp, from the injected clock).
    public var producedAt: String
    public var method: ProportionInterval.Method
    public var level: Double
    public var suppressBelow: Int
    public var smallBaseBelow: Int
    public var weighted: Bool
    public var overdispersion: Bool
    public var findings: [MeasureFinding]
    public var outcomes: [OutcomeSection]
    /// A borough's wards for the period, every measure (Benjamini–Hochberg across the wards);
    /// empty for a report on every borough.
    public var wards: [MeasureRow]
    public var responseRates: InvitationOutcomes
    public var versions: [VersionCount]
    /// The areas for improvement, in plain words.
    public var improvements: [String]
}

extension InspectionReport {
    /// What the wards table shows, in words (the same in every format).
    var wardsNote: String {
        "Victims' satisfaction by the ward of their response. Each figure is tested against its baseline, adjusted for testing many wards (Benjamini–Hochberg): “below” and “above” mark a ward significantly below or above it. "
            + "Ward bases are small: a figure on fewer than \(suppressBelow) respondents is suppressed, and one on fewer than \(smallBaseBelow) is an estimate to read with care."
    }

    /// The groups of `rows` in the order they first appear.
    static func categories(_ rows: [MeasureRow]) -> [String] {
        var seen: Set<String> = [], categories: [String] = []
        for row in rows where seen.insert(row.group).inserted { categories.append(row.group) }
        return categories
    }

    /// One cell of a group × measure table: "52% (n 412)", the suppression in words, and with
    /// `verdicts` ", below" or ", above" where the figure is significantly below or above its
    /// baseline.
    func categoryCell(_ rows: [MeasureRow], group: String, measure: String, verdicts: Bool) -> String {
        guard let row = rows.first(where: { $0.measure == measure && $0.group == group }) else { return "fewer than \(suppressBelow)" }
        let text = Self.cellText(row, suppressBelow: suppressBelow)
        guard verdicts, !row.suppressed, let verdict = row.verdict, verdict != .inLine else { return text }
        return "\(text), \(verdict == .below ? "below" : "above")"
    }
}
