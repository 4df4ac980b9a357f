import Foundation
import Insight
import Markup
import Statistics

/// A funnel plot of every borough for one measure: proportion satisfied against the base, with
/// control limits around the baseline at 95% and 99.8% (exact binomial with Spiegelhalter's
/// interpolation, or widened by √φ̂ for over-dispersion). The chosen borough is a black square;
/// boroughs beyond the 95% limits are triangles and named; no ranks are shown.
public struct FunnelPlot {
    /// One borough's point: its proportion and the base it stands on.
    public struct Point: Equatable, Sendable {
        public var label: String
        public var n: Double
        public var proportion: Double
        /// Beyond the 95% limits (`lower`/`upper`) or the 99.8% ones.
        public var beyond95: Bool
        public var beyond998: Bool
        public var below: Bool
    }

    public var id: String
    public var title: String
    public var baseline: Double
    public var points: [Point]
    /// Boroughs whose figures are suppressed: named in the description, not drawn.
    public var suppressed: [String]
    public var highlight: String?
    public var overdispersion: Overdispersion?
    /// The limits drawn, from the smallest base to the largest.
    public var curve: [FunnelLimits]

    /// Builds the plot from one measure's borough rows; `overdispersion` widens the limits by
    /// Spiegelhalter's φ̂ estimated from these boroughs.
    public init(id: String, title: String, rows: [MeasureRow], baseline: Double, highlight: String?, overdispersion: Bool) throws(StatisticsError) {
        self.id = id
        self.title = title
        self.baseline = baseline
        self.highlight = highlight
        let shown = rows.filter { !$0.suppressed && $0.proportion != nil && ($0.effectiveN ?? $0.n.map(Double.init) ?? 0) > 0 }
        suppressed = rows.filter { $0.suppressed || $0.proportion == nil }.map(\.group)
        let sizes = shown.map { $0.effectiveN ?? Double($0.n ?? 0) }
        if overdispersion, shown.count >= 3 {
            self.overdispersion = try Overdispersion.estimate(proportions: shown.map { $0.proportion! }, sizes: sizes.map { max(1, Int($0.rounded())) }, target: baseline)
        } else {
            self.overdispersion = nil
        }
        let dispersion = self.overdispersion
        func limits(_ n: Int) throws(StatisticsError) -> FunnelLimits {
            if let dispersion { return try dispersion.limits(p0: baseline, n: n) }
            return try FunnelLimits.exact(p0: baseline, n: n)
        }
        var points: [Point] = []
        for (row, n) in zip(shown, sizes) {
            let l = try limits(max(1, Int(n.rounded())))
            let p = row.proportion!
            points.append(Point(label: row.group, n: n, proportion: p, beyond95: p < l.lower95 || p > l.upper95,
                                beyond998: p < l.lower998 || p > l.upper998, below: p < baseline))
        }
        self.points = points
        let maxN = max(20, (sizes.max() ?? 100) * 1.1)
        // Sizes spaced geometrically, so the narrow end and the wide end are both smooth.
        let first = max(5, (sizes.min() ?? 20) * 0.5)
        var curve: [FunnelLimits] = []
        let steps = 60
        for step in 0...steps {
            let n = Int((first * pow(maxN / first, Double(step) / Double(steps))).rounded())
            if curve.last?.n != n { curve.append(try limits(max(1, n))) }
        }
        self.curve = curve
    }

    /// Boroughs beyond the 95% limits, in the plot's words.
    public var outliers: [Point] { points.filter(\.beyond95) }

    public var description: String {
        var text = "Funnel plot of \(points.count) boroughs: % satisfied against number of respondents, with 95% and 99.8% control limits around the baseline of \(ReportText.percent(baseline))."
        if let overdispersion, overdispersion.widensLimits {
            text += " Limits widened for over-dispersion (φ = \(String(format: "%.2f", overdispersion.phi)))."
        }
        let beyond = outliers.map { "\($0.label) (\(ReportText.percent($0.proportion)), n \(Int($0.n.rounded())), \($0.below ? "below" : "above") the \($0.beyond998 ? "99.8%" : "95%") limits)" }
        text += beyond.isEmpty ? " No borough lies beyond the 95% limits." : " Beyond the limits: " + beyond.joined(separator: "; ") + "."
        if let highlight, let point = points.first(where: { $0.label == highlight }) {
            text += " \(highlight) is highlighted: \(ReportText.percent(point.proportion)), n \(Int(point.n.rounded()))."
        }
        if !suppressed.isEmpty { text += " Not shown (too few respondents): " + suppressed.joined(separator: ", ") + "." }
        return text
    }

    public func write(_ html: inout HTMLWriter) {
        // The y range covers the points and the limits at the larger bases, not the wide mouth of the funnel.
        let inner = points.map(\.proportion) + [baseline] + curve.suffix(curve.count * 2 / 3).flatMap { [$0.lower998, $0.upper998] }
        let low = max(0, floor(((inner.min() ?? 0) - 0.03) * 20) / 20)
        let high = min(1, ceil(((inner.max() ?? 1) + 0.03) * 20) / 20)
        let maxN = Double(curve.last?.n ?? 100)
        let frame = ChartFrame(width: 640, height: 400, left: 64, right: 24, top: 46, bottom: 44, xDomain: 0...maxN, yDomain: low...high)
        frame.open(&html, id: id, title: title, description: description)
        frame.legend(&html, [(.line(dash: nil, width: 2), "baseline"), (.line(dash: "6 4", width: 1.2), "95% limits"),
                             (.line(dash: "2 3", width: 1.2), "99.8% limits")])
        frame.legend(&html, [(.marker(.circle), "within 95%"), (.marker(.triangle), "beyond 95%")] + (highlight == nil ? [] : [(.marker(.square), highlight!)]), y: 32)
        frame.xAxis(&html, ticks: ChartFrame.ticks(0...maxN, count: 6), label: { String(Int($0)) }, title: "Number of respondents (base)")
        frame.yAxis(&html, ticks: ChartFrame.ticks(low...high, count: 6), label: { ReportText.percent($0, decimals: 0) }, title: "% satisfied")
        let f = ChartFrame.f
        html.raw("<clipPath id=\"")
        html.token(id)
        html.raw("-clip\">")
        html.empty("rect", ["x": f(frame.left), "y": f(frame.top), "width": f(frame.plotWidth), "height": f(frame.plotHeight)])
        html.raw("</clipPath>")
        html.open("g", ["clip-path": "url(#\(id)-clip)"])
        html.empty("line", ["x1": f(frame.left), "y1": f(frame.y(baseline)), "x2": f(frame.left + frame.plotWidth), "y2": f(frame.y(baseline)),
                            "stroke": "#000", "stroke-width": "2"])
        let limits: [(KeyPath<FunnelLimits, Double>, String)] = [(\.lower95, "6 4"), (\.upper95, "6 4"), (\.lower998, "2 3"), (\.upper998, "2 3")]
        for (path, dash) in limits {
            let points = curve.map { "\(f(frame.x(Double($0.n)))),\(f(frame.y($0[keyPath: path])))" }.joined(separator: " ")
            html.empty("polyline", ["points": points, "fill": "none", "stroke": "#000", "stroke-width": "1.2", "stroke-dasharray": dash])
        }
        html.close("g")
        for point in points where point.label != highlight {
            (point.beyond95 ? ChartMarker.triangle : .circle).draw(&html, x: frame.x(point.n), y: frame.y(point.proportion))
        }
        if let highlight, let point = points.first(where: { $0.label == highlight }) {
            ChartMarker.square.draw(&html, x: frame.x(point.n), y: frame.y(point.proportion))
        }
        writeLabels(&html, frame)
        html.close("svg")
    }

    /// Names the highlighted borough and those beyond the 95% limits, beside their points. Labels
    /// that would overlap are spread apart vertically (at least a line apart, kept in the
    /// points' order) with a thin leader line back to the point.
    private func writeLabels(_ html: inout HTMLWriter, _ frame: ChartFrame) {
        let f = ChartFrame.f
        let labelled = points.filter { $0.beyond95 || $0.label == highlight }
            .map { (point: $0, x: frame.x($0.n), y: frame.y($0.proportion)) }
        // Spread per side (labels on the left of points in the right quarter, else on the right).
        let sides = Dictionary(grouping: labelled) { $0.x > frame.left + frame.plotWidth * 0.75 }
        for (onLeft, group) in sides {
            let sorted = group.sorted { $0.y < $1.y }
            var positions = sorted.map(\.y)
            let gap = 13.0
            for index in positions.indices.dropFirst() where positions[index] < positions[index - 1] + gap {
                positions[index] = positions[index - 1] + gap
            }
            // Centre the spread block on the points it labels, within the plot.
            let shift = (sorted.map(\.y).reduce(0, +) - positions.reduce(0, +)) / Double(max(1, positions.count))
            let top = frame.top + 10, bottom = frame.top + frame.plotHeight - 4
            positions = positions.map { $0 + shift }
            if let first = positions.first, first < top { positions = positions.map { $0 + (top - first) } }
            if let last = positions.last, last > bottom { positions = positions.map { $0 - (last - bottom) } }
            for (entry, labelY) in zip(sorted, positions) {
                let labelX = onLeft ? entry.x - 16 : entry.x + 16
                if abs(labelY - entry.y) > 3 {
                    html.empty("line", ["x1": f(entry.x + (onLeft ? -5 : 5)), "y1": f(entry.y), "x2": f(labelX + (onLeft ? 2 : -2)), "y2": f(labelY - 4),
                                        "stroke": "#555", "stroke-width": "0.8"])
                }
                ChartFrame.haloText(&html, entry.point.label, x: labelX, y: labelY, anchor: onLeft ? "end" : "start",
                                    weight: entry.point.label == highlight ? "bold" : "normal", halo: 3)
            }
        }
    }
}
