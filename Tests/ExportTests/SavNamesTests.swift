import XCTest
@testable import Export

/// SPSS variable names: valid, at most 64 bytes, unique ignoring case, never a reserved word.
final class SavNamesTests: XCTestCase {
    func testNamesAreMadeValidAndUnique() {
        var names = SavNames()
        XCTAssertEqual(names.make("contact_sat"), "contact_sat")
        XCTAssertEqual(names.make("_hidden"), "V_hidden", "no leading underscore")
        XCTAssertEqual(names.make("2nd visit"), "V2nd_visit", "a letter first, no spaces")
        XCTAssertEqual(names.make("Contact_Sat"), "Contact_Sat_2", "unique ignoring case")
        XCTAssertEqual(names.make("and"), "and_", "not a reserved word")
        XCTAssertEqual(names.make("ends."), "ends")
        XCTAssertEqual(names.make("pièce"), "pi_ce", "ASCII letters only")
        let long = names.make(String(repeating: "x", count: 80))
        XCTAssertEqual(long.utf8.count, 64)
        let again = names.make(String(repeating: "x", count: 80))
        XCTAssertEqual(again.utf8.count, 64)
        XCTAssertNotEqual(long, again)
        XCTAssertTrue(again.hasSuffix("_2"))
    }

    func testVeryLongStringsSplitIntoSegmentsOf252() {
        // PSPP developers' guide, "Very Long String Record": n = (w + 251) / 252 segments, all of
        // width 255 but the last, which has w − (n − 1)·252.
        let variable = SavVariable(name: "comments", label: "", width: 600, decimals: 0, source: .text(questionID: "comments"), measure: .nominal)
        XCTAssertEqual(variable.segments, 3)
        XCTAssertEqual((0..<3).map(variable.segmentWidth), [255, 255, 96])
        XCTAssertEqual((0..<3).map(variable.slots), [32, 32, 12])
        let short = SavVariable(name: "ward", label: "", width: 40, decimals: 0, source: .text(questionID: "ward"), measure: .nominal)
        XCTAssertEqual([short.segments, short.slots(0)], [1, 5])
    }
}
