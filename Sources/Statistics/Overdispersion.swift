/// Spiegelhalter's multiplicative over-dispersion factor for a funnel plot of proportions
/// (Spiegelhalter 2005, "Funnel plots for comparing institutional performance", Stat Med
/// 24:1185–1202, section 6; "Handling over-dispersion of performance indicators", Qual Saf
/// Health Care 14:347–351).
///
/// Each unit's z-score against the target is zᵢ = (yᵢ − p₀)/√(p₀(1 − p₀)/nᵢ). The lowest and
/// highest `k = ⌊q·I⌋` z-scores are Winsorised (set to the (k+1)-th from that end, as
/// `scipy.stats.mstats.winsorize(limits=(q, q))`), so outliers do not inflate the estimate, and
/// φ̂ = (1/I) Σ zᵢ². Under no over-dispersion I·φ̂ is approximately χ² on I degrees of freedom
/// (the target is given, not estimated). Limits are then p₀ ± z·√(φ̂·p₀(1 − p₀)/n) when φ̂ > 1.
public struct Overdispersion: Equatable, Sendable {
    /// φ̂: the Winsorised mean squared z-score.
    public var phi: Double
    /// The number of units the estimate is over.
    public var units: Int
    /// P(χ²_I ≥ I·φ̂): small when the units vary more than chance allows.
    public var pValue: Double
    /// The z-scores after Winsorising, in the units' order.
    public var winsorisedZ: [Double]

    /// Estimates φ̂ from each unit's proportion and base against `target`; `winsorise` is the
    /// fraction set in at each end (Spiegelhalter's 10% by default).
    public static func estimate(proportions: [Double], sizes: [Int], target p0: Double, winsorise q: Double = 0.1) throws(StatisticsError) -> Overdispersion {
        guard proportions.count == sizes.count else { throw .mismatchedLengths(proportions.count, sizes.count) }
        guard !sizes.isEmpty else { throw .emptySample }
        guard p0 > 0, p0 < 1 else { throw .probabilityOutOfRange(name: "target", value: p0) }
        guard q >= 0, q < 0.5 else { throw .probabilityOutOfRange(name: "Winsorising fraction", value: q) }
        var z: [Double] = []
        for (index, (p, n)) in zip(proportions, sizes).enumerated() {
            guard n > 0 else { throw .invalidWeight(index: index, value: Double(n)) }
            z.append((p - p0) / (p0 * (1 - p0) / Double(n)).squareRoot())
        }
        let k = Int((q * Double(z.count)).rounded(.down))
        if k > 0 {
            let sorted = z.sorted()
            let low = sorted[k], high = sorted[z.count - 1 - k]
            z = z.map { min(high, max(low, $0)) }
        }
        let phi = z.reduce(0) { $0 + $1 * $1 } / Double(z.count)
        let p = SpecialFunctions.regularizedGammaQ(Double(z.count) / 2, Double(z.count) * phi / 2)
        return Overdispersion(phi: phi, units: z.count, pValue: p, winsorisedZ: z)
    }

    /// Whether the limits are widened: only when the units vary more than binomial chance (φ̂ > 1).
    public var widensLimits: Bool { phi > 1 }

    /// Funnel limits at `n` widened by √φ̂ (normal approximation, clipped to [0, 1]); the exact
    /// binomial limits when φ̂ ≤ 1.
    public func limits(p0: Double, n: Int) throws(StatisticsError) -> FunnelLimits {
        guard widensLimits else { return try FunnelLimits.exact(p0: p0, n: n) }
        guard n > 0 else { throw .emptySample }
        let se = (phi * p0 * (1 - p0) / Double(n)).squareRoot()
        func limit(_ level: Double, _ sign: Double) -> Double { min(1, max(0, p0 + sign * Normal.critical(level: level) * se)) }
        return FunnelLimits(n: n, lower95: limit(0.95, -1), upper95: limit(0.95, 1), lower998: limit(0.998, -1), upper998: limit(0.998, 1))
    }
}
