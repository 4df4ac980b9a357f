/// Calendar dates as `YYYY-MM-DD` text, checked without Foundation's calendars.
public enum DateText {
    /// True for a real calendar date between 1900 and 2999 written `YYYY-MM-DD`.
    public static func isValidISODate(_ s: String) -> Bool { components(s) != nil }

    /// Year, month and day of a valid `YYYY-MM-DD` date.
    public static func components(_ s: String) -> (year: Int, month: Int, day: Int)? {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1900...2999).contains(y), (1...12).contains(m), d >= 1, d <= daysIn(month: m, year: y) else { return nil }
        return (y, m, d)
    }

    /// Builds `YYYY-MM-DD` from day, month and year as typed (e.g. "27", "3", "2026"), or nil.
    public static func fromParts(day: String, month: String, year: String) -> String? {
        guard let d = Int(day.trimmed), let m = Int(month.trimmed), let y = Int(year.trimmed) else { return nil }
        let text = "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
        return isValidISODate(text) ? text : nil
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

extension String {
    var trimmed: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
