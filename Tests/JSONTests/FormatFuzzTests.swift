import XCTest
import CSV
import JSON
import TestSupport

/// Malformed files must give an error with a position — never a crash.
final class FormatFuzzTests: XCTestCase {
    func testMutatedJSONAndCSVNeverCrash() {
        var random = SeededRandom.forTest("FormatFuzzTests", defaultSeed: 0xF0_4D47)
        let seed = random.seed
        let json = Array(#"{"a": [1, 2.5e3, -0, true, null, "x\u00e9\n"], "b": {"c": "d"}}"#.utf8)
        let csv = Array("a,b,c\r\n\"x, y\",\"q\"\"q\",3\n1,,\"multi\nline\"\n".utf8)
        let alphabet = Array("{}[]\",:\\u0123456789eE+-.tfn \n\r".utf8)
        for _ in 0..<10_000 {
            for seed in [json, csv] {
                var bytes = seed
                for _ in 0..<Int.random(in: 1...5, using: &random) {
                    let position = Int.random(in: 0..<bytes.count, using: &random)
                    if Bool.random(using: &random) { bytes[position] = alphabet.randomElement(using: &random)! } else { bytes.remove(at: position) }
                    if bytes.isEmpty { break }
                }
                if seed == json {
                    do { _ = try JSONParser.parse(bytes) } catch { XCTAssertGreaterThanOrEqual(error.line, 1, "seed \(seed)") }
                } else {
                    var reader = CSVReader(bytes: bytes)
                    do { while try reader.next() != nil {} } catch { XCTAssertGreaterThanOrEqual(error.line, 1, "seed \(seed)") }
                }
            }
        }
    }
}
