import XCTest
@testable import HTTP
import TestSupport

/// Hostile input must give a request, "incomplete" or a 4xx/5xx — never a crash. Mutates valid
/// requests (deterministic seed) and feeds them whole and in random pieces.
final class ParserFuzzTests: XCTestCase {
    let seeds = [
        "GET /s/abc/q/x?lang=cy HTTP/1.1\r\nHost: x\r\nCookie: a=1\r\n\r\n",
        "POST /p/poll HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\ncsrf=a&b=%2",
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
    ]

    func testMutatedRequestsNeverCrash() {
        var random = SeededRandom.forTest("ParserFuzzTests.mutations", defaultSeed: 42)
        let alphabet = Array("\r\n :%/.?&=0123456789abcdefABCDEFxX-;\u{0}\u{7f}\u{ff}".utf8)
        var outcomes = [0, 0, 0]
        for _ in 0..<20_000 {
            var bytes = Array(seeds.randomElement(using: &random)!.utf8)
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                let position = Int.random(in: 0...bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: if position < bytes.count { bytes.remove(at: position) }
                case 1: bytes.insert(alphabet.randomElement(using: &random)!, at: position)
                case 2: if position < bytes.count { bytes[position] = UInt8.random(in: 0...255, using: &random) }
                default: bytes.insert(contentsOf: bytes.prefix(Int.random(in: 0...20, using: &random)), at: position)
                }
            }
            var parser = HTTPRequestParser()
            var offset = 0
            loop: while offset < bytes.count {
                let size = Int.random(in: 1...max(1, bytes.count - offset), using: &random)
                parser.append(bytes[offset..<offset + size])
                offset += size
                while true {
                    switch parser.next() {
                    case .request: outcomes[0] += 1
                    case .incomplete: outcomes[1] += 1; continue loop
                    case .failure(let error):
                        outcomes[2] += 1
                        XCTAssertTrue((400...505).contains(error.status.code))
                        break loop
                    }
                }
            }
        }
        XCTAssertGreaterThan(outcomes[0], 0)
        XCTAssertGreaterThan(outcomes[2], 0)
    }

    func testRandomBytesNeverCrash() {
        var random = SeededRandom.forTest("ParserFuzzTests.randomBytes", defaultSeed: 7)
        for _ in 0..<5_000 {
            var parser = HTTPRequestParser()
            parser.append((0..<Int.random(in: 0...300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) })
            _ = parser.next()
            _ = PathNormalizer.normalize("/" + String(decoding: (0..<20).map { _ in UInt8.random(in: 32...126, using: &random) }, as: UTF8.self))
            _ = FormDecoder.pairs((0..<40).map { _ in UInt8.random(in: 0...255, using: &random) })
        }
    }
}
