import Foundation
import SurveyEngine

/// The dates a report covers, inclusive, with the name it is given in the report.
public struct ReportPeriod: Equatable, Sendable {
    public var label: String
    /// First and last day, `YYYY-MM-DD`.
    public var from: String
    public var to: String

    public init(label: String, from: String, to: String) {
        self.label = label
        self.from = from
        self.to = to
    }

    /// `2025` (a year), `2025-Q3` (a quarter) or `2025-07` (a month).
    public static func parse(_ text: String) throws(ReportError) -> ReportPeriod {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard let year = Int(parts[0]), parts[0].count == 4 else { throw .invalidPeriod(text) }
        switch parts.count {
        case 1:
            return months(label: text, year: year, month: 1, count: 12)
        case 2 where parts[1].hasPrefix("Q"):
            guard let quarter = Int(parts[1].dropFirst()), (1...4).contains(quarter), parts[1].count == 2 else { throw .invalidPeriod(text) }
            return months(label: text, year: year, month: quarter * 3 - 2, count: 3)
        case 2:
            guard let month = Int(parts[1]), (1...12).contains(month), parts[1].count == 2 else { throw .invalidPeriod(text) }
            return months(label: text, year: year, month: month, count: 1)
        default:
            throw .invalidPeriod(text)
        }
    }

    /// From one date to another, both `YYYY-MM-DD`.
    public static func range(from: String, to: String) throws(ReportError) -> ReportPeriod {
        guard DateText.isValidISODate(from), DateText.isValidISODate(to), from <= to else { throw .invalidRange(from: from, to: to) }
        return ReportPeriod(label: "\(from) to \(to)", from: from, to: to)
    }

    /// The 12 months ending with the month of `date` (`YYYY-MM-DD`): the default period, the
    /// inspectorate's rolling year.
    public static func twelveMonths(endingWith date: String) -> ReportPeriod? {
        guard let (year, month, _) = DateText.components(date) else { return nil }
        let start = year * 12 + month - 1 - 11
        var period = months(label: "", year: start / 12, month: start % 12 + 1, count: 12)
        period.label = "12 months to \(monthName(month)) \(year)"
        return period
    }

    /// `count` calendar months from `year`-`month`.
    static func months(label: String, year: Int, month: Int, count: Int) -> ReportPeriod {
        let last = year * 12 + month - 1 + count - 1
        let lastYear = last / 12, lastMonth = last % 12 + 1
        return ReportPeriod(label: label, from: String(format: "%04d-%02d-01", year, month),
                            to: String(format: "%04d-%02d-%02d", lastYear, lastMonth, daysIn(year: lastYear, month: lastMonth)))
    }

    /// The same dates a year earlier (29 February becomes the 28th).
    public var yearBefore: ReportPeriod {
        func shift(_ date: String) -> String {
            guard let (y, m, d) = DateText.components(date) else { return date }
            return String(format: "%04d-%02d-%02d", y - 1, m, min(d, Self.daysIn(year: y - 1, month: m)))
        }
        return ReportPeriod(label: "a year before", from: shift(from), to: shift(to))
    }

    /// The first day of the quarter `quarters` before the one holding `to`.
    func quarterStart(back quarters: Int) -> String {
        guard let (y, m, _) = DateText.components(to) else { return from }
        let index = y * 4 + (m - 1) / 3 - quarters
        return String(format: "%04d-%02d-01", index / 4, (index % 4) * 3 + 1)
    }

    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func monthName(_ month: Int) -> String {
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"][month - 1]
    }
}
