import Insight
import Markup

/// Estimates with their intervals as dots and whiskers, one line each, against a dashed
/// baseline line: a borough this period beside the same borough a year before, or the
/// categories of a case attribute. A suppressed estimate is drawn as words, never a dot.
public struct IntervalChart {
    public struct Line: Sendable {
        public var label: String
        public var row: MeasureRow

        public init(label: String, row: MeasureRow) {
            self.label = label
            self.row = row
        }
    }

    public var id: String
    public var title: String
    public var lines: [Line]
    public var baseline: Double?
    public var baselineLabel: String
    public var level: Double

    public init(id: String, title: String, lines: [Line], baseline: Double?, baselineLabel: String = "England and Wales", level: Double = 0.95) {
        self.id = id
        self.title = title
        self.lines = lines
        self.baseline = baseline
        self.baselineLabel = baselineLabel
        self.level = level
    }

    /// What the chart shows, in words, for its `<desc>`.
    public var description: String {
        var parts = lines.map { line -> String in
            guard let p = line.row.proportion, !line.row.suppressed else { return "\(line.label): suppressed (too few respondents)" }
            let interval = line.row.lower.flatMap { l in line.row.upper.map { " (\(ReportText.percent(l))–\(ReportText.percent($0)))" } } ?? ""
            return "\(line.label): \(ReportText.percent(p))\(interval)"
        }
        if let baseline { parts.append("\(baselineLabel) baseline \(ReportText.percent(baseline))") }
        return parts.joined(separator: "; ") + "."
    }

    public func write(_ html: inout HTMLWriter) {
        let rowHeight = 30.0
        let frame = ChartFrame(width: 640, height: 70 + rowHeight * Double(max(1, lines.count)), left: 190, right: 30, top: 32, bottom: 38,
                               xDomain: 0...1, yDomain: 0...Double(max(1, lines.count)))
        frame.open(&html, id: id, title: title, description: description)
        frame.legend(&html, [(.marker(.filledCircle), "estimate with \(ReportText.percent(level, decimals: 0)) interval"),
                             (.line(dash: "6 4", width: 1.5), "\(baselineLabel) baseline")])
        frame.xAxis(&html, ticks: ChartFrame.ticks(0...1, count: 5), label: { ReportText.percent($0, decimals: 0) }, title: "% satisfied")
        let f = ChartFrame.f
        // The baseline first, so the estimates and their figures are drawn over it.
        if let baseline {
            html.empty("line", ["x1": f(frame.x(baseline)), "y1": f(frame.top - 4), "x2": f(frame.x(baseline)), "y2": f(frame.top + frame.plotHeight),
                                "stroke": "#000", "stroke-width": "1.5", "stroke-dasharray": "6 4"])
        }
        for (index, line) in lines.enumerated() {
            let py = frame.top + rowHeight * (Double(index) + 0.5)
            html.element("text", ["x": f(frame.left - 8), "y": f(py + 4), "text-anchor": "end"], text: line.label)
            guard let p = line.row.proportion, !line.row.suppressed else {
                html.element("text", ["x": f(frame.left + 6), "y": f(py + 4), "font-style": "italic"], text: "suppressed: fewer than the minimum base")
                continue
            }
            if let lower = line.row.lower, let upper = line.row.upper {
                html.empty("line", ["x1": f(frame.x(lower)), "y1": f(py), "x2": f(frame.x(upper)), "y2": f(py), "stroke": "#000", "stroke-width": "2"])
                for end in [lower, upper] {
                    html.empty("line", ["x1": f(frame.x(end)), "y1": f(py - 6), "x2": f(frame.x(end)), "y2": f(py + 6), "stroke": "#000", "stroke-width": "2"])
                }
            }
            ChartMarker.filledCircle.draw(&html, x: frame.x(p), y: py, size: 5)
            // A white halo keeps the figure legible where it crosses the baseline line.
            ChartFrame.haloText(&html, ReportText.percent(p), x: frame.x(line.row.upper ?? p) + 8, y: py + 4, weight: "bold", halo: 4)
        }
        html.close("svg")
    }
}
