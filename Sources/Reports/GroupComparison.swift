import Insight

/// Measures side by side, one line per group (a borough comparison): each cell the proportion
/// and, where it differs significantly from the baseline, "below" or "above" in words, so the
/// table reads the same on a screen reader, in a log and in greyscale print.
public struct GroupComparison {
    public let rows: [MeasureRow]

    public init(rows: [MeasureRow]) { self.rows = rows }

    /// The measures in the order they first appear, with their labels and baselines.
    private var measures: [(id: String, label: String, baseline: Double?)] {
        var seen = Set<String>()
        return rows.compactMap { row in seen.insert(row.measure).inserted ? (row.measure, row.measureLabel, row.baseline) : nil }
    }

    /// The measures' ids and labels, for a key under the table.
    public func key() -> String {
        measures.map { "  \($0.id): \($0.label)\n" }.joined()
    }

    /// The plain-text table: a header line with each measure's id and baseline, then the groups.
    public func table() -> String {
        let measures = self.measures
        var groups: [String] = []
        var seen = Set<String>()
        for row in rows where seen.insert(row.group).inserted { groups.append(row.group) }
        let byKey = Dictionary(rows.map { ("\($0.measure)\u{0}\($0.group)", $0) }, uniquingKeysWith: { a, _ in a })
        // Measure ids as headings: the labels are sentences, too long for a column.
        var table = [["Group", "n"] + measures.map { m in m.baseline.map { "\(m.id) (\(MeasureReport.percent($0, decimals: 0)))" } ?? m.id }]
        for group in groups {
            let first = measures.compactMap { byKey["\($0.id)\u{0}\(group)"] }.first
            var line = [group, first?.n.map { "\($0)\(first?.smallBase == true ? "*" : "")" } ?? "<10"]
            for measure in measures {
                guard let row = byKey["\(measure.id)\u{0}\(group)"], let p = row.proportion, !row.suppressed else {
                    line.append("suppressed")
                    continue
                }
                let mark: String
                switch row.verdict {
                case .below?: mark = " below"
                case .above?: mark = " above"
                default: mark = ""
                }
                line.append(MeasureReport.percent(p) + mark)
            }
            table.append(line)
        }
        return TextTable.render(table, rightAligned: [1])
    }
}
