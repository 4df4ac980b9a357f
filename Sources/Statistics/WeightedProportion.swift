/// A proportion from weighted outcomes, with Kish's effective sample size.
public struct WeightedProportion: Equatable, Sendable {
    /// p = Σwy / Σw.
    public var proportion: Double
    /// Kish (1965) effective sample size: (Σw)² / Σw².
    public var effectiveN: Double
    /// Design effect due to weighting: n / n_eff.
    public var designEffect: Double
    /// The unweighted count.
    public var n: Int

    /// Computes the weighted proportion of `outcomes` (true = success) with `weights`.
    public init(outcomes: [Bool], weights: [Double]) throws(StatisticsError) {
        guard outcomes.count == weights.count else { throw .mismatchedLengths(outcomes.count, weights.count) }
        guard !outcomes.isEmpty else { throw .emptySample }
        var sum = 0.0, sumSquares = 0.0, successes = 0.0
        for (index, (y, w)) in zip(outcomes, weights).enumerated() {
            guard w > 0, w.isFinite else { throw .invalidWeight(index: index, value: w) }
            sum += w
            sumSquares += w * w
            if y { successes += w }
        }
        try self.init(weightedSuccesses: successes, sumOfWeights: sum, sumOfSquaredWeights: sumSquares, n: outcomes.count)
    }

    /// From running sums (for streaming over many rows). A zero weight sum has no proportion: it
    /// throws rather than giving NaN, as do sums no set of positive weights could give.
    public init(weightedSuccesses: Double, sumOfWeights: Double, sumOfSquaredWeights: Double, n: Int) throws(StatisticsError) {
        guard n > 0 else { throw .emptySample }
        guard sumOfWeights > 0, sumOfSquaredWeights > 0, sumOfWeights.isFinite, sumOfSquaredWeights.isFinite,
              weightedSuccesses >= 0, weightedSuccesses <= sumOfWeights * (1 + 1e-12) else {
            throw .invalidWeightedSums(successes: weightedSuccesses, sumOfWeights: sumOfWeights, sumOfSquaredWeights: sumOfSquaredWeights)
        }
        proportion = weightedSuccesses / sumOfWeights
        effectiveN = sumOfWeights * sumOfWeights / sumOfSquaredWeights
        designEffect = Double(n) / effectiveN
        self.n = n
    }

    /// The test against a fixed baseline p0 on the effective sample (x_eff = p·n_eff of n_eff):
    /// the score test, or where n_eff·p0 or n_eff·(1 − p0) is under 10, the exact binomial test
    /// with n_eff and x_eff rounded to whole numbers (the exact test needs whole counts; the
    /// score test there would be the poor approximation the unweighted rule avoids).
    public func testAgainst(baseline p0: Double) throws(StatisticsError) -> TestResult {
        try ProportionTests.againstBaseline(successes: proportion * effectiveN, n: effectiveN, p0: p0, roundForExact: true)
    }

    /// The interval computed on the effective sample: x_eff = p·n_eff successes of n_eff.
    public func interval(level: Double = 0.95, method: ProportionInterval.Method = .wilson) throws(StatisticsError) -> ProportionInterval {
        try ProportionInterval.compute(successes: proportion * effectiveN, n: effectiveN, level: level, method: method)
    }
}
