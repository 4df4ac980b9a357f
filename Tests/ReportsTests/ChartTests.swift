import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import Insight
import Markup
import Statistics
@testable import Reports

/// Charts are parsed back as XML and checked for the marks they must hold.
final class ChartTests: XCTestCase {
    /// The elements of an SVG, each with its attributes, and whether it sits in the legend.
    final class Collector: NSObject, XMLParserDelegate {
        struct Element { let name: String; let attributes: [String: String]; let inLegend: Bool; var text = "" }
        var elements: [Element] = []
        private var legendDepth = 0
        private var depth = 0
        private var open: [Int] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            depth += 1
            if name == "g", attributes["class"] == "legend" { legendDepth = depth }
            elements.append(Element(name: name, attributes: attributes, inLegend: legendDepth > 0))
            open.append(elements.count - 1)
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let index = open.last { elements[index].text += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if depth == legendDepth { legendDepth = 0 }
            depth -= 1
            open.removeLast()
        }

        /// Parses `svg`, failing the test when it is not well-formed XML.
        static func parse(_ svg: String, file: StaticString = #filePath, line: UInt = #line) -> Collector {
            let collector = Collector()
            let parser = XMLParser(data: Data(svg.utf8))
            parser.delegate = collector
            XCTAssertTrue(parser.parse(), "not well-formed: \(parser.parserError.map { "\($0)" } ?? "")", file: file, line: line)
            return collector
        }

        func data(_ name: String) -> [Element] { elements.filter { $0.name == name && !$0.inLegend } }
    }

    static func row(_ group: String, n: Int?, p: Double?) -> MeasureRow {
        MeasureRow(measure: "local_area", measureLabel: "Local area", group: group, n: n, satisfied: n.flatMap { n in p.map { Int(($0 * Double(n)).rounded()) } },
                   proportion: p, lower: p.map { $0 - 0.05 }, upper: p.map { $0 + 0.05 }, baseline: 0.55, suppressed: n == nil, smallBase: false)
    }

    func testTheFunnelPlotHoldsEveryShownBoroughItsLimitsAndLabels() throws {
        let rows = [Self.row("Acton", n: 400, p: 0.43), Self.row("Brent", n: 400, p: 0.55), Self.row("Camden", n: 380, p: 0.56),
                    Self.row("Dalston", n: 410, p: 0.54), Self.row("Ealing", n: nil, p: nil), Self.row("Fulham", n: 390, p: 0.66)]
        let plot = try FunnelPlot(id: "f", title: "Local area", rows: rows, baseline: 0.55, highlight: "Brent", overdispersion: false)
        var html = HTMLWriter()
        plot.write(&html)
        let svg = Collector.parse(html.string)
        XCTAssertEqual(svg.elements.first?.name, "svg")
        XCTAssertEqual(svg.elements.first { $0.name == "title" }?.text, "Local area")
        let desc = try XCTUnwrap(svg.elements.first { $0.name == "desc" }?.text)
        XCTAssertTrue(desc.contains("Not shown (too few respondents): Ealing."), desc)
        XCTAssertTrue(desc.contains("Acton (43%, n 400, below the 99.8% limits)"), desc)
        XCTAssertTrue(desc.contains("Fulham (66%, n 390, above the 99.8% limits)"), desc)
        // Within the limits: open circles; beyond: triangles; the highlighted borough: a square.
        XCTAssertEqual(svg.data("circle").count, 2, "Camden and Dalston")
        XCTAssertEqual(svg.data("polygon").count, 2, "Acton and Fulham")
        let square = try XCTUnwrap(svg.data("rect").first { $0.attributes["fill"] == "#000" })
        // x maps n = 400 on 0…maxN across the plot (left 64, width 552).
        let maxN = Double(try XCTUnwrap(plot.curve.last).n)
        let left = try XCTUnwrap(Double(square.attributes["x"] ?? "")), width = try XCTUnwrap(Double(square.attributes["width"] ?? ""))
        let x = left + width / 2
        XCTAssertEqual(x, 64 + 400 / maxN * 552, accuracy: 0.2)
        // Four limit lines over the whole curve, at the exact binomial limits.
        let lines = svg.data("polyline")
        XCTAssertEqual(lines.count, 4)
        XCTAssertTrue(lines.allSatisfy { ($0.attributes["points"] ?? "").split(separator: " ").count == plot.curve.count })
        let at400 = try FunnelLimits.exact(p0: 0.55, n: 400)
        XCTAssertTrue(plot.points.first { $0.label == "Acton" }!.proportion < at400.lower998)
        // Labelled: the highlighted borough and those beyond the limits, no ranks anywhere.
        let labels = Set(svg.data("text").map(\.text))
        XCTAssertTrue(labels.isSuperset(of: ["Acton", "Brent", "Fulham"]), "\(labels)")
        XCTAssertFalse(labels.contains("Camden"))
        XCTAssertFalse(html.string.contains("Ealing ("), "a suppressed borough has no figure")
    }

    func testOverdispersionWidensTheLimitsAndSaysSo() throws {
        let rows = (0..<12).map { Self.row("B\($0)", n: 400, p: [0.43, 0.52, 0.55, 0.61, 0.57, 0.49, 0.58, 0.55, 0.66, 0.54, 0.50, 0.56][$0]) }
        let plain = try FunnelPlot(id: "a", title: "t", rows: rows, baseline: 0.55, highlight: nil, overdispersion: false)
        let widened = try FunnelPlot(id: "b", title: "t", rows: rows, baseline: 0.55, highlight: nil, overdispersion: true)
        let phi = try XCTUnwrap(widened.overdispersion?.phi)
        XCTAssertGreaterThan(phi, 1)
        XCTAssertLessThan(widened.outliers.count, plain.outliers.count, "wider limits leave fewer outliers")
        XCTAssertTrue(widened.description.contains("Limits widened for over-dispersion (φ = \(String(format: "%.2f", phi)))"))
    }

    func testASuppressedEstimateIsWordsNotADot() {
        let chart = IntervalChart(id: "m", title: "Local area: Ealing", lines: [.init(label: "This year", row: Self.row("Ealing", n: 400, p: 0.43)),
                                                                              .init(label: "A year before", row: Self.row("Ealing", n: nil, p: nil))],
                                  baseline: 0.55)
        var html = HTMLWriter()
        chart.write(&html)
        let svg = Collector.parse(html.string)
        XCTAssertEqual(svg.data("circle").count, 1, "one dot: the suppressed line has none")
        XCTAssertTrue(svg.data("text").contains { $0.text == "suppressed: fewer than the minimum base" })
        // The figure once for assistive technology; its white halo is a copy hidden from it.
        let visible = svg.data("text").filter { $0.attributes["aria-hidden"] != "true" }
        XCTAssertEqual(visible.filter { $0.text.hasSuffix("%") && !$0.text.hasPrefix("0") && $0.text != "100%" }.map(\.text).filter { !["20%", "40%", "60%", "80%"].contains($0) }, ["43%"])
        XCTAssertEqual(svg.data("text").filter { $0.attributes["aria-hidden"] == "true" }.map(\.text), ["43%"], "the halo behind the figure")
        XCTAssertTrue(chart.description.contains("A year before: suppressed (too few respondents)"))
    }

    func testTheTrendChartLeavesAGapForASuppressedQuarter() {
        let quarters = ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
        let rows = quarters.enumerated().map { index, period in
            TrendRow(measure: "local_area", period: period, current: index == 3 ? Self.row(period, n: nil, p: nil) : Self.row(period, n: 100, p: 0.5 + Double(index) / 100),
                     rolling: Self.row(period, n: 400, p: 0.52))
        }
        var html = HTMLWriter()
        TrendChart(id: "t", title: "Local area by quarter", rows: rows, baseline: 0.55).write(&html)
        let svg = Collector.parse(html.string)
        XCTAssertEqual(svg.data("circle").count, 7)
        XCTAssertEqual(svg.data("polygon").count, 2, "the interval band breaks at the suppressed quarter")
        XCTAssertEqual(svg.data("polyline").count, 1, "the rolling line")
        XCTAssertTrue(svg.data("text").contains { $0.text == "2025-Q4" })
        XCTAssertTrue(svg.data("text").contains { $0.text == "suppressed" })
    }
}
