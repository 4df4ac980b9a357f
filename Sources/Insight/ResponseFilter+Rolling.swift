import SurveyEngine
import SurveyStore

extension ResponseFilter {
    /// Keeps the `months` calendar months ending with `end` (`YYYY-MM-DD`): from the first day of
    /// the month `months − 1` before `end`'s month, to `end`. Twelve months ending 2026-03-15 run
    /// from 2025-04-01.
    public mutating func keepMonths(_ months: Int, endingOn end: String) throws(InsightError) {
        guard months >= 1 else { throw .invalidWindow("a rolling window needs at least one month, not \(months)") }
        guard DateText.isValidISODate(end) else { throw .invalidWindow("the window must end on a date written YYYY-MM-DD, not '\(end)'") }
        let parts = end.split(separator: "-").compactMap { Int($0) }
        let index = parts[0] * 12 + parts[1] - 1 - (months - 1)
        guard index >= 0 else { throw .invalidWindow("\(months) months before \(end) is before year 0") }
        from = String(format: "%04d-%02d-01", index / 12, index % 12 + 1)
        to = end
    }
}
