import Insight

/// Writes the report's sentences in the inspectorate's style from the figures: the headline per
/// measure, and the areas for improvement. A change is mentioned only when it is significant;
/// "an estimated" marks a figure that is not clearly different from the baseline or rests on a
/// small base, where the estimate is what the reader should weigh.
public struct HeadlineWriter {
    /// Who answered, as the sentences name them ("victims").
    public var respondents: String
    public var suppressBelow: Int
    public var significance: Double

    public init(respondents: String = "victims", suppressBelow: Int = 10, significance: Double = 0.05) {
        self.respondents = respondents
        self.suppressBelow = suppressBelow
        self.significance = significance
    }

    /// "satisfied with how police deal with ASB in the local area" from the measure's label, so
    /// the sentence reads "…of victims were satisfied with…".
    public static func finding(_ label: String) -> String {
        let lowered = label.prefix(1).lowercased() + label.dropFirst()
        return lowered.hasPrefix("satisfied") ? lowered : "satisfied (\(lowered))"
    }

    /// The name of the baseline's population from its source ("England and Wales" when the
    /// source says so, else "national").
    public static func baselineName(_ source: String?) -> String {
        source?.contains("England and Wales") == true ? "England and Wales" : "national"
    }

    /// The headline sentence for one measure.
    /// Below: "43% (±4.9) of victims were satisfied with …, significantly below the England and
    /// Wales figure of 55%." In line: "An estimated 56% (±4.8) … broadly in line with …".
    public func headline(label: String, row: MeasureRow, baselineSource: String?, yearBefore: MeasureRow?, change: Double?, changeP: Double?) -> String {
        let what = Self.finding(label)
        guard !row.suppressed, let p = row.proportion, let n = row.n else {
            return "Fewer than \(suppressBelow) \(respondents) answered whether they were \(what): too few to publish a figure."
        }
        let margin = row.lower.flatMap { l in row.upper.map { " (±\(ReportText.margin(lower: l, upper: $0)))" } } ?? ""
        let estimated = row.smallBase || row.verdict == .inLine || row.verdict == nil
        var sentence = "\(estimated ? "An estimated " : "")\(ReportText.percent(p))\(margin) of \(respondents) were \(what)"
        if let baseline = row.baseline, let verdict = row.verdict {
            sentence += ", \(verdict.rawValue) the \(Self.baselineName(baselineSource)) figure of \(ReportText.percent(baseline))"
        }
        sentence += "."
        if row.smallBase { sentence += " The estimate rests on only \(n) \(respondents), so treat it with caution." }
        if let change, let changeP, changeP < significance, let before = yearBefore?.proportion {
            sentence += " This is a significant \(change < 0 ? "fall" : "rise") from \(ReportText.percent(before)) a year before."
        }
        return sentence
    }

    /// The areas for improvement for one measure: below the baseline, or worse than a year before.
    public func improvements(label: String, row: MeasureRow, baselineSource: String?, yearBefore: MeasureRow?, change: Double?, changeP: Double?) -> [String] {
        guard !row.suppressed, let p = row.proportion else { return [] }
        var items: [String] = []
        let what = Self.finding(label)
        if row.verdict == .below, let baseline = row.baseline {
            items.append("Fewer \(respondents) were \(what) (\(ReportText.percent(p))) than across \(Self.baselineName(baselineSource) == "national" ? "the nation" : "England and Wales") (\(ReportText.percent(baseline))): a significant gap of \(ReportText.magnitude(p - baseline)).")
        }
        if let change, let changeP, changeP < significance, change < 0, let before = yearBefore?.proportion {
            items.append("The share of \(respondents) \(what) fell significantly, from \(ReportText.percent(before)) to \(ReportText.percent(p)), against the same period a year before.")
        }
        return items
    }

    /// A gap between a group of victims and the others that is significant, said as an area for
    /// improvement ("Repeat victims were less satisfied … (38% against 52%)").
    public func groupGap(group: String, others: String, label: String, groupRow: MeasureRow, othersRow: MeasureRow, pValue: Double?) -> String? {
        guard let p1 = groupRow.proportion, let p2 = othersRow.proportion, !groupRow.suppressed, !othersRow.suppressed,
              let pValue, pValue < significance, p1 < p2 else { return nil }
        return "\(group.prefix(1).uppercased() + group.dropFirst()) were significantly less often \(Self.finding(label)) than \(others) (\(ReportText.percent(p1)) against \(ReportText.percent(p2)))."
    }
}
