import XCTest
@testable import Insight
@testable import Reports

/// The sentences the report opens with, for figures below, in line with and above the baseline.
final class HeadlineTests: XCTestCase {
    static let source = "HMIC anti-social behaviour victim survey (Ipsos MORI), 2012, England and Wales average"

    /// A row as `MeasureCalculator.single` gives it. Intervals are statsmodels'
    /// `proportion_confint(x, n, method="wilson")`: 172/400 → (0.38238, 0.47896), ±4.8 points;
    /// 224/400 → (0.51101, 0.60785), ±4.8; 260/400 → (0.60203, 0.69511), ±4.7; 20/38 →
    /// (0.37259, 0.67521), ±15.1.
    static func row(satisfied: Int, n: Int, lower: Double, upper: Double, verdict: Verdict?, smallBase: Bool = false) -> MeasureRow {
        MeasureRow(measure: "local_area", measureLabel: "Satisfied with how police deal with ASB in the local area", group: "Westminster",
                   n: n, satisfied: satisfied, proportion: Double(satisfied) / Double(n), lower: lower, upper: upper, baseline: 0.55,
                   difference: Double(satisfied) / Double(n) - 0.55, pValue: 0.0001, pAdjusted: 0.0001, test: "z", verdict: verdict,
                   suppressed: false, smallBase: smallBase)
    }

    func testBelowInLineAndAbove() {
        let writer = HeadlineWriter()
        let label = "Satisfied with how police deal with ASB in the local area"
        let below = writer.headline(label: label, row: Self.row(satisfied: 172, n: 400, lower: 0.3823760406443324, upper: 0.47895568056246907, verdict: .below),
                                    baselineSource: Self.source, yearBefore: nil, change: nil, changeP: nil)
        XCTAssertEqual(below, "43% (±4.8) of victims were satisfied with how police deal with ASB in the local area, significantly below the England and Wales figure of 55%.")
        let inLine = writer.headline(label: label, row: Self.row(satisfied: 224, n: 400, lower: 0.5110127871951399, upper: 0.6078457374847447, verdict: .inLine),
                                     baselineSource: Self.source, yearBefore: nil, change: nil, changeP: nil)
        XCTAssertEqual(inLine, "An estimated 56% (±4.8) of victims were satisfied with how police deal with ASB in the local area, broadly in line with the England and Wales figure of 55%.")
        let above = writer.headline(label: label, row: Self.row(satisfied: 260, n: 400, lower: 0.6020319607074738, upper: 0.6951143509922373, verdict: .above),
                                    baselineSource: "a national survey", yearBefore: nil, change: nil, changeP: nil)
        XCTAssertEqual(above, "65% (±4.7) of victims were satisfied with how police deal with ASB in the local area, significantly above the national figure of 55%.")
    }

    func testChangesAreSaidOnlyWhenSignificantAndSmallBasesAreEstimates() {
        let writer = HeadlineWriter()
        let label = "Satisfied with the information given"
        let now = Self.row(satisfied: 172, n: 400, lower: 0.3823760406443324, upper: 0.47895568056246907, verdict: .below)
        let before = Self.row(satisfied: 220, n: 400, lower: 0.50, upper: 0.60, verdict: .inLine)
        let fell = writer.headline(label: label, row: now, baselineSource: Self.source, yearBefore: before, change: -0.12, changeP: 0.0007)
        XCTAssertTrue(fell.hasSuffix("This is a significant fall from 55% a year before."), fell)
        let same = writer.headline(label: label, row: now, baselineSource: Self.source, yearBefore: before, change: -0.02, changeP: 0.4)
        XCTAssertFalse(same.contains("year before"), "a change that is not significant is not mentioned")
        let small = writer.headline(label: label, row: Self.row(satisfied: 20, n: 38, lower: 0.37258971384496664, upper: 0.6752097667747393, verdict: .inLine, smallBase: true),
                                    baselineSource: Self.source, yearBefore: nil, change: nil, changeP: nil)
        XCTAssertTrue(small.hasPrefix("An estimated 53% (±15.1)"), small)
        XCTAssertTrue(small.contains("rests on only 38 victims"), small)
        var suppressed = now
        suppressed.suppressed = true
        suppressed.n = nil
        suppressed.proportion = nil
        let none = writer.headline(label: label, row: suppressed, baselineSource: Self.source, yearBefore: nil, change: nil, changeP: nil)
        XCTAssertEqual(none, "Fewer than 10 victims answered whether they were satisfied with the information given: too few to publish a figure.")
        XCTAssertFalse(none.contains("%"))
        let items = writer.improvements(label: label, row: now, baselineSource: Self.source, yearBefore: before, change: -0.12, changeP: 0.0007)
        XCTAssertEqual(items, [
            "Fewer victims were satisfied with the information given (43%) than across England and Wales (55%): a significant gap of 12 points.",
            "The share of victims satisfied with the information given fell significantly, from 55% to 43%, against the same period a year before.",
        ])
    }

    /// A gap that rounds to nothing (a huge base) is still said in words, not as a broken number.
    func testAGapUnderHalfAPointIsSaidInWords() {
        var row = Self.row(satisfied: 54_700, n: 100_000, lower: 0.5439, upper: 0.5501, verdict: .below)
        row.baseline = 0.55
        let items = HeadlineWriter().improvements(label: "Satisfied with the information given", row: row, baselineSource: Self.source,
                                                  yearBefore: nil, change: nil, changeP: nil)
        XCTAssertEqual(items.first?.hasSuffix("a significant gap of under half a point."), true, "\(items)")
        XCTAssertEqual(ReportText.magnitude(-0.12), "12 points")
        XCTAssertEqual(ReportText.points(-0.01), "−1 point")
    }

    func testPeriods() throws {
        XCTAssertEqual(try ReportPeriod.parse("2025-Q3"), ReportPeriod(label: "2025-Q3", from: "2025-07-01", to: "2025-09-30"))
        XCTAssertEqual(try ReportPeriod.parse("2024-02"), ReportPeriod(label: "2024-02", from: "2024-02-01", to: "2024-02-29"))
        XCTAssertEqual(try ReportPeriod.parse("2025"), ReportPeriod(label: "2025", from: "2025-01-01", to: "2025-12-31"))
        XCTAssertEqual(ReportPeriod.twelveMonths(endingWith: "2026-11-17"), ReportPeriod(label: "12 months to November 2026", from: "2025-12-01", to: "2026-11-30"))
        XCTAssertEqual(try ReportPeriod.parse("2024-02").yearBefore, ReportPeriod(label: "a year before", from: "2023-02-01", to: "2023-02-28"))
        XCTAssertEqual(try ReportPeriod.parse("2025-Q3").quarterStart(back: 7), "2023-10-01")
        for bad in ["2025-Q5", "25-Q1", "2025-13", "2025-7", "2025-Q3-1", "soon"] {
            XCTAssertThrowsError(try ReportPeriod.parse(bad), bad) { XCTAssertTrue("\($0)".contains("2025-Q3"), "\($0)") }
        }
        XCTAssertThrowsError(try ReportPeriod.range(from: "2025-05-01", to: "2025-04-30"))
    }
}
