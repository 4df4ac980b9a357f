/// A headline measure: the share of respondents satisfied on one scale question,
/// compared with a national baseline.
public struct Measure: Equatable, Sendable {
    public var id: String
    public var label: LocalizedText
    /// The `scale` question the measure reads.
    public var questionID: String
    /// Choice codes that count as satisfied (e.g. very + fairly satisfied).
    public var satisfiedCodes: [String]
    /// National baseline as a fraction 0–1, if known.
    public var baseline: Double?
    /// Where the baseline comes from (survey, year).
    public var baselineSource: String?

    public init(id: String, label: LocalizedText, questionID: String, satisfiedCodes: [String],
                baseline: Double? = nil, baselineSource: String? = nil) {
        self.id = id
        self.label = label
        self.questionID = questionID
        self.satisfiedCodes = satisfiedCodes
        self.baseline = baseline
        self.baselineSource = baselineSource
    }
}
