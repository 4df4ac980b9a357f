import Foundation
import XCTest
import TestSupport
@testable import XLSForm

/// The `.xlsx` route: the same form saved as a workbook (Fixtures/xlsform, written by openpyxl
/// with inline strings, and in Excel's shared-string form by make_xlsx.py) gives the same
/// questionnaire file as the CSV route, byte for byte.
final class XLSXWorkbookTests: XCTestCase {
    static func fixture(_ name: String) -> String { XLSFormConverterTests.root.appendingPathComponent("Fixtures/xlsform/\(name)").path }

    func testBothRoutesGiveTheSameFile() throws {
        let csv = try XLSFormFile.sheets(survey: Self.fixture("survey.csv"), choices: Self.fixture("choices.csv"), settings: Self.fixture("settings.csv"))
        for workbook in ["asb-where-you-live.xlsx", "asb-where-you-live-shared.xlsx"] {
            let xlsx = try XLSFormFile.workbook(path: Self.fixture(workbook))
            XCTAssertEqual(xlsx.json, csv.json, workbook)
            XCTAssertEqual(xlsx.notes, csv.notes, "\(workbook): the same rows are named, at the same lines")
            XCTAssertEqual(xlsx.id, "asb-where-you-live")
        }
        XCTAssertEqual(csv.questionnaire.questions.count, 7)
    }

    func testCellsAreReadAsExcelShowsThem() throws {
        let book = try XLSXWorkbook(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: Self.fixture("asb-where-you-live-shared.xlsx")))))
        XCTAssertEqual(book.sheets.map(\.name), ["survey", "choices", "settings"])
        let survey = try XCTUnwrap(book.sheet("Survey"), "sheet names match in any case")
        let details = try XCTUnwrap(survey.rows.first { survey.value($0.cells, "name") == "details" })
        XCTAssertEqual(details.line, 4)
        XCTAssertEqual(survey.value(details.cells, "label::English (en)"), "Details", "two rich-text runs joined, the phonetic run left out")
        let times = try XCTUnwrap(survey.rows.first { survey.value($0.cells, "name") == "times" })
        XCTAssertEqual(survey.value(times.cells, "required"), "TRUE", "a boolean cell")
        XCTAssertEqual(XLSXWorkbook.columnIndex("AB12"), 28)
        XCTAssertNil(XLSXWorkbook.columnIndex("12"))
        XCTAssertNil(XLSXWorkbook.columnIndex("ZZZZ1"), "past Excel's last column, XFD")
    }

    func testWhatIsNotAWorkbookIsNamed() throws {
        XCTAssertThrowsError(try XLSFormFile.workbook(path: Self.fixture("survey.csv"))) {
            XCTAssertTrue("\($0)".contains("not a zip archive"), "\($0)")
        }
        XCTAssertThrowsError(try XLSFormFile.workbook(path: Self.fixture("missing.xlsx"))) {
            XCTAssertTrue("\($0)".contains("no such file"), "\($0)")
        }
    }

    /// Seeded damage to the workbook: every variant converts or fails with an ``XLSFormError``.
    func testDamagedWorkbooksNeverTrap() throws {
        let original = Array(try Data(contentsOf: URL(fileURLWithPath: Self.fixture("asb-where-you-live-shared.xlsx"))))
        var random = SeededRandom.forTest("xlsx-fuzz", defaultSeed: 2007)
        var converted = 0, refused = 0
        for _ in 0..<400 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            do {
                let book = try XLSXWorkbook(bytes: bytes)
                if let survey = book.sheet("survey") {
                    _ = try XLSFormConverter(survey: survey, choices: book.sheet("choices"), settings: book.sheet("settings")).convert(id: "x")
                }
                converted += 1
            } catch {
                refused += 1
            }
        }
        print("xlsx-fuzz: \(converted) damaged workbooks read, \(refused) refused with an error")
        XCTAssertGreaterThan(refused, 0)
    }
}
