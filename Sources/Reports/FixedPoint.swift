import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Numbers with a fixed number of decimals, exactly as C's `printf("%.*f")` writes them (the
/// same digits `String(format:)` gives), written through `vsnprintf` into a stack buffer:
/// Foundation's formatter goes through CFString and was a quarter of a dashboard page's time.
enum FixedPoint {
    /// `value` with `decimals` digits after the point (0–20), rounded as printf rounds.
    static func string(_ value: Double, decimals: Int) -> String {
        let decimals = Int32(max(0, min(20, decimals)))
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 48) { buffer -> String in
            let written = withVaList([decimals, value]) { vsnprintf(buffer.baseAddress!, 48, "%.*f", $0) }
            guard written >= 0, written < 48 else { return String(format: "%.\(decimals)f", value) }
            return String(cString: buffer.baseAddress!)
        }
    }
}
