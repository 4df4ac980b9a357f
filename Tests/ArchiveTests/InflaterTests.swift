import Foundation
import XCTest
import TestSupport
@testable import Archive

/// The inflate decoder checked against Python's `zlib` (the reference implementation of RFC 1951)
/// on seeded random data of several shapes, at every compression strategy zlib has; and the CRC-32
/// against `zlib.crc32`. Skipped, saying so, where Python is not installed.
final class InflaterTests: XCTestCase {
    /// Compresses each file in `directory` with Python's zlib, as raw deflate (wbits -15), once per
    /// (level, strategy), writing NAME.L.S.deflate and NAME.crc.
    static let compressor = """
    import sys, zlib, pathlib
    d = pathlib.Path(sys.argv[1])
    for p in sorted(d.glob("*.bin")):
        data = p.read_bytes()
        (d / (p.stem + ".crc")).write_text(str(zlib.crc32(data)))
        for level in (0, 1, 6, 9):
            for strategy in (zlib.Z_DEFAULT_STRATEGY, zlib.Z_FILTERED, zlib.Z_HUFFMAN_ONLY, zlib.Z_RLE, zlib.Z_FIXED):
                c = zlib.compressobj(level, zlib.DEFLATED, -15, 9, strategy)
                (d / f"{p.stem}.{level}.{strategy}.deflate").write_bytes(c.compress(data) + c.flush())
    """

    /// Data of different shapes: random bytes (stored and Huffman-only blocks), small-alphabet text
    /// (dynamic codes), long runs (matches of 258 and overlapping copies), and the empty input.
    static func samples(_ random: inout SeededRandom) -> [(String, [UInt8])] {
        var samples: [(String, [UInt8])] = [("empty", []), ("one", [0x41])]
        for index in 0..<6 {
            let size = Int.random(in: 1...120_000, using: &random)
            samples.append(("random\(index)", (0..<size).map { _ in UInt8.random(in: 0...255, using: &random) }))
            let alphabet = Array("the quick ASB case review, noise; ".utf8)
            var text: [UInt8] = []
            while text.count < size {
                if Bool.random(using: &random), text.count > 300 {
                    let start = Int.random(in: 0..<(text.count - 300), using: &random)
                    text.append(contentsOf: text[start..<(start + Int.random(in: 3...300, using: &random))])
                } else {
                    text.append(alphabet[Int.random(in: 0..<alphabet.count, using: &random)])
                }
            }
            samples.append(("text\(index)", text))
            var runs: [UInt8] = []
            while runs.count < size { runs.append(contentsOf: [UInt8](repeating: UInt8.random(in: 0...3, using: &random), count: Int.random(in: 1...2000, using: &random))) }
            samples.append(("runs\(index)", runs))
        }
        return samples
    }

    func testInflatesWhatPythonZlibCompresses() throws {
        var random = SeededRandom.forTest("inflate-vs-zlib", defaultSeed: 19_510)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("inflate-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let samples = Self.samples(&random)
        for (name, bytes) in samples { try Data(bytes).write(to: directory.appendingPathComponent("\(name).bin")) }
        guard try Self.python(Self.compressor, [directory.path]) else { throw XCTSkip("python3 is not installed: the zlib comparison was not run") }
        var streams = 0
        for (name, original) in samples {
            let crc = try String(contentsOf: directory.appendingPathComponent("\(name).crc"), encoding: .utf8)
            XCTAssertEqual(String(CRC32.checksum(original)), crc, "\(name): CRC-32 against zlib.crc32")
            for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) where file.hasPrefix(name + ".") && file.hasSuffix(".deflate") {
                let compressed = Array(try Data(contentsOf: directory.appendingPathComponent(file)))
                XCTAssertEqual(try Inflater.inflate(compressed), original, file)
                streams += 1
            }
        }
        XCTAssertEqual(streams, samples.count * 20)
    }

    /// Runs a Python script; false when Python is missing.
    static func python(_ script: String, _ arguments: [String]) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        do { try process.run() } catch { return false }
        process.waitUntilExit()
        if process.terminationStatus == 127 { return false }
        XCTAssertEqual(process.terminationStatus, 0, "the Python script failed")
        return process.terminationStatus == 0
    }

    /// Hand-made streams for each rule of RFC 1951 a hostile stream can break.
    func testMalformedStreamsAreNamedErrors() {
        func error(_ bytes: [UInt8]) -> ArchiveError? {
            do { _ = try Inflater.inflate(bytes); return nil } catch { return error }
        }
        // A stored block (BFINAL=1, BTYPE=00) whose NLEN is not the complement of LEN.
        XCTAssertEqual(error([0x01, 0x05, 0x00, 0x00, 0x00]), .corruptStream("a stored block's length and its complement disagree", offset: 1))
        // A stored block claiming 5 bytes with 2 present.
        XCTAssertEqual(error([0x01, 0x05, 0x00, 0xFA, 0xFF, 0x41, 0x42]), .truncatedStream)
        // BTYPE=11 is reserved.
        XCTAssertEqual(error([0x07]), .corruptStream("block type 3 is reserved", offset: 1))
        // Nothing at all, and a non-final block with nothing after it.
        XCTAssertEqual(error([]), .truncatedStream)
        XCTAssertEqual(error([0x00, 0x00, 0x00, 0xFF, 0xFF]), .truncatedStream)
        // A fixed block whose first symbol is a match (length 3, distance 1) with no output yet:
        // 1 (BFINAL), 01 (fixed), then length code 257 = 0000001 (7 bits), distance code 0 = 00000.
        guard case .corruptStream(let why, _)? = error([0x03, 0x02, 0x00]) else { return XCTFail("a back-reference before the start was accepted") }
        XCTAssertTrue(why.contains("before the start"), why)
    }

    func testOutputIsCappedAgainstDecompressionBombs() throws {
        // 1 MiB of zeros in stored blocks: the cap applies before the bytes are copied.
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        let stored = Self.storedBlocks(zeros)
        XCTAssertEqual(try Inflater.inflate(stored), zeros)
        XCTAssertThrowsError(try Inflater.inflate(stored, limit: 1000)) { XCTAssertEqual($0 as? ArchiveError, .tooLarge(limit: 1000)) }
    }

    /// `bytes` as a run of stored blocks (RFC 1951 3.2.4), written by hand.
    static func storedBlocks(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var start = 0
        repeat {
            let end = min(bytes.count, start + 65_535)
            let length = end - start
            out.append(end == bytes.count ? 1 : 0)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            out += bytes[start..<end]
            start = end
        } while start < bytes.count
        return out
    }

    /// Seeded mutations of valid streams (bit flips, truncations, spliced random bytes): each one
    /// gives bytes or an ``ArchiveError``, never a trap, and never more than the limit.
    func testMutatedStreamsNeverTrap() throws {
        var random = SeededRandom.forTest("inflate-fuzz", defaultSeed: 1951)
        let text = Array(String(repeating: "Noise from the flat above, every night, and no one came. ", count: 60).utf8)
        let seeds: [[UInt8]] = [Self.storedBlocks(Array(text.prefix(500))), Self.fixedLiterals(Array(text.prefix(200)))]
        var outcomes = (values: 0, errors: 0)
        for _ in 0..<20_000 {
            var bytes = seeds[Int.random(in: 0..<seeds.count, using: &random)]
            switch Int.random(in: 0..<4, using: &random) {
            case 0: for _ in 0..<Int.random(in: 1...8, using: &random) { bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= 1 << UInt8.random(in: 0...7, using: &random) }
            case 1: bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random)))
            case 2: bytes = (0..<Int.random(in: 0...64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            default:
                let at = Int.random(in: 0..<bytes.count, using: &random)
                bytes.replaceSubrange(at..<min(bytes.count, at + 8), with: (0..<8).map { _ in UInt8.random(in: 0...255, using: &random) })
            }
            do {
                let out = try Inflater.inflate(bytes, limit: 100_000)
                XCTAssertLessThanOrEqual(out.count, 100_000)
                outcomes.values += 1
            } catch {
                outcomes.errors += 1
            }
        }
        print("inflate-fuzz: \(outcomes.values) inputs expanded, \(outcomes.errors) refused with an error")
        XCTAssertGreaterThan(outcomes.errors, 0)
    }

    /// `bytes` as one fixed-Huffman block of literals only (RFC 1951 3.2.6), written by hand.
    static func fixedLiterals(_ bytes: [UInt8]) -> [UInt8] {
        var writer = BitWriter()
        writer.write(1, bits: 1)
        writer.write(1, bits: 2)
        for byte in bytes {
            if byte < 144 { writer.writeCode(0x30 + Int(byte), length: 8) } else { writer.writeCode(0x190 + Int(byte) - 144, length: 9) }
        }
        writer.writeCode(0, length: 7)   // end of block, symbol 256
        return writer.finish()
    }

    struct BitWriter {
        var bytes: [UInt8] = []
        var buffer = 0, count = 0

        mutating func write(_ value: Int, bits: Int) {
            for i in 0..<bits { push((value >> i) & 1) }
        }

        /// Huffman codes go most significant bit first.
        mutating func writeCode(_ code: Int, length: Int) {
            for i in stride(from: length - 1, through: 0, by: -1) { push((code >> i) & 1) }
        }

        mutating func push(_ bit: Int) {
            buffer |= bit << count
            count += 1
            if count == 8 { bytes.append(UInt8(buffer)); buffer = 0; count = 0 }
        }

        mutating func finish() -> [UInt8] { count > 0 ? bytes + [UInt8(buffer)] : bytes }
    }

    func testHandWrittenFixedBlockDecodes() throws {
        let text = Array("Canvass ü".utf8)
        XCTAssertEqual(try Inflater.inflate(Self.fixedLiterals(text)), text)
    }
}
