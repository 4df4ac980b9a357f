import XCTest
import CSV

final class CSVTests: XCTestCase {
    func testQuotedFieldsNewlinesAndCRLF() throws {
        let records = try CSVReader.parse("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n\n1,,3")
        XCTAssertEqual(records, [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["1", "", "3"]])
    }

    func testLineNumbersFollowRecords() throws {
        var reader = CSVReader(bytes: Array("h\n\"a\nb\"\nc\n".utf8))
        _ = try reader.next()
        XCTAssertEqual(reader.line, 2)
        _ = try reader.next()
        XCTAssertEqual(reader.line, 4)
    }

    func testMalformedQuotes() {
        XCTAssertThrowsError(try CSVReader.parse("a\n\"open")) { XCTAssertEqual(($0 as! CSVError).line, 2) }
        XCTAssertThrowsError(try CSVReader.parse("a\"b")) { XCTAssertTrue(($0 as! CSVError).message.contains("quote inside")) }
    }

    func testWriterQuotesAndNeutralisesFormulas() {
        XCTAssertEqual(CSVWriter.line(["plain", "a,b", "say \"hi\"", "=SUM(A1)", "-0.5"]), "plain,\"a,b\",\"say \"\"hi\"\"\",'=SUM(A1),-0.5")
    }
}
