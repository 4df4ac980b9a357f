import Foundation

/// A confidence interval for a binomial proportion.
public struct ProportionInterval: Equatable, Sendable {
    public var lower: Double
    public var upper: Double

    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// The methods available.
    public enum Method: String, CaseIterable, Sendable {
        case wilson
        case wilsonContinuityCorrected = "wilson-cc"
        case exact
        case jeffreys
        case agrestiCoull = "agresti-coull"
        case wald
    }

    /// The `level` interval for x successes out of n (x and n may be fractional, for weighted
    /// effective counts; `exact` and `jeffreys` use them as Beta parameters).
    ///
    /// - Wilson score (Wilson 1927): (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n).
    /// - Wilson with continuity correction (Newcombe 1998, Stat Med 17:857, method 4).
    /// - Exact / Clopper–Pearson (1934): Beta(α/2; x, n−x+1) to Beta(1−α/2; x+1, n−x).
    /// - Jeffreys (Brown, Cai & DasGupta 2001): Beta(x+½, n−x+½) quantiles, lower 0 when x = 0
    ///   and upper 1 when x = n.
    /// - Agresti–Coull (1998): Wald on ñ = n + z², p̃ = (x + z²/2)/ñ, clipped to [0, 1].
    /// - Wald: p̂ ± z·√(p̂(1−p̂)/n), clipped to [0, 1].
    public static func compute(successes x: Double, n: Double, level: Double = 0.95,
                               method: Method = .wilson) throws(StatisticsError) -> ProportionInterval {
        guard n > 0 else { throw .emptySample }
        guard x >= 0, x <= n, x.isFinite, n.isFinite else { throw .successesOutOfRange(successes: x, n: n) }
        guard level > 0, level < 1 else { throw .levelOutOfRange(level) }
        let alpha = 1 - level
        let z = Normal.critical(level: level)
        let p = x / n
        switch method {
        case .wald:
            let half = z * (p * (1 - p) / n).squareRoot()
            return clipped(p - half, p + half)
        case .wilson:
            let z2 = z * z
            let centre = p + z2 / (2 * n)
            let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
            let denominator = 1 + z2 / n
            return clipped(x == 0 ? 0 : (centre - half) / denominator, x == n ? 1 : (centre + half) / denominator)
        case .wilsonContinuityCorrected:
            return wilsonCorrected(x: x, n: n, z: z)
        case .agrestiCoull:
            let nTilde = n + z * z
            let pTilde = (x + z * z / 2) / nTilde
            let half = z * (pTilde * (1 - pTilde) / nTilde).squareRoot()
            return clipped(pTilde - half, pTilde + half)
        case .exact:
            let lower = x == 0 ? 0 : SpecialFunctions.inverseRegularizedBeta(alpha / 2, a: x, b: n - x + 1)
            let upper = x == n ? 1 : SpecialFunctions.inverseRegularizedBeta(1 - alpha / 2, a: x + 1, b: n - x)
            return ProportionInterval(lower: lower, upper: upper)
        case .jeffreys:
            let lower = x == 0 ? 0 : SpecialFunctions.inverseRegularizedBeta(alpha / 2, a: x + 0.5, b: n - x + 0.5)
            let upper = x == n ? 1 : SpecialFunctions.inverseRegularizedBeta(1 - alpha / 2, a: x + 0.5, b: n - x + 0.5)
            return ProportionInterval(lower: lower, upper: upper)
        }
    }

    private static func wilsonCorrected(x: Double, n: Double, z: Double) -> ProportionInterval {
        let p = x / n, q = 1 - p, z2 = z * z
        let denominator = 2 * (n + z2)
        let lower = x == 0 ? 0 : (2 * n * p + z2 - 1 - z * (z2 - 2 - 1 / n + 4 * p * (n * q + 1)).squareRoot()) / denominator
        let upper = x == n ? 1 : (2 * n * p + z2 + 1 + z * (z2 + 2 - 1 / n + 4 * p * (n * q - 1)).squareRoot()) / denominator
        return clipped(lower, upper)
    }

    private static func clipped(_ lower: Double, _ upper: Double) -> ProportionInterval {
        ProportionInterval(lower: min(max(lower, 0), 1), upper: min(max(upper, 0), 1))
    }
}
