import Foundation

/// A binomial logistic regression fitted by iteratively reweighted least squares (IRLS), as R's
/// `glm.fit` and statsmodels' `GLM` do: start at β = 0, and repeat
///   η = Xβ, μ = 1/(1 + e^−η), w = n·μ(1 − μ), z = η + (y − nμ)/(n·μ(1 − μ)), β = (XᵀWX)⁻¹XᵀWz
/// until the deviance changes by less than 1e-10 relative (R's test: |dev − dev₀|/(|dev| + 0.1)).
/// Rows are covariate patterns with `trials` cases and `successes` among them, so a million
/// responses with a few thousand distinct patterns cost a few thousand rows per iteration.
/// Standard errors from (XᵀWX)⁻¹ at the estimate; Wald intervals β ± z·se; two-sided Wald p.
public struct LogisticRegression: Sendable {
    public struct Term: Equatable, Sendable {
        public var name: String
        public var coefficient: Double
        public var standardError: Double
        public var z: Double
        public var pValue: Double
        public var oddsRatio: Double { Foundation.exp(coefficient) }
        /// The Wald interval of the odds ratio at `level`.
        public func oddsRatioInterval(level: Double = 0.95) -> (lower: Double, upper: Double) {
            let q = Normal.quantile(1 - (1 - level) / 2)
            return (Foundation.exp(coefficient - q * standardError), Foundation.exp(coefficient + q * standardError))
        }
    }

    public var terms: [Term]
    public var deviance: Double
    public var iterations: Int

    /// Fits the model. `design` has one row per pattern (with the intercept column, if wanted);
    /// `names` names its columns. Throws, naming the term, on perfect or quasi-perfect separation
    /// (a coefficient running off to infinity: fitted probabilities of 0 or 1, or |β| beyond 15
    /// with a standard error to match) and on a design whose columns are not independent.
    public static func fit(design: [[Double]], names: [String], successes: [Double], trials: [Double],
                           maximumIterations: Int = 50) throws(StatisticsError) -> LogisticRegression {
        let p = names.count
        guard !design.isEmpty, design.count == successes.count, design.count == trials.count, design.allSatisfy({ $0.count == p }) else {
            throw .invalidTable("a design of \(design.count) rows and \(p) named columns, with successes and trials for each row")
        }
        guard zip(successes, trials).allSatisfy({ $0 >= 0 && $1 > 0 && $0 <= $1 }) else {
            throw .invalidTable("every row needs trials above 0 and successes between 0 and trials")
        }
        var beta = [Double](repeating: 0, count: p)
        var deviance = Double.infinity
        var information = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        for iteration in 1...maximumIterations {
            var xtwx = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
            var xtwz = [Double](repeating: 0, count: p)
            var newDeviance = 0.0
            for (row, x) in design.enumerated() {
                var eta = 0.0
                for j in 0..<p { eta += x[j] * beta[j] }
                let mu = 1 / (1 + Foundation.exp(-eta))
                let n = trials[row], y = successes[row]
                let variance = max(mu * (1 - mu), 1e-300)
                let w = n * variance
                let z = eta + (y - n * mu) / w
                for j in 0..<p where x[j] != 0 {
                    let wx = w * x[j]
                    xtwz[j] += wx * z
                    for k in j..<p where x[k] != 0 { xtwx[j][k] += wx * x[k] }
                }
                newDeviance += 2 * (xlogy(y, y / (n * mu)) + xlogy(n - y, (n - y) / (n * (1 - mu))))
            }
            for j in 0..<p { for k in 0..<j { xtwx[j][k] = xtwx[k][j] } }
            guard let next = solve(xtwx, xtwz) else {
                throw .singularDesign(term: names[dependentColumn(xtwx) ?? 0])
            }
            information = xtwx
            let previous = beta
            beta = next
            let converged = abs(newDeviance - deviance) / (abs(newDeviance) + 0.1) < 1e-10
            deviance = newDeviance
            if converged {
                beta = previous
                return try result(beta: beta, information: information, names: names, deviance: deviance, iterations: iteration)
            }
        }
        throw .separation(term: names[separatingTerm(Array(beta.indices), beta: beta, names: names)])
    }

    /// Of the terms running off, the one to name: the largest coefficient other than the
    /// intercept (whose divergence only follows the category that separates).
    private static func separatingTerm(_ candidates: [Int], beta: [Double], names: [String]) -> Int {
        let named = candidates.filter { names[$0] != "intercept" }
        return (named.isEmpty ? candidates : named).max { abs(beta[$0]) < abs(beta[$1]) } ?? 0
    }

    private static func result(beta: [Double], information: [[Double]], names: [String], deviance: Double,
                               iterations: Int) throws(StatisticsError) -> LogisticRegression {
        guard let covariance = invert(information) else { throw .singularDesign(term: names[dependentColumn(information) ?? 0]) }
        var terms: [Term] = []
        var separating: [Int] = []
        for (j, name) in names.enumerated() {
            let se = covariance[j][j].squareRoot()
            // A coefficient this far out with a standard error to match is a term that separates
            // the outcomes: its estimate is not finite, only as large as the iterations took it.
            if !se.isFinite || (abs(beta[j]) > 15 && se > 5) || se > 1e3 { separating.append(j) }
            let z = beta[j] / se
            terms.append(Term(name: name, coefficient: beta[j], standardError: se, z: z, pValue: Normal.twoSidedP(z)))
        }
        if !separating.isEmpty { throw .separation(term: names[separatingTerm(separating, beta: beta, names: names)]) }
        return LogisticRegression(terms: terms, deviance: deviance, iterations: iterations)
    }

    /// x·log(y), 0 when x is 0.
    private static func xlogy(_ x: Double, _ y: Double) -> Double { x == 0 ? 0 : x * Foundation.log(y) }

    /// Solves A·x = b for a symmetric positive definite A (Cholesky), nil when A is not.
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        guard let l = cholesky(a) else { return nil }
        let n = b.count
        var y = b
        for i in 0..<n {
            for k in 0..<i { y[i] -= l[i][k] * y[k] }
            y[i] /= l[i][i]
        }
        var x = y
        for i in stride(from: n - 1, through: 0, by: -1) {
            for k in (i + 1)..<n { x[i] -= l[k][i] * x[k] }
            x[i] /= l[i][i]
        }
        return x
    }

    /// The inverse of a symmetric positive definite matrix, nil when it is not.
    static func invert(_ a: [[Double]]) -> [[Double]]? {
        let n = a.count
        var inverse = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for column in 0..<n {
            var e = [Double](repeating: 0, count: n)
            e[column] = 1
            guard let x = solve(a, e) else { return nil }
            for row in 0..<n { inverse[row][column] = x[row] }
        }
        return inverse
    }

    private static func cholesky(_ a: [[Double]]) -> [[Double]]? {
        let n = a.count
        var l = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        let scale = (0..<n).map { a[$0][$0] }.max() ?? 1
        for i in 0..<n {
            for j in 0...i {
                var sum = a[i][j]
                for k in 0..<j { sum -= l[i][k] * l[j][k] }
                if i == j {
                    guard sum > 1e-12 * max(scale, 1e-300) else { return nil }
                    l[i][i] = sum.squareRoot()
                } else {
                    l[i][j] = sum / l[j][j]
                }
            }
        }
        return l
    }

    /// The first column that depends on the ones before it (where Cholesky breaks down).
    private static func dependentColumn(_ a: [[Double]]) -> Int? {
        for size in 1...a.count where cholesky(Array(a.prefix(size).map { Array($0.prefix(size)) })) == nil { return size - 1 }
        return nil
    }
}
