import XCTest
import SurveyEngine
import SurveyStore
@testable import Insight

/// Logic that lived in the command line, now in Insight.
final class MovedLogicTests: XCTestCase {
    func testRollingMonthsStartOnTheFirstOfTheEarliestMonth() throws {
        var filter = ResponseFilter()
        try filter.keepMonths(12, endingOn: "2026-03-15")
        XCTAssertEqual(filter.from, "2025-04-01")
        XCTAssertEqual(filter.to, "2026-03-15")
        try filter.keepMonths(1, endingOn: "2026-03-15")
        XCTAssertEqual(filter.from, "2026-03-01")
        try filter.keepMonths(2, endingOn: "2026-01-31")
        XCTAssertEqual(filter.from, "2025-12-01", "across the year")
        try filter.keepMonths(25, endingOn: "2026-01-01")
        XCTAssertEqual(filter.from, "2024-01-01")
        XCTAssertThrowsError(try filter.keepMonths(0, endingOn: "2026-01-01"))
        XCTAssertThrowsError(try filter.keepMonths(3, endingOn: "2026-13-01")) { XCTAssertTrue("\($0)".contains("2026-13-01")) }
    }

    /// The Met's published figure: 43% of 400 against the national 55%. scipy:
    /// z = (172/400 − 0.55)/√(0.55·0.45/400) = −4.82418151324422, 2·norm.sf(4.824) = 1.4057935180978344e-06.
    func testASingleFigureGetsItsVerdictWithoutAdjustment() throws {
        let measure = Measure(id: "p", label: LocalizedText("P"), questionID: "", satisfiedCodes: [], baseline: 0.55)
        let row = try MeasureCalculator.single(measure: measure, count: GroupCount(group: "all", n: 400, satisfied: 172),
                                               options: MeasureOptions(suppressBelow: 0, smallBaseBelow: 50))
        XCTAssertEqual(try XCTUnwrap(row.pValue), 1.4057935180978344e-06, accuracy: 1e-12)
        XCTAssertEqual(row.pAdjusted, row.pValue)
        XCTAssertEqual(row.verdict, .below)
        let inLine = try MeasureCalculator.single(measure: measure, count: GroupCount(group: "all", n: 400, satisfied: 216),
                                                  options: MeasureOptions(suppressBelow: 0, smallBaseBelow: 50))
        XCTAssertEqual(inLine.verdict, .inLine)
    }
}
