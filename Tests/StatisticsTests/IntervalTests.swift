import XCTest
@testable import Statistics

/// Reference values from statsmodels 0.15.0 `proportion_confint` (scipy 1.17.1), computed while writing
/// these tests (methods: wilson, beta = Clopper–Pearson, jeffreys, agresti_coull, normal = Wald).
/// Jeffreys at x = 0 / x = n follows Brown, Cai & DasGupta (2001): lower 0 / upper 1, where statsmodels
/// returns the raw Beta quantile; those two bounds are asserted as 0 and 1.
final class IntervalTests: XCTestCase {
    typealias M = ProportionInterval.Method
    // (level, x, n, [method: (lower, upper)])
    let reference: [(Double, Double, Double, [M: (Double, Double)])] = [
        (0.95, 172, 400, [.wilson: (0.382376040644, 0.478955680562), .exact: (0.380909102649, 0.480134235437),
                          .jeffreys: (0.382132726488, 0.478876188745), .agrestiCoull: (0.382371493804, 0.478960227403),
                          .wald: (0.381483467845, 0.478516532155)]),
        (0.90, 172, 400, [.wilson: (0.389888211973, 0.471052366298), .exact: (0.388520728356, 0.472253832088),
                          .jeffreys: (0.389749475506, 0.470996157386), .agrestiCoull: (0.389885505376, 0.471055072894),
                          .wald: (0.389283642703, 0.470716357297)]),
        (0.99, 172, 400, [.wilson: (0.367892641637, 0.494391681553), .exact: (0.366153072770, 0.495546483491),
                          .jeffreys: (0.367365551239, 0.494288915587), .agrestiCoull: (0.367882498124, 0.494401825066),
                          .wald: (0.366238468554, 0.493761531446)]),
        (0.95, 0, 20, [.wilson: (0, 0.161125158053), .exact: (0, 0.168433470983), .jeffreys: (0, 0.116638982905),
                       .agrestiCoull: (0, 0.189809560542), .wald: (0, 0)]),
        (0.95, 20, 20, [.wilson: (0.838874841947, 1), .exact: (0.831566529017, 1), .jeffreys: (0.883361017095, 1),
                        .agrestiCoull: (0.810190439458, 1), .wald: (1, 1)]),
        (0.95, 1, 1, [.wilson: (0.206549314377, 1), .exact: (0.025, 1), .jeffreys: (0.146746316310, 1),
                      .agrestiCoull: (0.167499485479, 1), .wald: (1, 1)]),
        (0.99, 0, 1, [.wilson: (0, 0.869022456720), .exact: (0, 0.995), .jeffreys: (0, 0.948763454425),
                      .agrestiCoull: (0, 0.896602743900), .wald: (0, 0)]),
        (0.90, 7, 50, [.wilson: (0.077720897821, 0.239238995945), .exact: (0.067596699004, 0.246935201731),
                       .jeffreys: (0.074826719334, 0.235117615215), .agrestiCoull: (0.075739378078, 0.241220515688),
                       .wald: (0.059284768244, 0.220715231756)]),
        (0.99, 45, 50, [.wilson: (0.740269210404, 0.966009116222), .exact: (0.741950271184, 0.977782185192),
                        .jeffreys: (0.755303601094, 0.973092262048), .agrestiCoull: (0.731985106209, 0.974293220417),
                        .wald: (0.790716817937, 1)]),
        (0.95, 1, 10, [.wilson: (0.017876213095, 0.404150026795), .exact: (0.002528578544, 0.445016117028),
                       .jeffreys: (0.011011673763, 0.381314771067), .agrestiCoull: (0, 0.425967737395),
                       .wald: (0, 0.285938509691)]),
    ]

    func testAgainstStatsmodels() throws {
        for (level, x, n, methods) in reference {
            for (method, expected) in methods {
                let interval = try ProportionInterval.compute(successes: x, n: n, level: level, method: method)
                XCTAssertEqual(interval.lower, expected.0, accuracy: 1e-10, "\(method) \(x)/\(n) at \(level) lower")
                XCTAssertEqual(interval.upper, expected.1, accuracy: 1e-10, "\(method) \(x)/\(n) at \(level) upper")
            }
        }
    }

    /// Wilson with continuity correction checked against an independent computation: inverting the
    /// continuity-corrected score test |p̂ − π| − 1/2n = z√(π(1−π)/n) with scipy.optimize.brentq (xtol 1e-15).
    func testWilsonContinuityCorrectedAgainstRootFinding() throws {
        let reference: [(Double, Double, Double, Double)] = [
            (172, 400, 0.381155158610365, 0.4802107068977081), (7, 50, 0.06277008952621035, 0.2735637622075248),
            (1, 10, 0.005242301569677723, 0.45884601615665616), (0, 20, 0, 0.20045334501348705),
            (20, 20, 0.7995466549865129, 1), (1, 1, 0.05462075552885197, 1),
        ]
        for (x, n, lower, upper) in reference {
            let interval = try ProportionInterval.compute(successes: x, n: n, method: .wilsonContinuityCorrected)
            XCTAssertEqual(interval.lower, lower, accuracy: 1e-10, "\(x)/\(n)")
            XCTAssertEqual(interval.upper, upper, accuracy: 1e-10, "\(x)/\(n)")
        }
    }

    func testInvalidInputsAreClearErrors() {
        XCTAssertThrowsError(try ProportionInterval.compute(successes: 0, n: 0)) { XCTAssertEqual($0 as? StatisticsError, .emptySample) }
        XCTAssertThrowsError(try ProportionInterval.compute(successes: 11, n: 10)) {
            XCTAssertEqual("\($0)", "successes (11) must be between 0 and n (10)")
        }
        XCTAssertThrowsError(try ProportionInterval.compute(successes: 1, n: 10, level: 95)) {
            XCTAssertEqual($0 as? StatisticsError, .levelOutOfRange(95))
        }
    }
}

/// Reference values from scipy 1.17.1: stats.norm.ppf / cdf, special.betainc / betaincinv / gammaincc.
final class SpecialFunctionTests: XCTestCase {
    func testNormalQuantileAndCDF() {
        let quantiles: [(Double, Double)] = [(0.975, 1.959963984540054), (0.999, 3.090232306167813), (1e-10, -6.361340902404056),
                                             (0.3, -0.5244005127080409), (0.5 + 1e-9, 2.5066282037387115e-09)]
        for (p, z) in quantiles { XCTAssertEqual(Normal.quantile(p), z, accuracy: abs(z) * 1e-12, "ppf(\(p))") }
        let cdfs: [(Double, Double)] = [(-8, 6.22096057427174e-16), (-1, 0.15865525393145707), (0.5, 0.6914624612740131), (3, 0.9986501019683699)]
        for (z, p) in cdfs { XCTAssertEqual(Normal.cdf(z), p, accuracy: p * 1e-12, "cdf(\(z))") }
        XCTAssertEqual(Normal.quantile(0), -.infinity)
        XCTAssertTrue(Normal.quantile(1.5).isNaN)
    }

    func testIncompleteBetaAndInverse() {
        let values: [(Double, Double, Double, Double)] = [(2, 3, 0.4, 0.5247999999999999), (0.5, 0.5, 0.01, 0.06376856085851985),
            (172, 229, 0.43, 0.5191949846044137), (1000, 1500, 0.41, 0.8462596847450583), (5, 0.5, 0.99, 0.7571581091015623)]
        for (a, b, x, expected) in values {
            XCTAssertEqual(SpecialFunctions.regularizedBeta(x, a: a, b: b), expected, accuracy: expected * 1e-9, "I_\(x)(\(a),\(b))")
        }
        let inverses: [(Double, Double, Double, Double)] = [(2, 3, 0.4, 0.3291665033784079), (0.5, 0.5, 0.01, 0.00024671981713422146),
            (172, 229, 0.025, 0.38090910264868966), (0.5, 20.5, 0.975, 0.11663898290487539), (1000, 1500, 1e-6, 0.35409974442498543)]
        for (a, b, p, expected) in inverses {
            XCTAssertEqual(SpecialFunctions.inverseRegularizedBeta(p, a: a, b: b), expected, accuracy: expected * 1e-9, "I⁻¹_\(p)(\(a),\(b))")
        }
    }

    func testUpperIncompleteGamma() {
        XCTAssertEqual(SpecialFunctions.regularizedGammaQ(2.5, 7.3), 0.012215452958307626, accuracy: 1e-15)
        XCTAssertEqual(SpecialFunctions.regularizedGammaQ(10, 3.0), 0.9988975118698845, accuracy: 1e-13)
    }
}
