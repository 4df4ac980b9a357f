import SurveyEngine

/// The demo's dates, times and references as text, zero-padded by hand: `String(format:)` was a
/// tenth of the time it takes to make a million cases.
enum DemoText {
    /// `value` in decimal, with leading zeros to at least `width` digits (value ≥ 0).
    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// Day number `days` as `YYYY-MM-DD`.
    static func date(_ days: Int) -> String {
        let d = DateText.civilDate(days: days)
        return padded(d.year, 4) + "-" + padded(d.month, 2) + "-" + padded(d.day, 2)
    }

    /// Day number `days` and `seconds` into it as `YYYY-MM-DDTHH:MM:SS.000Z`.
    static func timestamp(days: Int, seconds: Int) -> String {
        date(days) + "T" + padded(seconds / 3600, 2) + ":" + padded(seconds / 60 % 60, 2) + ":" + padded(seconds % 60, 2) + ".000Z"
    }
}
