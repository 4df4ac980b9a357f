import Insight
import Markup
import Statistics
import SurveyStore

/// Where a report page's styles are: inside the page (a file handed on, self-contained), or
/// at an address of the server that serves it (where a Content-Security-Policy forbids inline styles).
public enum StylesheetPlacement: Sendable {
    case inline
    case linked(String)
}

extension InspectionReport {
    /// The report's styles, for a server to serve at the address given to `html(stylesheet:)`.
    public static var stylesheet: String { "\(ReportStylesheet.css)" }

    /// The report as one self-contained HTML page: inline styles and SVG charts, no external
    /// assets, every value written through the escaping writer.
    public func html(stylesheet: StylesheetPlacement = .inline) -> String {
        var html = HTMLWriter(capacity: 256 * 1024)
        html.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        html.element("title", text: "\(title) — \(period.label)")
        switch stylesheet {
        case .inline:
            html.raw("\n<style>\n")
            html.raw(ReportStylesheet.css)
            html.raw("\n</style>\n")
        case .linked(let href):
            html.raw("\n")
            html.empty("link", ["rel": "stylesheet", "href": href])
            html.raw("\n")
        }
        html.raw("</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to the report</a>\n<main id=\"main\">\n")
        writeBody(&html)
        html.raw("</main>\n</body>\n</html>\n")
        return html.string
    }

    /// "Inspection readiness: Hackney".
    public var title: String { "Inspection readiness: \(scope.name)" }

    func writeBody(_ html: inout HTMLWriter) {
        html.element("h1", text: title)
        html.element("p", ["class": "meta"], text: "Victims' satisfaction for \(period.label) (\(period.from) to \(period.to)), from the questionnaire “\(questionnaireTitle)”. Produced \(producedAt).")
        html.raw("<h2 id=\"headlines\">Headlines</h2>\n<ul class=\"headlines\">\n")
        for finding in findings { html.element("li", text: finding.headline) }
        html.raw("</ul>\n<h2 id=\"improvement\">Areas for improvement</h2>\n")
        if improvements.isEmpty {
            html.element("p", text: "No headline measure is significantly below the baseline or significantly worse than a year before, and repeat and vulnerable victims are not significantly less satisfied than others.")
        } else {
            html.raw("<ul>\n")
            for item in improvements { html.element("li", text: item) }
            html.raw("</ul>\n")
        }
        writeMeasures(&html)
        writeComparison(&html)
        writeTrends(&html)
        writeOutcomes(&html)
        writeWards(&html)
        writeResponseRates(&html)
        writeMethod(&html)
    }

    private func writeMeasures(_ html: inout HTMLWriter) {
        html.raw("<h2 id=\"measures\">The measures against the baseline</h2>\n")
        for (index, finding) in findings.enumerated() {
            html.element("h3", text: finding.label)
            let chart = IntervalChart(id: "measure-\(index)", title: "\(finding.label): \(scope.name)",
                                      lines: [.init(label: period.label, row: finding.current), .init(label: "A year before", row: finding.yearBefore)],
                                      baseline: finding.baseline, baselineLabel: HeadlineWriter.baselineName(finding.baselineSource), level: level)
            html.raw("<figure>\n")
            chart.write(&html)
            html.raw("\n</figure>\n")
            writeRows(&html, caption: "\(finding.label): \(scope.name)", heading: "Period",
                      rows: [(period.label, finding.current), ("A year before (\(period.yearBefore.from) to \(period.yearBefore.to))", finding.yearBefore)])
            if let change = finding.change, let p = finding.changeP {
                html.element("p", ["class": "note"], text: "Change from a year before: \(ReportText.points(change)) (p = \(Self.pText(p)), pooled two-proportion test): \(p < 1 - level ? "significant" : "not significant").")
            }
        }
    }

    private func writeComparison(_ html: inout HTMLWriter) {
        html.raw("<h2 id=\"comparison\">All boroughs</h2>\n")
        html.element("p", text: "Each borough's figure against the number who answered, with control limits around the baseline. Boroughs outside the limits differ by more than chance would explain; boroughs are not ranked. The limits judge each borough on its own; the verdicts in the tables allow for comparing every borough at once (Benjamini–Hochberg), so a borough just outside the 95% limits may still be broadly in line.")
        for (index, finding) in findings.enumerated() {
            html.element("h3", text: finding.label)
            if let baseline = finding.baseline, let plot = try? FunnelPlot(id: "funnel-\(index)", title: "\(finding.label): funnel plot of boroughs",
                                                                          rows: finding.boroughs, baseline: baseline, highlight: scope.borough,
                                                                          overdispersion: overdispersion) {
                if plot.points.isEmpty {
                    html.element("p", text: "No borough has enough respondents to plot: every figure is suppressed.")
                } else {
                    html.raw("<figure>\n")
                    plot.write(&html)
                    html.raw("\n</figure>\n")
                }
                if !plot.points.isEmpty, let od = plot.overdispersion {
                    html.element("p", ["class": "note"], text: od.widensLimits
                        ? "Limits widened for over-dispersion: φ = \(String(format: "%.2f", od.phi)) from \(od.units) boroughs (Winsorised z-scores, 10% each end; χ² p = \(Self.pText(od.pValue)))."
                        : "Over-dispersion checked: φ = \(String(format: "%.2f", od.phi)) is not above 1, so the exact binomial limits stand.")
                }
            }
            writeRows(&html, caption: "\(finding.label) by borough, \(period.label)", heading: "Borough", rows: finding.boroughs.map { ($0.group, $0) }, highlight: scope.borough)
        }
    }

    private func writeTrends(_ html: inout HTMLWriter) {
        html.raw("<h2 id=\"trend\">Trend over the last 8 quarters</h2>\n")
        for (index, finding) in findings.enumerated() {
            html.element("h3", text: finding.label)
            html.raw("<figure>\n")
            TrendChart(id: "trend-\(index)", title: "\(finding.label): \(scope.name) by quarter", rows: finding.trend, baseline: finding.baseline, level: level).write(&html)
            html.raw("\n</figure>\n<table class=\"keep\">\n")
            html.element("caption", text: "\(finding.label) by quarter, \(scope.name)")
            html.raw("<thead><tr><th scope=\"col\">Quarter</th><th scope=\"col\" class=\"numeric\">n</th><th scope=\"col\" class=\"numeric\">% satisfied</th>")
            html.raw("<th scope=\"col\" class=\"numeric\">Interval</th><th scope=\"col\" class=\"numeric\">Rolling 12 months</th></tr></thead>\n<tbody>\n")
            for row in finding.trend {
                html.raw("<tr>")
                html.element("th", ["scope": "row"], text: row.period)
                writeFigureCells(&html, row.current)
                html.element("td", ["class": "numeric"], text: row.rolling.suppressed ? "suppressed" : row.rolling.proportion.map { ReportText.percent($0) } ?? "")
                html.raw("</tr>\n")
            }
            html.raw("</tbody>\n</table>\n")
        }
    }

    private func writeOutcomes(_ html: inout HTMLWriter) {
        html.raw("<h2 id=\"outcomes\">Case outcomes</h2>\n")
        html.element("p", text: "Victims who answered an invitation sent for their case, by what happened on the case. Each cell is the % satisfied and the number who answered.")
        for section in outcomes {
            html.element("h3", text: section.title)
            guard !section.rows.isEmpty else {
                html.element("p", text: "No responses in this period reach a case record.")
                continue
            }
            writeGroupTable(&html, caption: "\(section.title): % satisfied (n)", heading: "Category", rows: section.rows, verdicts: false)
            html.raw("<ul class=\"note\">\n")
            for finding in findings {
                guard let test = section.tests[finding.id] else { continue }
                html.element("li", text: "\(finding.label): " + Self.testText(test, level: level))
            }
            html.raw("</ul>\n")
        }
    }

    /// A borough's wards: every measure by ward, with the verdicts against the baseline.
    private func writeWards(_ html: inout HTMLWriter) {
        guard case .borough(let borough) = scope else { return }
        html.element("h2", ["id": "wards"], text: "Wards in \(borough)")
        guard !wards.isEmpty else {
            html.element("p", text: "No responses in this period record a ward.")
            return
        }
        html.element("p", text: wardsNote)
        writeGroupTable(&html, caption: "Wards in \(borough), \(period.label): % satisfied (n)", heading: "Ward", rows: wards, verdicts: true)
    }

    /// A table of groups (rows) by measure (columns), each cell `categoryCell`.
    private func writeGroupTable(_ html: inout HTMLWriter, caption: String, heading: String, rows: [MeasureRow], verdicts: Bool) {
        let groups = Self.categories(rows)
        // A short table is kept on one printed page; a long one breaks between rows, its head repeated.
        html.raw(groups.count <= 12 ? "<table class=\"keep\">\n" : "<table>\n")
        html.element("caption", text: caption)
        html.raw("<thead><tr>")
        html.element("th", ["scope": "col"], text: heading)
        for finding in findings { html.element("th", ["scope": "col", "class": "numeric"], text: finding.label) }
        html.raw("</tr></thead>\n<tbody>\n")
        for group in groups {
            html.raw("<tr>")
            html.element("th", ["scope": "row"], text: group)
            for finding in findings { html.element("td", ["class": "numeric wraps"], text: categoryCell(rows, group: group, measure: finding.id, verdicts: verdicts)) }
            html.raw("</tr>\n")
        }
        html.raw("</tbody>\n</table>\n")
    }

    private func writeResponseRates(_ html: inout HTMLWriter) {
        html.raw("<h2 id=\"rates\">Response rates and bases</h2>\n<table>\n")
        html.element("caption", text: "Invitations for cases closed in \(period.label), and what came of them")
        html.raw("<thead><tr><th scope=\"col\">Invitations</th><th scope=\"col\" class=\"numeric\">Partial</th><th scope=\"col\" class=\"numeric\">Complete</th><th scope=\"col\" class=\"numeric\">RR1</th><th scope=\"col\" class=\"numeric\">RR2</th></tr></thead>\n<tbody><tr>")
        let r = responseRates
        html.element("td", ["class": "numeric"], text: String(r.invitations))
        html.element("td", ["class": "numeric"], text: String(r.partial))
        html.element("td", ["class": "numeric"], text: String(r.complete))
        html.element("td", ["class": "numeric"], text: r.rr1.map { ReportText.percent($0, decimals: 1) } ?? "no invitations")
        html.element("td", ["class": "numeric"], text: r.rr2.map { ReportText.percent($0, decimals: 1) } ?? "no invitations")
        html.raw("</tr></tbody>\n</table>\n")
        html.element("p", ["class": "note"], text: "AAPOR response rates: RR1 counts complete responses, RR2 complete and partial ones, each over all invitations (every invited victim taken as eligible). Responses from public polls and the terminal have no invitation and are not in these rates.")
        html.raw("<table>\n")
        html.element("caption", text: "Bases: victims who gave a substantive answer to each measure, \(period.label)")
        html.raw("<thead><tr><th scope=\"col\">Measure</th><th scope=\"col\" class=\"numeric\">Base</th></tr></thead>\n<tbody>\n")
        for finding in findings {
            html.raw("<tr>")
            html.element("th", ["scope": "row"], text: finding.label)
            html.element("td", ["class": "numeric"], text: finding.current.n.map(String.init) ?? "fewer than \(suppressBelow)")
            html.raw("</tr>\n")
        }
        html.raw("</tbody>\n</table>\n")
    }

    private func writeMethod(_ html: inout HTMLWriter) {
        html.raw("<h2 id=\"method\">Method</h2>\n<ul>\n")
        for line in methodLines { html.element("li", text: line) }
        html.raw("</ul>\n")
    }

    /// The method, in sentences (the same in every format).
    var methodLines: [String] {
        var lines = [
            "Intervals: \(method.rawValue) score interval at \(ReportText.percent(level, decimals: 0)). Each figure is tested against its baseline (exact binomial test below 30 respondents or when the expected count is small, otherwise the z test); borough comparisons adjust for testing many boroughs (Benjamini–Hochberg).",
            "Changes from a year before use the pooled two-proportion z test; a change is reported only when significant at \(ReportText.percent(1 - level, decimals: 0)).",
            weighted ? "Weighted: figures use each response's weight, with intervals on the Kish effective base." : "Unweighted: each response counts once.",
            "Suppression: a figure resting on fewer than \(suppressBelow) respondents is not shown anywhere, in tables or charts; fewer than \(smallBaseBelow) is a small base and flagged.",
            "Funnel plots: control limits at 95% and 99.8% around the baseline, exact binomial with interpolation (Spiegelhalter 2005, appendix A.1.1)" + (overdispersion ? ", widened for over-dispersion by Spiegelhalter's multiplicative factor from Winsorised z-scores (10% each end) when it exceeds 1." : "."),
            "Case outcomes: victims who answered an invitation sent for their case. The test of association is Pearson's chi-square; categories with expected counts under 5 are merged and named.",
        ]
        var baselines: [String] = []
        for finding in findings {
            guard let baseline = finding.baseline else { continue }
            baselines.append("\(finding.label) \(ReportText.percent(baseline)) (\(finding.baselineSource ?? "set for this report"))")
        }
        if !baselines.isEmpty { lines.append("Baselines: " + baselines.joined(separator: "; ") + ".") }
        lines.append("Period: \(period.label), \(period.from) to \(period.to); trend quarters to \(period.to).")
        let versionText = versions.map { "version \($0.version) (\($0.declaredVersion)): \($0.responses) responses" }.joined(separator: ", ")
        lines.append("Questionnaire \(questionnaireID)" + (versionText.isEmpty ? ": no complete responses in the period." : ", \(versionText)."))
        lines.append("Produced \(producedAt) by Canvass.")
        return lines
    }

    /// A table of figures, one line each: label, n, %, interval and the comparison with the baseline.
    private func writeRows(_ html: inout HTMLWriter, caption: String, heading: String, rows: [(String, MeasureRow)], highlight: String? = nil) {
        // A short table is kept on one printed page; a long one breaks between rows, its head repeated.
        html.raw(rows.count <= 12 ? "<table class=\"keep\">\n" : "<table>\n")
        html.element("caption", text: caption)
        html.raw("<thead><tr>")
        html.element("th", ["scope": "col"], text: heading)
        html.raw("<th scope=\"col\" class=\"numeric\">n</th><th scope=\"col\" class=\"numeric\">% satisfied</th><th scope=\"col\" class=\"numeric\">Interval</th><th scope=\"col\">Against the baseline</th></tr></thead>\n<tbody>\n")
        for (label, row) in rows {
            html.raw("<tr>")
            html.element("th", ["scope": "row"], text: label == highlight ? "\(label) (this report)" : label)
            writeFigureCells(&html, row)
            html.element("td", text: row.suppressed ? "" : row.verdict?.rawValue ?? "")
            html.raw("</tr>\n")
        }
        html.raw("</tbody>\n</table>\n")
    }

    /// n, % and interval cells; a suppressed figure says so in words, with no number.
    private func writeFigureCells(_ html: inout HTMLWriter, _ row: MeasureRow) {
        guard !row.suppressed, let p = row.proportion, let n = row.n else {
            html.element("td", ["class": "numeric suppressed"], text: "fewer than \(suppressBelow)")
            html.element("td", ["class": "numeric suppressed"], text: "suppressed")
            html.element("td", ["class": "numeric"], text: "")
            return
        }
        html.element("td", ["class": "numeric"], text: "\(n)\(row.smallBase ? " (small base)" : "")")
        html.element("td", ["class": "numeric"], text: ReportText.percent(p, decimals: 1))
        html.element("td", ["class": "numeric"], text: row.lower.flatMap { l in row.upper.map { "\(ReportText.percent(l, decimals: 1))–\(ReportText.percent($0, decimals: 1))" } } ?? "")
    }

    /// "52% (n 412)", or the suppression in words.
    static func cellText(_ row: MeasureRow, suppressBelow: Int) -> String {
        guard !row.suppressed, let p = row.proportion, let n = row.n else { return "fewer than \(suppressBelow)" }
        return "\(ReportText.percent(p)) (n \(n))"
    }

    static func testText(_ test: AssociationTest, level: Double) -> String {
        guard let statistic = test.statistic, let df = test.degreesOfFreedom, let p = test.pValue else { return test.note + "." }
        let verdict = p < 1 - level ? "satisfaction differs significantly between the categories" : "no significant difference between the categories"
        return "χ² = \(String(format: "%.2f", statistic)) on \(df) df, p = \(pText(p)): \(verdict) (\(test.note))."
    }

    static func pText(_ p: Double) -> String { p < 0.001 ? "<0.001" : FixedPoint.string(p, decimals: 3) }
}
