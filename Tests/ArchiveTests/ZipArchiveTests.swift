import Foundation
import XCTest
import TestSupport
@testable import Archive

/// Zip archives written by Python's `zipfile` (stored and deflated entries, an archive comment,
/// UTF-8 names) read back entry by entry; damaged archives refused by name.
final class ZipArchiveTests: XCTestCase {
    static let writer = """
    import sys, zipfile, random
    random.seed(int(sys.argv[2]))
    with zipfile.ZipFile(sys.argv[1], "w") as z:
        z.writestr(zipfile.ZipInfo("stored.txt"), b"kept as it is " * 50, compress_type=zipfile.ZIP_STORED)
        z.writestr("xl/worksheets/sheet1.xml", ("<row>" + "x" * 3000 + "</row>").encode(), compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("random.bin", bytes(random.getrandbits(8) for _ in range(40000)), compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("empty", b"", compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("Cymraeg/ŵ.txt", "Diolch — ŵ ŷ".encode(), compress_type=zipfile.ZIP_DEFLATED)
        z.comment = b"written for ZipArchiveTests"
    with zipfile.ZipFile(sys.argv[1]) as z:
        for info in z.infolist():
            open(sys.argv[1] + "." + str(z.infolist().index(info)), "wb").write(z.read(info))
    """

    func archive() throws -> (bytes: [UInt8], contents: [[UInt8]])? {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("zip-\(UUID()).zip").path
        defer {
            for suffix in ["", ".0", ".1", ".2", ".3", ".4"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        guard try InflaterTests.python(Self.writer, [path, "2026"]) else { return nil }
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let contents = try (0..<5).map { Array(try Data(contentsOf: URL(fileURLWithPath: path + ".\($0)"))) }
        return (bytes, contents)
    }

    func testReadsEveryEntryPythonWrote() throws {
        guard let (bytes, contents) = try archive() else { throw XCTSkip("python3 is not installed: the zipfile comparison was not run") }
        let archive = try ZipArchive(bytes: bytes)
        XCTAssertEqual(archive.entries.map(\.name), ["stored.txt", "xl/worksheets/sheet1.xml", "random.bin", "empty", "Cymraeg/ŵ.txt"])
        XCTAssertEqual(archive.entries.map(\.method), [0, 8, 8, 8, 8])
        for (entry, expected) in zip(archive.entries, contents) {
            XCTAssertEqual(try archive.contents(of: entry), expected, entry.name)
        }
        XCTAssertThrowsError(try archive.contents(of: "xl/workbook.xml")) { XCTAssertEqual($0 as? ArchiveError, .missingEntry("xl/workbook.xml")) }
    }

    func testDamageIsFoundAndNamed() throws {
        guard var (bytes, _) = try archive() else { throw XCTSkip("python3 is not installed") }
        // A byte of the stored entry changed: its CRC-32 no longer matches.
        let at = try XCTUnwrap(Self.find(Array("kept as it is".utf8), in: bytes))
        bytes[at] ^= 0x20
        XCTAssertThrowsError(try ZipArchive(bytes: bytes).contents(of: "stored.txt")) {
            XCTAssertEqual($0 as? ArchiveError, .checksumMismatch(entry: "stored.txt"))
        }
        // Cut short: the end record is gone.
        XCTAssertThrowsError(try ZipArchive(bytes: Array(bytes.prefix(bytes.count - 60)))) {
            guard case .notAnArchive? = $0 as? ArchiveError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try ZipArchive(bytes: Array("PK not really".utf8)))
    }

    /// Seeded mutations of a real archive: every one reads or fails with an ``ArchiveError``.
    func testMutatedArchivesNeverTrap() throws {
        guard let (original, _) = try archive() else { throw XCTSkip("python3 is not installed") }
        var random = SeededRandom.forTest("zip-fuzz", defaultSeed: 1989)
        var read = 0, refused = 0
        for _ in 0..<1_500 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                let at = Int.random(in: 0..<bytes.count, using: &random)
                // Bias the damage towards the headers, where sizes and offsets live.
                let target = Bool.random(using: &random) ? max(0, bytes.count - Int.random(in: 1...300, using: &random)) : at
                bytes[target] = UInt8.random(in: 0...255, using: &random)
            }
            do {
                let zip = try ZipArchive(bytes: bytes, entryLimit: 1 << 20)
                for entry in zip.entries { _ = try? zip.contents(of: entry) }
                read += 1
            } catch {
                refused += 1
            }
        }
        print("zip-fuzz: \(read) damaged archives opened, \(refused) refused")
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
