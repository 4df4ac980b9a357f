import Insight
import Markup

/// A measure's trend by quarter: each quarter's estimate as a dot inside a grey band of its
/// interval, the rolling 12-month figure as a solid line, and the baseline dashed. Suppressed
/// quarters leave a gap and are named in the description.
public struct TrendChart {
    public var id: String
    public var title: String
    public var rows: [TrendRow]
    public var baseline: Double?
    public var level: Double

    public init(id: String, title: String, rows: [TrendRow], baseline: Double?, level: Double = 0.95) {
        self.id = id
        self.title = title
        self.rows = rows
        self.baseline = baseline
        self.level = level
    }

    public var description: String {
        let parts = rows.map { row -> String in
            guard let p = row.current.proportion, !row.current.suppressed else { return "\(row.period): suppressed" }
            let rolling = row.rolling.proportion.map { ", rolling 12 months \(ReportText.percent($0))" } ?? ""
            return "\(row.period): \(ReportText.percent(p))\(rolling)"
        }
        let baseline = self.baseline.map { " Baseline \(ReportText.percent($0))." } ?? ""
        return "Quarterly % satisfied with \(ReportText.percent(level, decimals: 0)) intervals and the rolling 12-month figure. " + parts.joined(separator: "; ") + "." + baseline
    }

    public func write(_ html: inout HTMLWriter) {
        var values = rows.flatMap { [$0.current.lower, $0.current.upper, $0.rolling.proportion].compactMap { $0 } }
        if let baseline { values.append(baseline) }
        let low = max(0, (((values.min() ?? 0) - 0.05) * 10).rounded(.down) / 10)
        let high = min(1, (((values.max() ?? 1) + 0.05) * 10).rounded(.up) / 10)
        let frame = ChartFrame(width: 640, height: 320, left: 64, right: 24, top: 46, bottom: 44,
                               xDomain: -0.5...(Double(max(1, rows.count)) - 0.5), yDomain: low...high)
        frame.open(&html, id: id, title: title, description: description)
        frame.legend(&html, [(.marker(.filledCircle), "quarter"), (.band, "\(ReportText.percent(level, decimals: 0)) interval"),
                             (.line(dash: nil, width: 2.5), "rolling 12 months")])
        if baseline != nil { frame.legend(&html, [(.line(dash: "6 4", width: 1.5), "baseline")], y: 32) }
        let f = ChartFrame.f
        frame.xAxis(&html, ticks: rows.indices.map(Double.init), label: { index in
            let i = Int(index)
            return rows.indices.contains(i) ? rows[i].period : ""
        }, title: "Quarter")
        frame.yAxis(&html, ticks: ChartFrame.ticks(low...high, count: 5), label: { ReportText.percent($0, decimals: 0) }, title: "% satisfied")
        // The interval band, one polygon per run of quarters with figures.
        for run in runs(\.current) {
            let upper = run.map { "\(f(frame.x(Double($0)))),\(f(frame.y(rows[$0].current.upper!)))" }
            let lower = run.reversed().map { "\(f(frame.x(Double($0)))),\(f(frame.y(rows[$0].current.lower!)))" }
            if run.count == 1, let i = run.first {
                html.empty("rect", ["x": f(frame.x(Double(i)) - 6), "y": f(frame.y(rows[i].current.upper!)), "width": "12",
                                    "height": f(frame.y(rows[i].current.lower!) - frame.y(rows[i].current.upper!)), "fill": "#ccc"])
            } else {
                html.empty("polygon", ["points": (upper + lower).joined(separator: " "), "fill": "#ccc"])
            }
        }
        if let baseline {
            html.empty("line", ["x1": f(frame.left), "y1": f(frame.y(baseline)), "x2": f(frame.left + frame.plotWidth), "y2": f(frame.y(baseline)),
                                "stroke": "#000", "stroke-width": "1.5", "stroke-dasharray": "6 4"])
        }
        for run in runs(\.rolling) where run.count > 1 {
            let points = run.map { "\(f(frame.x(Double($0)))),\(f(frame.y(rows[$0].rolling.proportion!)))" }.joined(separator: " ")
            html.empty("polyline", ["points": points, "fill": "none", "stroke": "#000", "stroke-width": "2.5"])
        }
        for (index, row) in rows.enumerated() {
            guard let p = row.current.proportion, !row.current.suppressed else {
                html.element("text", ["x": f(frame.x(Double(index))), "y": f(frame.top + frame.plotHeight - 8), "text-anchor": "middle", "font-style": "italic"], text: "suppressed")
                continue
            }
            ChartMarker.filledCircle.draw(&html, x: frame.x(Double(index)), y: frame.y(p))
        }
        html.close("svg")
    }

    /// Runs of consecutive quarters whose figure (current or rolling) is shown.
    private func runs(_ path: KeyPath<TrendRow, MeasureRow>) -> [[Int]] {
        var runs: [[Int]] = []
        var current: [Int] = []
        for (index, row) in rows.enumerated() {
            let figure = row[keyPath: path]
            if !figure.suppressed, figure.proportion != nil, figure.lower != nil, figure.upper != nil {
                current.append(index)
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }
}
