import XCTest
import Reports

/// Terminal tables show what data holds and never obey it.
final class TextTableTests: XCTestCase {
    func testControlCharactersAndBidiOverridesAreShownNotObeyed() {
        XCTAssertEqual(TextTable.visible("Hackney"), "Hackney")
        XCTAssertEqual(TextTable.visible("a\u{1B}[2Jb\u{07}\r\n\u{85}\u{202E}x\u{2066}é"), #"a\u{1B}[2Jb\u{7}\u{D}\u{A}\u{85}\u{202E}x\u{2066}é"#)
        let table = TextTable.render([["Group", "n"], ["Red\u{1B}[31m", "12"], ["Plain", "3"]], rightAligned: [1])
        XCTAssertFalse(table.unicodeScalars.contains { $0.value == 0x1B })
        // The columns line up on the text as shown.
        let lines = ["Group" + String(repeating: " ", count: 11) + "n", String(repeating: "-", count: 13) + "  --",
                     #"Red\u{1B}[31m  12"#, "Plain" + String(repeating: " ", count: 11) + "3"]
        XCTAssertEqual(table, lines.joined(separator: "\n") + "\n")
    }
}
