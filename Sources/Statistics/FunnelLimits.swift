/// Control limits for a funnel plot of proportions around a target p0 (Spiegelhalter 2005,
/// "Funnel plots for comparing institutional performance", Stat Med 24:1185–1202).
public struct FunnelLimits: Equatable, Sendable {
    public var n: Int
    public var lower95: Double
    public var upper95: Double
    public var lower998: Double
    public var upper998: Double

    /// Normal-approximation limits: p0 ± z·√(p0(1 − p0)/n), z = 1.96 and 3.09, clipped to [0, 1].
    public static func normal(p0: Double, n: Int) throws(StatisticsError) -> FunnelLimits {
        guard n > 0 else { throw .emptySample }
        guard p0 > 0, p0 < 1 else { throw .probabilityOutOfRange(name: "target", value: p0) }
        let se = (p0 * (1 - p0) / Double(n)).squareRoot()
        func limit(_ level: Double, _ sign: Double) -> Double { min(1, max(0, p0 + sign * Normal.critical(level: level) * se)) }
        return FunnelLimits(n: n, lower95: limit(0.95, -1), upper95: limit(0.95, 1), lower998: limit(0.998, -1), upper998: limit(0.998, 1))
    }

    /// Exact binomial limits with Spiegelhalter's interpolation: for tail probability q, r is the
    /// smallest count with P(X ≤ r) ≥ q, α = (P(X ≤ r) − q)/(P(X ≤ r) − P(X ≤ r − 1)), and the
    /// limit is (r − α)/n.
    public static func exact(p0: Double, n: Int) throws(StatisticsError) -> FunnelLimits {
        guard n > 0 else { throw .emptySample }
        guard p0 > 0, p0 < 1 else { throw .probabilityOutOfRange(name: "target", value: p0) }
        return FunnelLimits(n: n, lower95: limit(0.025, p0, n), upper95: limit(0.975, p0, n),
                            lower998: limit(0.001, p0, n), upper998: limit(0.999, p0, n))
    }

    static func limit(_ q: Double, _ p0: Double, _ n: Int) -> Double {
        // Start a little below the normal approximation's quantile and walk to the smallest r
        // with P(X ≤ r) ≥ q: a few steps instead of n for a base of thousands. One incomplete
        // beta gives P(X ≤ r) where the walk starts; each step adds or takes away one term
        // P(X = r), far cheaper than another incomplete beta (a dashboard draws hundreds).
        let guess = Double(n) * p0 + Normal.quantile(q) * (Double(n) * p0 * (1 - p0)).squareRoot()
        var r = max(0, min(n, Int(guess.rounded(.down)) - 3))
        var cumulative = Binomial.cdf(r, n: n, p: p0)
        var term = Binomial.pmf(r, n: n, p: p0)
        // The ratio P(X = k + 1) / P(X = k) = (n − k) / (k + 1) · p0 / (1 − p0).
        let odds = p0 / (1 - p0)
        while r > 0, cumulative >= q {
            cumulative -= term
            term = term * Double(r) / (Double(n - r + 1) * odds)
            r -= 1
        }
        while cumulative < q && r < n {
            term = term * Double(n - r) / Double(r + 1) * odds
            r += 1
            cumulative += term
        }
        if r >= n { cumulative = 1 }
        let below = cumulative - term
        let alpha = (cumulative - q) / (cumulative - below)
        return min(1, max(0, (Double(r) - alpha) / Double(n)))
    }

    /// Limits for each n in `sizes`.
    public static func table(p0: Double, sizes: [Int], exact useExact: Bool = true) throws(StatisticsError) -> [FunnelLimits] {
        var result: [FunnelLimits] = []
        for n in sizes { result.append(useExact ? try exact(p0: p0, n: n) : try normal(p0: p0, n: n)) }
        return result
    }
}
