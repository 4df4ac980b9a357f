import XCTest
import SurveyStore
@testable import Insight

/// The chi-square test of association across categories, and the merging of sparse ones.
final class AssociationTests: XCTestCase {
    private func counts(_ cells: [(String, Int, Int)]) -> [GroupCount] {
        cells.map { GroupCount(group: $0.0, n: $0.1 + $0.2, satisfied: $0.1) }
    }

    /// scipy.stats.chi2_contingency([[30,20],[45,15],[60,10]], correction=False):
    /// statistic 10.285714285714285, p 0.0058409773431952515, dof 2.
    func testAKnownTable() {
        let test = AssociationTest.compute(counts([("none", 30, 20), ("warning-1", 45, 15), ("cpn", 60, 10)]), ordered: true)
        XCTAssertEqual(try XCTUnwrap(test.statistic), 10.285714285714285, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(test.pValue), 0.0058409773431952515, accuracy: 1e-12)
        XCTAssertEqual(test.degreesOfFreedom, 2)
        XCTAssertTrue(test.merged.isEmpty)
    }

    /// A fourth rung with 3 cases (expected counts 2.26 and 0.74 in scipy's expected_freq) is
    /// merged with its neighbour on the ladder; scipy on the merged table [[30,20],[45,15],[63,10]]:
    /// statistic 11.078275759380583, p 0.003929913436457309, dof 2.
    func testASparseRungIsMergedWithItsNeighbourAndNamed() {
        let test = AssociationTest.compute(counts([("none", 30, 20), ("warning-1", 45, 15), ("cpn", 60, 10), ("cbo", 3, 0)]), ordered: true)
        XCTAssertEqual(test.merged, ["cpn + cbo"])
        XCTAssertEqual(try XCTUnwrap(test.statistic), 11.078275759380583, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(test.pValue), 0.003929913436457309, accuracy: 1e-12)
        XCTAssertTrue(test.note.contains("merging"), test.note)
    }

    func testTooLittleDataGivesNoTestAndSaysWhy() {
        let test = AssociationTest.compute(counts([("a", 2, 1), ("b", 1, 1)]), ordered: false)
        XCTAssertNil(test.pValue)
        XCTAssertTrue(test.note.contains("no chi-square test"), test.note)
    }
}
