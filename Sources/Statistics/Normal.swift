import Foundation

/// The standard normal distribution.
public enum Normal {
    /// Φ(z) = ½·erfc(−z/√2), accurate to double precision in both tails.
    public static func cdf(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// Upper tail 1 − Φ(z) without cancellation.
    public static func survival(_ z: Double) -> Double { 0.5 * erfc(z / 2.0.squareRoot()) }

    /// Two-sided p-value of a z statistic: 2·(1 − Φ(|z|)).
    public static func twoSidedP(_ z: Double) -> Double { min(1, erfc(abs(z) / 2.0.squareRoot())) }

    /// Φ⁻¹(p), by Wichura's algorithm AS 241 (PPND16, Applied Statistics 37:477–484, 1988),
    /// relative accuracy about 1e-16. Returns ±infinity at 0 and 1 and NaN outside [0, 1].
    public static func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        let q = p - 0.5
        if abs(q) <= 0.425 {
            let r = 0.180625 - q * q
            return q * poly(r, central.numerator) / poly(r, central.denominator)
        }
        var r = q < 0 ? p : 1 - p
        r = (-log(r)).squareRoot()
        let value: Double
        if r <= 5 {
            r -= 1.6
            value = poly(r, intermediate.numerator) / poly(r, intermediate.denominator)
        } else {
            r -= 5
            value = poly(r, tail.numerator) / poly(r, tail.denominator)
        }
        return q < 0 ? -value : value
    }

    /// The two-sided critical value z for a confidence `level` (1.959964… for 0.95).
    public static func critical(level: Double) -> Double { quantile(1 - (1 - level) / 2) }

    private static func poly(_ x: Double, _ coefficients: [Double]) -> Double {
        coefficients.reversed().reduce(0) { $0 * x + $1 }
    }

    private static let central = (
        numerator: [3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125,
                    45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727],
        denominator: [1.0, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077,
                      21213.794301586595867, 39307.89580009271061, 28729.085735721942674, 5226.495278852545925])
    private static let intermediate = (
        numerator: [1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504,
                    1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4],
        denominator: [1.0, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455,
                      0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9])
    private static let tail = (
        numerator: [6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123,
                    0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7],
        denominator: [1.0, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525,
                      7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15])
}
