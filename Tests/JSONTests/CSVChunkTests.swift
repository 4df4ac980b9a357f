import XCTest
import CSV
import TestSupport

/// Read in chunks of any size, a CSV gives the same records, lines and errors as read whole.
final class CSVChunkTests: XCTestCase {
    private func records(_ reader: inout CSVReader) -> ([[String]], [Int], String?) {
        var records: [[String]] = [], lines: [Int] = []
        do {
            while true {
                lines.append(reader.line)
                guard let record = try reader.next() else { return (records, lines, nil) }
                records.append(record)
            }
        } catch {
            return (records, lines, "\(error.line): \(error.message)")
        }
    }

    func testChunkedReadingMatchesWholeReading() throws {
        var random = SeededRandom.forTest("CSVChunkTests", defaultSeed: 0xC5F)
        let seed = random.seed
        let texts = ["\u{FEFF}a,b,c\r\n\"x, y\",\"q\"\"q\",3\n1,,\"multi\nline\"\n\n\nlast,row,here",
                     "a,b\n\"unclosed\n1,2\n", "h\n\"a\"b\n", "only\n", "", "\n\n", "x,\"y\r\nz\",w\r\n"]
        for text in texts {
            let bytes = Array(text.utf8)
            var whole = CSVReader(bytes: bytes)
            let expected = records(&whole)
            for _ in 0..<40 {
                var offset = 0
                let size = Int.random(in: 1...9, using: &random)
                var chunked = try CSVReader(chunks: { () -> [UInt8]? in
                    guard offset < bytes.count else { return nil }
                    let end = min(bytes.count, offset + size)
                    defer { offset = end }
                    return Array(bytes[offset..<end])
                })
                let got = records(&chunked)
                XCTAssertEqual(got.0, expected.0, "seed \(seed), chunks of \(size): \(text.debugDescription)")
                XCTAssertEqual(got.1, expected.1, "seed \(seed), lines")
                XCTAssertEqual(got.2, expected.2, "seed \(seed), error")
            }
        }
    }
}
