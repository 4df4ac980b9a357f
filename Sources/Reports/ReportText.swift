import Foundation

/// How figures are written in reports: whole percentages for readers, a margin of error as the
/// interval's half-width in points.
public enum ReportText {
    /// 0.43 → "43%" (or with `decimals`).
    public static func percent(_ value: Double, decimals: Int = 0) -> String {
        MeasureReport.percent(value, decimals: decimals)
    }

    /// The ± of an interval in percentage points, one decimal: (0.381, 0.479) → "4.9".
    public static func margin(lower: Double, upper: Double) -> String {
        FixedPoint.string((upper - lower) / 2 * 100, decimals: 1)
    }

    /// A difference in percentage points with its sign: −0.12 → "−12 points".
    public static func points(_ value: Double) -> String {
        let rounded = Int((abs(value) * 100).rounded())
        if rounded == 0 { return "no change (under half a point)" }
        return (value < 0 ? "−" : "+") + magnitude(value)
    }

    /// The size of a difference in points, without its sign: −0.12 → "12 points", 0.003 →
    /// "under half a point".
    public static func magnitude(_ value: Double) -> String {
        let rounded = Int((abs(value) * 100).rounded())
        return rounded == 0 ? "under half a point" : "\(rounded) point\(rounded == 1 ? "" : "s")"
    }
}
