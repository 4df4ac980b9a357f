import Foundation

/// The binomial distribution B(n, p).
public enum Binomial {
    /// P(X = k) = C(n, k) pᵏ (1 − p)ⁿ⁻ᵏ, computed in logs.
    public static func pmf(_ k: Int, n: Int, p: Double) -> Double {
        guard k >= 0, k <= n else { return 0 }
        if p == 0 { return k == 0 ? 1 : 0 }
        if p == 1 { return k == n ? 1 : 0 }
        let logChoose = lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
        return exp(logChoose + Double(k) * log(p) + Double(n - k) * log1p(-p))
    }

    /// P(X ≤ k) = I_{1−p}(n − k, k + 1).
    public static func cdf(_ k: Int, n: Int, p: Double) -> Double {
        if k < 0 { return 0 }
        if k >= n { return 1 }
        return SpecialFunctions.regularizedBeta(1 - p, a: Double(n - k), b: Double(k + 1))
    }

    /// Two-sided exact binomial test of x successes in n against p0: the total probability of
    /// outcomes no more likely than the one observed (the "minlike" method of R's binom.test and
    /// scipy.stats.binomtest, with the same 1 + 1e-7 relative tolerance).
    public static func exactTwoSidedP(successes x: Int, n: Int, p0: Double) -> Double {
        let observed = pmf(x, n: n, p: p0)
        let threshold = observed * (1 + 1e-7)
        var total = 0.0
        for k in 0...n {
            let probability = pmf(k, n: n, p: p0)
            if probability <= threshold { total += probability }
        }
        return min(1, total)
    }
}
