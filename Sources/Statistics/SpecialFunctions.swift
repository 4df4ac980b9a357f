import Foundation

/// Incomplete beta and gamma functions.
public enum SpecialFunctions {
    /// log B(a, b) = lnΓ(a) + lnΓ(b) − lnΓ(a + b).
    public static func logBeta(_ a: Double, _ b: Double) -> Double { lgamma(a) + lgamma(b) - lgamma(a + b) }

    /// The regularised incomplete beta function I_x(a, b), by the continued fraction of
    /// Numerical Recipes (3rd ed., §6.4) evaluated with the modified Lentz method, using the
    /// symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges faster.
    public static func regularizedBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let front = exp(a * log(x) + b * log1p(-x) - logBeta(a, b))
        if x < (a + 1) / (a + b + 2) {
            return front * betaFraction(x, a: a, b: b) / a
        }
        return 1 - exp(b * log1p(-x) + a * log(x) - logBeta(a, b)) * betaFraction(1 - x, a: b, b: a) / b
    }

    private static func betaFraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let m = Double(m)
            let m2 = 2 * m
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return h
    }

    /// The x with I_x(a, b) = p: the p-quantile of a Beta(a, b) distribution. Bisection to bracket,
    /// then Newton steps on the density, each kept inside the bracket, to about 1e-15.
    public static func inverseRegularizedBeta(_ p: Double, a: Double, b: Double) -> Double {
        if p <= 0 { return 0 }
        if p >= 1 { return 1 }
        var lo = 0.0, hi = 1.0
        var x = a / (a + b)
        let logNorm = logBeta(a, b)
        for _ in 0..<200 {
            let f = regularizedBeta(x, a: a, b: b) - p
            if f == 0 { return x }
            if f < 0 { lo = x } else { hi = x }
            let density = exp((a - 1) * log(x) + (b - 1) * log1p(-x) - logNorm)
            var next = x - f / density
            if !(next > lo && next < hi) || !density.isFinite || density == 0 { next = (lo + hi) / 2 }
            if abs(next - x) <= 1e-15 * max(x, 1e-300) || hi - lo <= 1e-16 * max(x, 1e-300) { return next }
            x = next
        }
        return x
    }

    /// The regularised upper incomplete gamma Q(a, x) = Γ(a, x)/Γ(a): series for x < a + 1,
    /// continued fraction otherwise (Numerical Recipes, §6.2).
    public static func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
        if x <= 0 { return 1 }
        let logFront = -x + a * log(x) - lgamma(a)
        if x < a + 1 {
            var sum = 1 / a, term = 1 / a, ap = a
            for _ in 0..<10_000 {
                ap += 1
                term *= x / ap
                sum += term
                if abs(term) < abs(sum) * 1e-16 { break }
            }
            return max(0, 1 - sum * exp(logFront))
        }
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1...10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b; if abs(d) < tiny { d = tiny }
            c = b + an / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return exp(logFront) * h
    }
}
