import Insight

extension InspectionReport {
    /// The report as Markdown: the same sentences and tables as the HTML, without the charts
    /// (each chart's numbers are in its table).
    public func markdown() -> String {
        var out = "# \(Self.md(title))\n\nVictims' satisfaction for \(Self.md(period.label)) (\(period.from) to \(period.to)), from the questionnaire “\(Self.md(questionnaireTitle))”. Produced \(producedAt).\n\n"
        out += "## Headlines\n\n" + findings.map { "- \(Self.md($0.headline))\n" }.joined() + "\n"
        out += "## Areas for improvement\n\n"
        out += improvements.isEmpty ? "No headline measure is significantly below the baseline or significantly worse than a year before, and repeat and vulnerable victims are not significantly less satisfied than others.\n\n"
            : improvements.map { "- \(Self.md($0))\n" }.joined() + "\n"
        out += "## The measures against the baseline\n\n"
        for finding in findings {
            out += "### \(Self.md(finding.label))\n\n"
            out += table(heading: "Period", rows: [(period.label, finding.current), ("A year before", finding.yearBefore)])
            if let change = finding.change, let p = finding.changeP {
                out += "Change from a year before: \(ReportText.points(change)) (p = \(Self.pText(p))): \(p < 1 - level ? "significant" : "not significant").\n\n"
            }
        }
        out += "## All boroughs\n\n"
        for finding in findings {
            out += "### \(Self.md(finding.label))\n\n" + table(heading: "Borough", rows: finding.boroughs.map { ($0.group, $0) })
        }
        out += "## Trend over the last 8 quarters\n\n"
        for finding in findings {
            out += "### \(Self.md(finding.label))\n\n| Quarter | n | % satisfied | Interval | Rolling 12 months |\n|---|---:|---:|---:|---:|\n"
            for row in finding.trend {
                let cells = figureCells(row.current)
                out += "| \(row.period) | \(cells[0]) | \(cells[1]) | \(cells[2]) | \(row.rolling.suppressed ? "suppressed" : row.rolling.proportion.map { ReportText.percent($0) } ?? "") |\n"
            }
            out += "\n"
        }
        out += "## Case outcomes\n\n"
        for section in outcomes {
            out += "### \(Self.md(section.title))\n\n"
            guard !section.rows.isEmpty else {
                out += "No responses in this period reach a case record.\n\n"
                continue
            }
            out += groupTable(heading: "Category", rows: section.rows, verdicts: false)
            out += findings.compactMap { finding in section.tests[finding.id].map { "- \(Self.md(finding.label)): \(Self.md(Self.testText($0, level: level)))\n" } }.joined() + "\n"
        }
        if case .borough(let borough) = scope {
            out += "## Wards in \(Self.md(borough))\n\n" + (wards.isEmpty ? "No responses in this period record a ward.\n\n"
                : Self.md(wardsNote) + "\n\n" + groupTable(heading: "Ward", rows: wards, verdicts: true))
        }
        let r = responseRates
        out += "## Response rates and bases\n\n| Invitations | Partial | Complete | RR1 | RR2 |\n|---:|---:|---:|---:|---:|\n"
        out += "| \(r.invitations) | \(r.partial) | \(r.complete) | \(r.rr1.map { ReportText.percent($0, decimals: 1) } ?? "no invitations") | \(r.rr2.map { ReportText.percent($0, decimals: 1) } ?? "no invitations") |\n\n"
        out += "| Measure | Base |\n|---|---:|\n" + findings.map { "| \(Self.md($0.label)) | \($0.current.n.map(String.init) ?? "fewer than \(suppressBelow)") |\n" }.joined() + "\n"
        out += "## Method\n\n" + methodLines.map { "- \(Self.md($0))\n" }.joined()
        return out
    }

    /// A table of groups (rows) by measure (columns), each cell `categoryCell`.
    private func groupTable(heading: String, rows: [MeasureRow], verdicts: Bool) -> String {
        var out = "| \(heading) | " + findings.map { Self.md($0.label) }.joined(separator: " | ") + " |\n|---|" + String(repeating: "---:|", count: findings.count) + "\n"
        for group in Self.categories(rows) {
            let cells = findings.map { Self.md(categoryCell(rows, group: group, measure: $0.id, verdicts: verdicts)) }
            out += "| \(Self.md(group)) | " + cells.joined(separator: " | ") + " |\n"
        }
        return out + "\n"
    }

    private func figureCells(_ row: MeasureRow) -> [String] {
        guard !row.suppressed, let p = row.proportion, let n = row.n else { return ["fewer than \(suppressBelow)", "suppressed", ""] }
        let interval = row.lower.flatMap { l in row.upper.map { "\(ReportText.percent(l, decimals: 1))–\(ReportText.percent($0, decimals: 1))" } } ?? ""
        return ["\(n)\(row.smallBase ? " (small base)" : "")", ReportText.percent(p, decimals: 1), interval]
    }

    private func table(heading: String, rows: [(String, MeasureRow)]) -> String {
        var out = "| \(heading) | n | % satisfied | Interval | Against the baseline |\n|---|---:|---:|---:|---|\n"
        for (label, row) in rows {
            out += "| \(Self.md(label)) | " + figureCells(row).joined(separator: " | ") + " | \(row.suppressed ? "" : row.verdict?.rawValue ?? "") |\n"
        }
        return out + "\n"
    }

    /// Text made safe for Markdown: characters that would start markup or break a table are
    /// escaped with a backslash, line breaks become spaces, control characters U+FFFD.
    static func md(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\", "|", "*", "_", "`", "[", "]", "<", ">", "#": out += "\\\(character)"
            case "\n", "\r", "\r\n": out += " "
            default:
                // Control characters (escape sequences, bells) would reach a terminal or a page.
                if character.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" || (0x7F...0x9F).contains($0.value) }) {
                    out += "\u{FFFD}"
                } else {
                    out.append(character)
                }
            }
        }
        return out
    }
}
