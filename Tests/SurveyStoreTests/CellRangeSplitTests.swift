import XCTest
import SurveyEngine
import TestSupport
@testable import SurveyStore

/// A range of days splits into whole months and the days either side, covering each day once.
final class CellRangeSplitTests: XCTestCase {
    private func day(_ text: String) -> Int64 { Int64(DateText.dayNumber(text)!) }

    func testKnownRanges() {
        // 2025-12-01 to 2026-11-30: twelve whole months, no days.
        var split = CellRangeSplit(from: day("2025-12-01"), to: day("2026-11-30"))
        XCTAssertEqual(split.months?.first, day("2025-12-01"))
        XCTAssertEqual(split.months?.last, day("2026-11-01"))
        XCTAssertTrue(split.days.isEmpty)
        // 2025-11-18 to 2026-11-17: the part-months at both ends are days.
        split = CellRangeSplit(from: day("2025-11-18"), to: day("2026-11-17"))
        XCTAssertEqual(split.months?.first, day("2025-12-01"))
        XCTAssertEqual(split.months?.last, day("2026-10-01"))
        XCTAssertEqual(split.days.map(\.from), [day("2025-11-18"), day("2026-11-01")])
        XCTAssertEqual(split.days.map(\.to), [day("2025-11-30"), day("2026-11-17")])
        // Within one month: days only. February of a leap year ends on the 29th.
        split = CellRangeSplit(from: day("2028-02-02"), to: day("2028-02-29"))
        XCTAssertNil(split.months)
        XCTAssertEqual(split.days.map(\.to), [day("2028-02-29")])
        split = CellRangeSplit(from: day("2028-02-01"), to: day("2028-02-29"))
        XCTAssertEqual(split.months?.first, day("2028-02-01"))
        XCTAssertEqual(split.months?.last, day("2028-02-01"))
        // Open ends stay open.
        split = CellRangeSplit(from: nil, to: nil)
        XCTAssertNotNil(split.months)
        XCTAssertNil(split.months?.first ?? nil)
        XCTAssertTrue(split.days.isEmpty)
    }

    /// Property: for random ranges, every day in the range is covered exactly once, by a whole
    /// month or by a day range, and no day outside it.
    func testEveryDayIsCoveredOnce() {
        var random = SeededRandom.forTest("CellRangeSplitTests", defaultSeed: 0xCE11)
        let base = day("2024-01-01")
        for _ in 0..<2_000 {
            let from = base + Int64.random(in: 0..<900, using: &random)
            let to = from + Int64.random(in: -3..<500, using: &random)
            let split = CellRangeSplit(from: from, to: to)
            var covered: [Int64: Int] = [:]
            for range in split.days where range.from <= range.to {
                for d in range.from...range.to { covered[d, default: 0] += 1 }
            }
            if let months = split.months, let first = months.first, let last = months.last {
                var start = first
                while start <= last {
                    XCTAssertEqual(CellRangeSplit.monthStart(start), start, "seed \(random.seed): a month starts on its first day")
                    for d in start..<CellRangeSplit.nextMonthStart(start) { covered[d, default: 0] += 1 }
                    start = CellRangeSplit.nextMonthStart(start)
                }
            }
            let expected = from <= to ? Set(from...to) : []
            XCTAssertEqual(Set(covered.keys), expected, "seed \(random.seed), \(from)…\(to)")
            XCTAssertTrue(covered.values.allSatisfy { $0 == 1 }, "seed \(random.seed), \(from)…\(to): a day counted twice")
        }
    }
}
