import Foundation
import XCTest
@testable import Statistics

/// IRLS logistic regression against statsmodels, and separation named instead of a number.
final class LogisticRegressionTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Fixtures/model/responses.csv` (3,000 rows: stage none/warning/cpn, repeat, days, satisfied)
    /// fitted with statsmodels 0.15.0 `sm.Logit(y, X).fit()`, X = [1, warning, cpn, repeat, days]:
    /// params  [-0.1835737772225751, 0.24215333477909148, 0.9488008862019973, -0.5333725304948518, -0.03010321569522456]
    /// bse     [0.09765723862985616, 0.09704901596019652, 0.09475178328502333, 0.08470444425922338, 0.004326143086375028]
    /// pvalues [0.06013855148940612, 0.012589847374150611, 1.329081361857124e-23, 3.0372372439478163e-10, 3.4405636197704944e-12]
    /// exp(conf_int()) for cpn: [2.1448954361848616, 3.1096524542813264].
    /// Fitted here on the covariate patterns (a few hundred rows with trials and successes).
    func testTheFixtureMatchesStatsmodels() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("Fixtures/model/responses.csv"), encoding: .utf8)
        var patterns: [[Double]: (y: Double, n: Double)] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",")
            let x = [1, f[0] == "warning" ? 1 : 0, f[0] == "cpn" ? 1 : 0, Double(f[1])!, Double(f[2])!]
            patterns[x, default: (0, 0)].y += Double(f[3])!
            patterns[x, default: (0, 0)].n += 1
        }
        let keys = patterns.keys.sorted { $0.lexicographicallyPrecedes($1) }
        let fit = try LogisticRegression.fit(design: keys, names: ["intercept", "warning", "cpn", "repeat", "days"],
                                             successes: keys.map { patterns[$0]!.y }, trials: keys.map { patterns[$0]!.n })
        let params = [-0.1835737772225751, 0.24215333477909148, 0.9488008862019973, -0.5333725304948518, -0.03010321569522456]
        let bse = [0.09765723862985616, 0.09704901596019652, 0.09475178328502333, 0.08470444425922338, 0.004326143086375028]
        let pvalues = [0.06013855148940612, 0.012589847374150611, 1.329081361857124e-23, 3.0372372439478163e-10, 3.4405636197704944e-12]
        for (j, term) in fit.terms.enumerated() {
            XCTAssertEqual(term.coefficient, params[j], accuracy: 1e-7, term.name)
            XCTAssertEqual(term.standardError, bse[j], accuracy: 1e-7, term.name)
            XCTAssertEqual(term.pValue, pvalues[j], accuracy: max(1e-9, pvalues[j] * 1e-4), term.name)
        }
        let interval = fit.terms[2].oddsRatioInterval()
        XCTAssertEqual(interval.lower, 2.1448954361848616, accuracy: 1e-6)
        XCTAssertEqual(interval.upper, 3.1096524542813264, accuracy: 1e-6)
    }

    func testPerfectSeparationNamesTheTerm() {
        // Everyone with the flag is satisfied, no one without it is.
        let design: [[Double]] = [[1, 0], [1, 1], [1, 0], [1, 1]]
        XCTAssertThrowsError(try LogisticRegression.fit(design: design, names: ["intercept", "cbo"], successes: [0, 10, 0, 12], trials: [10, 10, 15, 12])) { error in
            guard case .separation(let term) = error as? StatisticsError else { return XCTFail("\(error)") }
            XCTAssertEqual(term, "cbo")
            XCTAssertTrue("\(error)".contains("separates"), "\(error)")
        }
    }

    func testAnEmptyCategoryIsNamedNotInverted() {
        let design: [[Double]] = [[1, 0, 0], [1, 1, 0], [1, 0, 0]]
        XCTAssertThrowsError(try LogisticRegression.fit(design: design, names: ["intercept", "cpn", "closure"], successes: [3, 5, 2], trials: [10, 10, 10])) { error in
            guard case .singularDesign(let term) = error as? StatisticsError else { return XCTFail("\(error)") }
            XCTAssertEqual(term, "closure")
        }
    }
}
