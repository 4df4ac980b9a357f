import Foundation
import Markup

/// The geometry every chart shares: an SVG canvas with margins, linear scales from data to
/// pixels, and the pieces drawn the same way on every chart (the accessible title and
/// description, axes with ticks, the legend). Charts are drawn in black and greys, told apart
/// by marker shape and line dash, so they read the same printed in greyscale.
struct ChartFrame {
    var width: Double
    var height: Double
    var left: Double
    var right: Double
    var top: Double
    var bottom: Double
    var xDomain: ClosedRange<Double>
    var yDomain: ClosedRange<Double>

    var plotWidth: Double { width - left - right }
    var plotHeight: Double { height - top - bottom }

    func x(_ value: Double) -> Double {
        let span = xDomain.upperBound - xDomain.lowerBound
        return left + (span == 0 ? 0.5 : (value - xDomain.lowerBound) / span) * plotWidth
    }

    func y(_ value: Double) -> Double {
        let span = yDomain.upperBound - yDomain.lowerBound
        return top + (1 - (span == 0 ? 0.5 : (value - yDomain.lowerBound) / span)) * plotHeight
    }

    /// A coordinate as SVG text: one decimal, no exponent.
    static func f(_ value: Double) -> String { FixedPoint.string(value, decimals: 1) }

    /// A label with a white halo, legible where it crosses lines: a white-stroked copy hidden
    /// from assistive technology, then the text itself (SVG's `paint-order` attribute would do
    /// it in one element, but HTML does not allow it).
    static func haloText(_ html: inout HTMLWriter, _ text: String, x: Double, y: Double, anchor: String = "start", weight: String = "normal", halo: Double) {
        html.element("text", ["x": f(x), "y": f(y), "text-anchor": anchor, "font-weight": weight, "stroke": "#fff", "stroke-width": f(halo),
                              "stroke-linejoin": "round", "aria-hidden": "true"], text: text)
        html.element("text", ["x": f(x), "y": f(y), "text-anchor": anchor, "font-weight": weight], text: text)
    }

    /// Opens `<svg>` with its `<title>` and `<desc>` (named by `aria-labelledby`, so screen
    /// readers announce both), `id` made unique by the caller.
    func open(_ html: inout HTMLWriter, id: String, title: String, description: String) {
        html.open("svg", ["xmlns": "http://www.w3.org/2000/svg", "class": "chart", "role": "img", "viewBox": "0 0 \(Int(width)) \(Int(height))",
                          "width": "100%", "aria-labelledby": "\(id)-title \(id)-desc", "font-family": "Arial, Helvetica, sans-serif", "font-size": "12"])
        html.element("title", ["id": "\(id)-title"], text: title)
        html.element("desc", ["id": "\(id)-desc"], text: description)
    }

    /// Round tick values across `domain`: steps of 1, 2 or 5 times a power of ten, about `count` of them.
    static func ticks(_ domain: ClosedRange<Double>, count: Int = 5) -> [Double] {
        let span = domain.upperBound - domain.lowerBound
        guard span > 0, count > 0 else { return [domain.lowerBound] }
        let raw = span / Double(count)
        let power = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? raw
        var ticks: [Double] = []
        var value = (domain.lowerBound / step).rounded(.up) * step
        while value <= domain.upperBound + step * 1e-9 {
            ticks.append(abs(value) < step * 1e-9 ? 0 : value)
            value += step
        }
        return ticks
    }

    /// The horizontal axis along the bottom with ticks, labels and a title.
    func xAxis(_ html: inout HTMLWriter, ticks: [Double], label: (Double) -> String, title: String) {
        let base = top + plotHeight
        html.empty("line", ["x1": Self.f(left), "y1": Self.f(base), "x2": Self.f(left + plotWidth), "y2": Self.f(base), "stroke": "#000"])
        for tick in ticks {
            let px = x(tick)
            html.empty("line", ["x1": Self.f(px), "y1": Self.f(base), "x2": Self.f(px), "y2": Self.f(base + 5), "stroke": "#000"])
            html.element("text", ["x": Self.f(px), "y": Self.f(base + 18), "text-anchor": "middle"], text: label(tick))
        }
        html.element("text", ["x": Self.f(left + plotWidth / 2), "y": Self.f(height - 6), "text-anchor": "middle"], text: title)
    }

    /// The vertical axis along the left with ticks, light grid lines, labels and a title.
    func yAxis(_ html: inout HTMLWriter, ticks: [Double], label: (Double) -> String, title: String) {
        html.empty("line", ["x1": Self.f(left), "y1": Self.f(top), "x2": Self.f(left), "y2": Self.f(top + plotHeight), "stroke": "#000"])
        for tick in ticks {
            let py = y(tick)
            html.empty("line", ["x1": Self.f(left - 5), "y1": Self.f(py), "x2": Self.f(left), "y2": Self.f(py), "stroke": "#000"])
            html.empty("line", ["x1": Self.f(left), "y1": Self.f(py), "x2": Self.f(left + plotWidth), "y2": Self.f(py), "stroke": "#ddd"])
            html.element("text", ["x": Self.f(left - 8), "y": Self.f(py + 4), "text-anchor": "end"], text: label(tick))
        }
        html.element("text", ["x": "14", "y": Self.f(top + plotHeight / 2), "text-anchor": "middle",
                              "transform": "rotate(-90 14 \(Self.f(top + plotHeight / 2)))"], text: title)
    }

    /// One line of a legend: a sample of the line or marker, then its meaning.
    enum LegendKey {
        case line(dash: String?, width: Double)
        case marker(ChartMarker)
        case band
    }

    /// A legend along the top, entries side by side.
    func legend(_ html: inout HTMLWriter, _ entries: [(LegendKey, String)], y py: Double = 14) {
        html.open("g", ["class": "legend"])
        var px = left
        for (key, text) in entries {
            switch key {
            case .line(let dash, let width):
                if let dash {
                    html.empty("line", ["x1": Self.f(px), "y1": Self.f(py - 4), "x2": Self.f(px + 24), "y2": Self.f(py - 4), "stroke": "#000",
                                        "stroke-width": Self.f(width), "stroke-dasharray": dash])
                } else {
                    html.empty("line", ["x1": Self.f(px), "y1": Self.f(py - 4), "x2": Self.f(px + 24), "y2": Self.f(py - 4), "stroke": "#000", "stroke-width": Self.f(width)])
                }
            case .marker(let marker):
                marker.draw(&html, x: px + 12, y: py - 4)
            case .band:
                html.empty("rect", ["x": Self.f(px), "y": Self.f(py - 10), "width": "24", "height": "12", "fill": "#ccc"])
            }
            html.element("text", ["x": Self.f(px + 30), "y": Self.f(py)], text: text)
            px += 30 + Double(text.count) * 6.2 + 18
        }
        html.close("g")
    }
}

/// Point markers told apart by shape as well as fill.
enum ChartMarker {
    case circle, filledCircle, square, triangle, diamond

    func draw(_ html: inout HTMLWriter, x: Double, y: Double, size: Double = 4.5) {
        let f = ChartFrame.f
        switch self {
        case .circle:
            html.empty("circle", ["cx": f(x), "cy": f(y), "r": f(size), "fill": "#fff", "stroke": "#000", "stroke-width": "1.5"])
        case .filledCircle:
            html.empty("circle", ["cx": f(x), "cy": f(y), "r": f(size), "fill": "#000"])
        case .square:
            html.empty("rect", ["x": f(x - size * 1.2), "y": f(y - size * 1.2), "width": f(size * 2.4), "height": f(size * 2.4), "fill": "#000"])
        case .triangle:
            html.empty("polygon", ["points": "\(f(x)),\(f(y - size * 1.3)) \(f(x + size * 1.2)),\(f(y + size)) \(f(x - size * 1.2)),\(f(y + size))",
                                   "fill": "#555", "stroke": "#000"])
        case .diamond:
            html.empty("polygon", ["points": "\(f(x)),\(f(y - size * 1.4)) \(f(x + size * 1.4)),\(f(y)) \(f(x)),\(f(y + size * 1.4)) \(f(x - size * 1.4)),\(f(y))",
                                   "fill": "#fff", "stroke": "#000", "stroke-width": "1.5"])
        }
    }
}
