import Foundation
import SQLite

/// How responses are grouped when answers are counted.
public enum ResponseGrouping: String, CaseIterable, Sendable {
    case all, borough, ward, month, quarter, mode
    /// Case attributes, through the response's invitation (only responses with a case count).
    case stage, outcome, channel, `repeat`, vulnerable, caseReview = "case-review"
    /// Whether the victim's complaints in six months reach the Case Review threshold
    /// (`ResponseFilter.caseReviewThreshold`).
    case caseReviewEligible = "case-review-eligible"

    /// The groupings by an attribute of the response's case.
    public static let caseGroupings: [ResponseGrouping] = [.stage, .outcome, .channel, .repeat, .vulnerable, .caseReview, .caseReviewEligible]

    /// The groupings `measures` and `trend` offer.
    public static let responseGroupings: [ResponseGrouping] = [.all, .borough, .ward, .month, .quarter, .mode]

    public var isCaseAttribute: Bool { Self.caseGroupings.contains(self) }
}

/// Which responses count.
public struct ResponseFilter: Sendable {
    /// Inclusive start date `YYYY-MM-DD`.
    public var from: String?
    /// Inclusive end date `YYYY-MM-DD`.
    public var to: String?
    public var includePartial: Bool
    /// Only responses that reach a case through their invitation (always so for case groupings).
    public var withCaseOnly = false
    /// Only the N calendar months ending with the month of the latest response (as `--rolling`
    /// without `--to`), found in the same pass as the counts.
    public var latestMonths: Int?
    /// Complaints in the window from which a victim may ask for an ASB Case Review (3 by law).
    public var caseReviewThreshold = 3
    /// The span those complaints are counted in: six months reads the export's `complaints_6m`;
    /// any other counts the most dated complaints (`complaint` case events) within one span.
    public var caseReviewWindow = CaseReviewWindow.sixMonths
    /// Only victims at or over the Case Review threshold.
    public var caseReviewEligibleOnly = false
    /// Only responses from this borough (as the analysis table names it).
    public var borough: String?

    public init(from: String? = nil, to: String? = nil, includePartial: Bool = false) {
        self.from = from
        self.to = to
        self.includePartial = includePartial
    }
}

/// Counts of one question's answers in one group: the base and those in the "satisfied" codes.
public struct GroupCount: Equatable, Sendable {
    public var group: String
    public var n: Int
    public var satisfied: Int
    /// Σw, Σw² and Σw·satisfied when weights were requested (rows without a weight count as 1).
    public var sumOfWeights: Double?
    public var sumOfSquaredWeights: Double?
    public var weightedSatisfied: Double?

    public init(group: String, n: Int, satisfied: Int, sumOfWeights: Double? = nil,
                sumOfSquaredWeights: Double? = nil, weightedSatisfied: Double? = nil) {
        self.group = group
        self.n = n
        self.satisfied = satisfied
        self.sumOfWeights = sumOfWeights
        self.sumOfSquaredWeights = sumOfSquaredWeights
        self.weightedSatisfied = weightedSatisfied
    }
}
