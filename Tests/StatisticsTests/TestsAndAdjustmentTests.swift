import XCTest
@testable import Statistics

/// Reference values from scipy 1.17.1 and statsmodels 0.15.0, computed while writing these tests.
final class ProportionTestTests: XCTestCase {
    /// The Metropolitan Police inspection: 43% of 400 satisfied against the national 55%.
    /// statsmodels proportions_ztest(172, 400, 0.55, prop_var=0.55) → z = −4.82418151324422, p = 1.4057935180978344e-06.
    func testScoreTestAgainstBaseline() throws {
        let result = try ProportionTests.score(successes: 172, n: 400, p0: 0.55)
        XCTAssertEqual(result.statistic!, -4.82418151324422, accuracy: 1e-12)
        XCTAssertEqual(result.pValue, 1.4057935180978344e-06, accuracy: 1e-18)
        XCTAssertEqual(try ProportionTests.againstBaseline(successes: 172, n: 400, p0: 0.55).method, .score)
    }

    /// scipy.stats.binomtest(x, n, p).pvalue (two-sided, minlike).
    func testExactBinomialTest() throws {
        let cases: [(Int, Int, Double, Double)] = [(3, 12, 0.55, 0.043863951665757794), (2, 15, 0.82, 1.5169196737203646e-08),
                                                   (9, 10, 0.63, 0.10331964133005614), (0, 5, 0.5, 0.0625)]
        for (x, n, p0, expected) in cases {
            let result = try ProportionTests.againstBaseline(successes: Double(x), n: Double(n), p0: p0)
            XCTAssertEqual(result.method, .exactBinomial, "n·p0 < 10 uses the exact test")
            XCTAssertEqual(result.pValue, expected, accuracy: expected * 1e-9, "\(x)/\(n) vs \(p0)")
        }
    }

    /// statsmodels proportions_ztest([172, 220], [400, 400]) → z = −3.394791575920028, p = 0.0006868086390263446.
    func testTwoProportionTest() throws {
        let result = try ProportionTests.twoProportion(x1: 172, n1: 400, x2: 220, n2: 400)
        XCTAssertEqual(result.statistic!, -3.394791575920028, accuracy: 1e-12)
        XCTAssertEqual(result.pValue, 0.0006868086390263446, accuracy: 1e-15)
    }

    /// scipy.stats.chi2_contingency(table, correction=False).
    func testChiSquare() throws {
        let result = try ProportionTests.chiSquare([[30, 10, 5], [20, 25, 10], [10, 15, 25]])
        XCTAssertEqual(result.statistic, 33.215909090909086, accuracy: 1e-10)
        XCTAssertEqual(result.degreesOfFreedom, 4)
        XCTAssertEqual(result.pValue, 1.078861992839519e-06, accuracy: 1e-15)
        let small = try ProportionTests.chiSquare([[45, 55], [30, 70]])
        XCTAssertEqual(small.statistic, 4.8, accuracy: 1e-12)
        XCTAssertEqual(small.pValue, 0.028459736916310638, accuracy: 1e-14)
        XCTAssertThrowsError(try ProportionTests.chiSquare([[1, 2]]))
    }

    func testBaselineMustBeAProportion() {
        XCTAssertThrowsError(try ProportionTests.score(successes: 1, n: 10, p0: 55)) {
            XCTAssertEqual("\($0)", "baseline 55.0 must be a proportion between 0 and 1")
        }
    }
}

final class WeightingAndAdjustmentTests: XCTestCase {
    /// numpy: p = Σwy/Σw = 0.7, n_eff = (Σw)²/Σw² = 8.780841799709723, deff = 1.1388429752066118;
    /// statsmodels proportion_confint(p·n_eff, n_eff, method='wilson') = (0.37910125619839524, 0.8991631288382143).
    func testWeightedProportion() throws {
        let outcomes = [true, false, true, true, false, true, false, false, true, true]
        let weights = [1.2, 0.8, 2.0, 1.0, 0.5, 1.5, 1.1, 0.9, 0.7, 1.3]
        let weighted = try WeightedProportion(outcomes: outcomes, weights: weights)
        XCTAssertEqual(weighted.proportion, 0.7, accuracy: 1e-14)
        XCTAssertEqual(weighted.effectiveN, 8.780841799709723, accuracy: 1e-12)
        XCTAssertEqual(weighted.designEffect, 1.1388429752066118, accuracy: 1e-12)
        let interval = try weighted.interval()
        XCTAssertEqual(interval.lower, 0.37910125619839524, accuracy: 1e-10)
        XCTAssertEqual(interval.upper, 0.8991631288382143, accuracy: 1e-10)
        XCTAssertThrowsError(try WeightedProportion(outcomes: [true], weights: [0])) {
            XCTAssertEqual($0 as? StatisticsError, .invalidWeight(index: 0, value: 0))
        }
        XCTAssertThrowsError(try WeightedProportion(outcomes: [true], weights: []))
    }

    /// A small weighted cell against a baseline takes the exact test on its effective sample, as
    /// an unweighted cell would. Σw = 20, Σw² = 33, Σwy = 7: n_eff = 400/33 = 12.12, x_eff = 4.24,
    /// n_eff·p0 = 6.7 < 10. scipy.stats.binomtest(4, 12, 0.55).pvalue = 0.15388195893788692
    /// (the score test on 4.24 of 12.12 would give 0.1616).
    func testASmallWeightedCellTakesTheExactTestOnItsEffectiveSample() throws {
        let weighted = try WeightedProportion(weightedSuccesses: 7, sumOfWeights: 20, sumOfSquaredWeights: 33, n: 15)
        let test = try weighted.testAgainst(baseline: 0.55)
        XCTAssertEqual(test.method, .exactBinomial)
        XCTAssertEqual(test.pValue, 0.15388195893788692, accuracy: 1e-12)
        // A large weighted cell keeps the score test.
        let large = try WeightedProportion(weightedSuccesses: 70, sumOfWeights: 200, sumOfSquaredWeights: 330, n: 150)
        XCTAssertEqual(try large.testAgainst(baseline: 0.55).method, .score)
        // Whole counts are required for the exact test unless rounding is asked for.
        XCTAssertThrowsError(try ProportionTests.againstBaseline(successes: 4.24, n: 12.12, p0: 0.55))
    }

    func testAZeroWeightSumIsAnErrorNotNaN() {
        XCTAssertThrowsError(try WeightedProportion(weightedSuccesses: 0, sumOfWeights: 0, sumOfSquaredWeights: 0, n: 3)) { error in
            XCTAssertEqual(error as? StatisticsError, .invalidWeightedSums(successes: 0, sumOfWeights: 0, sumOfSquaredWeights: 0))
            XCTAssertTrue("\(error)".contains("Σw"), "\(error)")
        }
        XCTAssertThrowsError(try WeightedProportion(weightedSuccesses: 5, sumOfWeights: 4, sumOfSquaredWeights: 6, n: 3))
        XCTAssertThrowsError(try WeightedProportion(weightedSuccesses: 0, sumOfWeights: 1, sumOfSquaredWeights: 1, n: 0))
    }

    /// The 15 p-values of Benjamini & Hochberg (1995, JRSS B 57:289), adjusted by statsmodels
    /// multipletests(method='fdr_bh').
    func testBenjaminiHochbergOnThePublishedExample() {
        let p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000]
        let expected = [0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.0638571429, 0.0638571429, 0.0645, 0.0765, 0.486,
                        0.5811818182, 0.714875, 0.7532307692, 0.8132142857, 1.0]
        let adjusted = MultipleComparisons.benjaminiHochberg(p)
        for (a, e) in zip(adjusted, expected) { XCTAssertEqual(a, e, accuracy: 1e-9) }
        // Order is preserved: shuffle in, same values out in the same positions.
        let shuffled = MultipleComparisons.benjaminiHochberg([0.3240, 0.0001, 0.0459])
        for (a, e) in zip(shuffled, [0.324, 0.0003, 0.06885]) { XCTAssertEqual(a, e, accuracy: 1e-12) }
    }

    /// The limits' walk (one incomplete beta, then a term at a time) agrees with evaluating the
    /// binomial distribution afresh at every step, for every base from 1 to 3,000 and baselines
    /// across the range.
    func testTheIncrementalWalkAgreesWithTheDistributionEverywhere() throws {
        func direct(_ q: Double, _ p0: Double, _ n: Int) -> Double {
            var r = 0
            while Binomial.cdf(r, n: n, p: p0) < q && r < n { r += 1 }
            let cumulative = Binomial.cdf(r, n: n, p: p0), below = Binomial.cdf(r - 1, n: n, p: p0)
            return min(1, max(0, (Double(r) - (cumulative - q) / (cumulative - below)) / Double(n)))
        }
        for p0 in [0.05, 0.43, 0.55, 0.82, 0.97] {
            for n in Array(1...300) + Array(stride(from: 301, through: 3000, by: 37)) {
                let limits = try FunnelLimits.exact(p0: p0, n: n)
                for (value, q) in [(limits.lower95, 0.025), (limits.upper95, 0.975), (limits.lower998, 0.001), (limits.upper998, 0.999)] {
                    XCTAssertEqual(value, direct(q, p0, n), accuracy: 1e-10, "p0 \(p0), n \(n), q \(q)")
                }
            }
        }
    }

    /// Exact limits recomputed with scipy.stats.binom (ppf, cdf) using Spiegelhalter's (2005) interpolation, p0 = 0.55.
    func testExactFunnelLimits() throws {
        let reference: [(Int, [Double])] = [
            (20, [0.3048957805938404, 0.7415868191095079, 0.17883050678926696, 0.8490942789006428]),
            (100, [0.44684414501561226, 0.6421089961068925, 0.3907003612464456, 0.6969074300240439]),
            (400, [0.49989802282052764, 0.5973685096053729, 0.47157494039356557, 0.6251420545753463]),
            (1000, [0.5186109408072319, 0.5802923853565651, 0.5007590281259043, 0.5979438100693966]),
        ]
        for (n, limits) in reference {
            let funnel = try FunnelLimits.exact(p0: 0.55, n: n)
            for (value, expected) in zip([funnel.lower95, funnel.upper95, funnel.lower998, funnel.upper998], limits) {
                XCTAssertEqual(value, expected, accuracy: 1e-9, "n = \(n)")
            }
        }
        let table = try FunnelLimits.table(p0: 0.55, sizes: [20, 100, 400, 1000])
        XCTAssertEqual(table.map(\.n), [20, 100, 400, 1000])
        XCTAssertEqual(table[2].upper95, 0.5973685096053729, accuracy: 1e-9)
        XCTAssertTrue(zip(table, table.dropFirst()).allSatisfy { $0.upper998 > $1.upper998 && $0.lower998 < $1.lower998 }, "the funnel narrows as n grows")
        XCTAssertThrowsError(try FunnelLimits.table(p0: 0.55, sizes: [10, 0]))
        let normal = try FunnelLimits.normal(p0: 0.55, n: 400)
        XCTAssertEqual(normal.lower95, 0.55 - 1.959963984540054 * (0.55 * 0.45 / 400).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(normal.upper998, 0.55 + 3.090232306167813 * (0.55 * 0.45 / 400).squareRoot(), accuracy: 1e-12)
    }

    /// Spiegelhalter's (2005) over-dispersion factor, recomputed with numpy and scipy: z-scores
    /// against 0.55, `scipy.stats.mstats.winsorize(z, limits=(0.1, 0.1))`, φ = mean(z²) and
    /// `scipy.stats.chi2.sf(I·φ, I)`; the widened limits at n = 400 with `scipy.stats.norm.ppf`.
    func testOverdispersionAgainstScipy() throws {
        let sizes = [380, 410, 395, 402, 420, 388, 377, 415, 399, 405, 391, 383]
        let proportions = [0.43, 0.52, 0.55, 0.61, 0.57, 0.49, 0.58, 0.55, 0.66, 0.54, 0.50, 0.56]
        let od = try Overdispersion.estimate(proportions: proportions, sizes: sizes, target: 0.55)
        XCTAssertEqual(od.phi, 2.5658585858585847, accuracy: 1e-12)
        XCTAssertEqual(od.pValue, 0.002120318686321279, accuracy: 1e-9)
        // One Winsorised in at each end (⌊0.1 × 12⌋ = 1): the 43% unit takes the next lowest z.
        XCTAssertEqual(od.winsorisedZ[0], -2.375633886699795, accuracy: 1e-12)
        XCTAssertEqual(od.winsorisedZ[8], 2.4181134645158227, accuracy: 1e-12)
        XCTAssertTrue(od.widensLimits)
        let limits = try od.limits(p0: 0.55, n: 400)
        XCTAssertEqual(limits.lower95, 0.4719052110560218, accuracy: 1e-12)
        XCTAssertEqual(limits.upper998, 0.6731303440479657, accuracy: 1e-12)
        // Units that vary less than chance leave the exact limits as they are.
        let calm = try Overdispersion.estimate(proportions: [0.55, 0.56, 0.54, 0.55], sizes: [400, 400, 400, 400], target: 0.55)
        XCTAssertFalse(calm.widensLimits)
        XCTAssertEqual(try calm.limits(p0: 0.55, n: 400), try FunnelLimits.exact(p0: 0.55, n: 400))
        XCTAssertThrowsError(try Overdispersion.estimate(proportions: [0.5], sizes: [0], target: 0.55))
        XCTAssertThrowsError(try Overdispersion.estimate(proportions: [0.5, 0.4], sizes: [10], target: 0.55))
    }
}
