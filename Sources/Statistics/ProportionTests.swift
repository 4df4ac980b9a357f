import Foundation

/// A test of a proportion against a fixed value or another sample.
public struct TestResult: Equatable, Sendable {
    /// The z statistic (nil for the exact test).
    public var statistic: Double?
    public var pValue: Double
    /// Which test was used.
    public var method: Method

    public enum Method: String, Sendable {
        case score, exactBinomial = "exact-binomial", twoProportion = "two-proportion", chiSquare = "chi-square"
    }
}

/// Tests on proportions.
public enum ProportionTests {
    /// Score test of x/n against a fixed p0: z = (p̂ − p0)/√(p0(1 − p0)/n), two-sided p = 2(1 − Φ(|z|)).
    public static func score(successes x: Double, n: Double, p0: Double) throws(StatisticsError) -> TestResult {
        try check(x: x, n: n, p0: p0)
        let z = (x / n - p0) / (p0 * (1 - p0) / n).squareRoot()
        return TestResult(statistic: z, pValue: Normal.twoSidedP(z), method: .score)
    }

    /// The test against a baseline used for verdicts: the exact binomial test when n·p0 or
    /// n·(1 − p0) is under 10 (the normal approximation is poor there), else the score test.
    /// Counts that are not whole (a weighted cell's effective sample) are rounded to the nearest
    /// whole numbers for the exact test when `roundForExact` is set; without it they throw, so a
    /// caller cannot fall back to the score test without saying so.
    public static func againstBaseline(successes x: Double, n: Double, p0: Double, roundForExact: Bool = false) throws(StatisticsError) -> TestResult {
        try check(x: x, n: n, p0: p0)
        if n * p0 < 10 || n * (1 - p0) < 10 {
            let whole = x.rounded() == x && n.rounded() == n
            guard whole || roundForExact else { throw .successesOutOfRange(successes: x, n: n) }
            let wholeN = max(1, Int(n.rounded()))
            let wholeX = min(wholeN, max(0, Int(x.rounded())))
            return TestResult(statistic: nil, pValue: Binomial.exactTwoSidedP(successes: wholeX, n: wholeN, p0: p0), method: .exactBinomial)
        }
        return try score(successes: x, n: n, p0: p0)
    }

    /// Pooled two-proportion z test of x1/n1 against x2/n2:
    /// z = (p̂1 − p̂2)/√(p̄(1 − p̄)(1/n1 + 1/n2)), p̄ = (x1 + x2)/(n1 + n2).
    public static func twoProportion(x1: Double, n1: Double, x2: Double, n2: Double) throws(StatisticsError) -> TestResult {
        guard n1 > 0, n2 > 0 else { throw .emptySample }
        guard x1 >= 0, x1 <= n1 else { throw .successesOutOfRange(successes: x1, n: n1) }
        guard x2 >= 0, x2 <= n2 else { throw .successesOutOfRange(successes: x2, n: n2) }
        let pooled = (x1 + x2) / (n1 + n2)
        let se = (pooled * (1 - pooled) * (1 / n1 + 1 / n2)).squareRoot()
        guard se > 0 else { return TestResult(statistic: 0, pValue: 1, method: .twoProportion) }
        let z = (x1 / n1 - x2 / n2) / se
        return TestResult(statistic: z, pValue: Normal.twoSidedP(z), method: .twoProportion)
    }

    /// Pearson's chi-square test of independence for an r×c table of counts (no continuity
    /// correction): X² = Σ (O − E)²/E with E = row·column/total, df = (r − 1)(c − 1).
    public static func chiSquare(_ table: [[Double]]) throws(StatisticsError) -> (statistic: Double, degreesOfFreedom: Int, pValue: Double) {
        guard table.count >= 2, let columns = table.first?.count, columns >= 2, table.allSatisfy({ $0.count == columns }) else {
            throw .invalidTable("needs at least 2 rows and 2 columns of equal length")
        }
        guard table.allSatisfy({ $0.allSatisfy { $0 >= 0 && $0.isFinite } }) else { throw .invalidTable("counts must be non-negative") }
        let rowTotals = table.map { $0.reduce(0, +) }
        let columnTotals = (0..<columns).map { c in table.reduce(0) { $0 + $1[c] } }
        let total = rowTotals.reduce(0, +)
        guard rowTotals.allSatisfy({ $0 > 0 }), columnTotals.allSatisfy({ $0 > 0 }) else {
            throw .invalidTable("every row and column needs a non-zero total")
        }
        var statistic = 0.0
        for r in 0..<table.count {
            for c in 0..<columns {
                let expected = rowTotals[r] * columnTotals[c] / total
                statistic += (table[r][c] - expected) * (table[r][c] - expected) / expected
            }
        }
        let df = (table.count - 1) * (columns - 1)
        return (statistic, df, SpecialFunctions.regularizedGammaQ(Double(df) / 2, statistic / 2))
    }

    private static func check(x: Double, n: Double, p0: Double) throws(StatisticsError) {
        guard n > 0 else { throw .emptySample }
        guard x >= 0, x <= n else { throw .successesOutOfRange(successes: x, n: n) }
        guard p0 > 0, p0 < 1 else { throw .probabilityOutOfRange(name: "baseline", value: p0) }
    }
}
