import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Numbers with a fixed number of decimals, exactly as C's `printf("%.*f")` writes them (the
/// same digits `String(format:)` gives). Most values are rounded here with integer arithmetic;
/// the few within a rounding error of a tie, and the huge, go through `vsnprintf`, which rounds
/// the exact binary value. (Foundation's formatter was a quarter of a dashboard page's time, and
/// `vsnprintf` itself still a tenth of one with 600 wards of poll shares.)
enum FixedPoint {
    private static let scales: [Double] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]

    /// `value` with `decimals` digits after the point (0–20), rounded as printf rounds.
    static func string(_ value: Double, decimals: Int) -> String {
        let decimals = max(0, min(20, decimals))
        if decimals < scales.count, value.isFinite {
            let scaled = abs(value) * scales[decimals]
            // One rounding in the product: its error is within an ulp, so a fraction further than
            // that from one half rounds as the exact value does; the subtraction is exact.
            if scaled < 1e15 {
                let whole = scaled.rounded(.down)
                let fraction = scaled - whole
                if abs(fraction - 0.5) > 2 * scaled.ulp {
                    let rounded = Int64(whole) + (fraction > 0.5 ? 1 : 0)
                    let sign = value.sign == .minus ? "-" : ""
                    guard decimals > 0 else { return sign + String(rounded) }
                    let unit = Int64(scales[decimals])
                    let digits = String(rounded % unit)
                    return sign + String(rounded / unit) + "." + String(repeating: "0", count: decimals - digits.count) + digits
                }
            }
        }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 48) { buffer -> String in
            let written = withVaList([Int32(decimals), value]) { vsnprintf(buffer.baseAddress!, 48, "%.*f", $0) }
            guard written >= 0, written < 48 else { return String(format: "%.\(decimals)f", value) }
            return String(cString: buffer.baseAddress!)
        }
    }
}
