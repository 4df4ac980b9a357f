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

    /// The UTC calendar date of a Unix time, `YYYY-MM-DD`, computed directly (civil-from-days,
    /// H. Hinnant, "chrono-Compatible Low-Level Date Algorithms") — no formatter, no locale.
    public static func isoDate(unixSeconds: Double) -> String {
        let (y, m, d) = civil(days: Int((unixSeconds / 86_400).rounded(.down)))
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    /// The UTC timestamp of a Unix time with milliseconds, `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    public static func isoTimestamp(unixSeconds: Double) -> String {
        let milliseconds = Int((unixSeconds * 1000).rounded(.down))
        let days = Int((Double(milliseconds) / 86_400_000).rounded(.down))
        let inDay = milliseconds - days * 86_400_000
        let (y, m, d) = civil(days: days)
        guard (0...9999).contains(y) else {
            return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T" + pad(inDay / 3_600_000, 2) + ":" + pad(inDay / 60_000 % 60, 2)
                + ":" + pad(inDay / 1000 % 60, 2) + "." + pad(inDay % 1000, 3) + "Z"
        }
        // Written straight into the string's storage: this runs for every saved answer and log line.
        let fields = [(y, 4, UInt8(ascii: "-")), (m, 2, UInt8(ascii: "-")), (d, 2, UInt8(ascii: "T")), (inDay / 3_600_000, 2, UInt8(ascii: ":")),
                      (inDay / 60_000 % 60, 2, UInt8(ascii: ":")), (inDay / 1000 % 60, 2, UInt8(ascii: ".")), (inDay % 1000, 3, UInt8(ascii: "Z"))]
        return String(unsafeUninitializedCapacity: 24) { buffer in
            var index = 0
            for (value, width, separator) in fields {
                var rest = value
                for position in stride(from: index + width - 1, through: index, by: -1) {
                    buffer[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                buffer[index + width] = separator
                index += width + 1
            }
            return index
        }
    }

    /// Days since 1970-01-01 of the date that `text` starts with (`YYYY-MM-DD`, or a timestamp
    /// beginning so), nil when it does not (days-from-civil, Hinnant).
    public static func dayNumber(_ text: String) -> Int? {
        guard let (y0, m, d) = components(String(text.prefix(10))) else { return nil }
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The calendar date of day number `days` since 1970-01-01, as (year, month, day).
    public static func civilDate(days: Int) -> (year: Int, month: Int, day: Int) {
        let (y, m, d) = civil(days: days)
        return (y, m, d)
    }

    private static func civil(days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
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
