import SurveyEngine

/// How a range of days [from, to] (either end open) is read from the maintained cells: the
/// whole calendar months inside it from the month cells, given by their first days, and the days
/// at either end outside those months from the day cells. Together they cover every day of the
/// range once.
struct CellRangeSplit: Equatable, Sendable {
    /// The first days of the first and last whole months (nil: open on that side), or nil when
    /// the range holds no whole month.
    var months: (first: Int64?, last: Int64?)?
    /// Day ranges, each closed.
    var days: [(from: Int64, to: Int64)]

    init(from: Int64?, to: Int64?) {
        let firstWhole = from.map { $0 == Self.monthStart($0) ? $0 : Self.nextMonthStart($0) }
        // The first day of the last whole month: to's own month if to is its last day.
        let lastWhole = to.map { Self.nextMonthStart($0) == $0 + 1 ? Self.monthStart($0) : Self.monthStart(Self.monthStart($0) - 1) }
        if let from, let to, let firstWhole, let lastWhole, firstWhole > lastWhole {
            months = nil
            days = from <= to ? [(from, to)] : []
            return
        }
        months = (firstWhole, lastWhole)
        days = []
        if let from, let firstWhole, from < firstWhole { days.append((from, firstWhole - 1)) }
        if let to, let lastWhole, Self.nextMonthStart(lastWhole) <= to { days.append((Self.nextMonthStart(lastWhole), to)) }
    }

    /// The first day of the month of day number `day`.
    static func monthStart(_ day: Int64) -> Int64 {
        day - Int64(DateText.civilDate(days: Int(day)).day) + 1
    }

    /// The first day of the month after the month of `day`.
    static func nextMonthStart(_ day: Int64) -> Int64 {
        monthStart(monthStart(day) + 31)
    }

    static func == (a: CellRangeSplit, b: CellRangeSplit) -> Bool {
        a.months?.first == b.months?.first && a.months?.last == b.months?.last && (a.months == nil) == (b.months == nil)
            && a.days.map(\.from) == b.days.map(\.from) && a.days.map(\.to) == b.days.map(\.to)
    }
}
