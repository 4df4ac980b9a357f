import Statistics

/// The inspectorate's words for a comparison with the national baseline.
public enum Verdict: String, Sendable {
    case below = "significantly below"
    case inLine = "broadly in line with"
    case above = "significantly above"
}

/// One measure in one group: the figures analysts and inspectors read.
public struct MeasureRow: Equatable, Sendable {
    public var measure: String
    public var measureLabel: String
    public var group: String
    /// The base: respondents who gave a substantive answer (nil when suppressed).
    public var n: Int?
    public var satisfied: Int?
    public var proportion: Double?
    public var lower: Double?
    public var upper: Double?
    public var baseline: Double?
    public var difference: Double?
    public var pValue: Double?
    public var pAdjusted: Double?
    public var test: String?
    public var verdict: Verdict?
    /// Fewer respondents than the publication threshold: figures withheld.
    public var suppressed: Bool
    /// Fewer than the small-base threshold: shown, but flagged.
    public var smallBase: Bool
    /// Kish effective base and design effect, when weighted.
    public var effectiveN: Double?
    public var designEffect: Double?
}

/// The options every measure calculation takes.
public struct MeasureOptions: Sendable {
    public var method: ProportionInterval.Method
    public var level: Double
    /// Cells with a base below this are suppressed (default 10).
    public var suppressBelow: Int
    /// Cells with a base below this are flagged as a small base (default 50).
    public var smallBaseBelow: Int
    public var weighted: Bool
    /// Baselines that override the questionnaire's, by measure id.
    public var baselines: [String: Double]

    public init(method: ProportionInterval.Method = .wilson, level: Double = 0.95, suppressBelow: Int = 10,
                smallBaseBelow: Int = 50, weighted: Bool = false, baselines: [String: Double] = [:]) {
        self.method = method
        self.level = level
        self.suppressBelow = suppressBelow
        self.smallBaseBelow = smallBaseBelow
        self.weighted = weighted
        self.baselines = baselines
    }
}
