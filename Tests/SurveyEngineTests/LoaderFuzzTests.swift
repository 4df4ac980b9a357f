import Foundation
import XCTest
import SurveyEngine
import TestSupport

/// Seeded fuzzing of the questionnaire loader (issue #10, part 2): every mutated file gives a
/// questionnaire or a clear, located error, never a trap. Replay a failure with the printed seed
/// (`CANVASS_TEST_SEED=…`).
final class LoaderFuzzTests: XCTestCase {
    /// The questionnaires shipped in `Questionnaires/`, plus the in-test sample, as seeds.
    private func seeds() throws -> [(bytes: [UInt8], id: String)] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("Questionnaires")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertFalse(files.isEmpty, "no questionnaires in \(folder.path)")
        let shipped = try files.map { (bytes: Array(try Data(contentsOf: folder.appendingPathComponent($0))), id: String($0.dropLast(5))) }
        return shipped + [(bytes: Array(Sample.json.utf8), id: "sample")]
    }

    /// Values a hostile or careless author might put where a string, number or list belongs.
    private let hostile: [String] = [
        #""""#, "null", "true", "0", "-0", "1e309", "-1e309", "99999999999999999999", "[]", "{}", "[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]",
        #""${""#, #""${}""#, #""${sat""#, #""${sat} = ""#, #""((((((((((""#, #""not not not""#, #""'unterminated""#,
        #""a' or '1'='1""#, #""\u0000""#, #""\ud800""#, #""<script>alert(1)</script>""#, #""today() <= today() <= ""#,
        #""answered(""#, #"". != . != .""#, #""selected(${kinds}, )""#, String(repeating: "x", count: 5000).debugDescription,
    ]

    func testMutatedQuestionnairesGiveAValueOrAClearError() throws {
        var random = SeededRandom.forTest("LoaderFuzzTests.mutated", defaultSeed: 0x10AD_F11E)
        let seeds = try seeds()
        // Unmutated, every seed loads: otherwise each round would be refused for the same reason.
        for seed in seeds { XCTAssertNoThrow(try QuestionnaireLoader.load(bytes: seed.bytes, id: seed.id, source: "fuzz.json")) }
        var loaded = 0, refused = 0
        for round in 0..<3000 {
            let seed = seeds[Int.random(in: 0..<seeds.count, using: &random)]
            var bytes = seed.bytes
            for _ in 0..<Int.random(in: 1...2, using: &random) { mutate(&bytes, using: &random) }
            do {
                let questionnaire = try QuestionnaireLoader.load(bytes: bytes, id: seed.id, source: "fuzz.json")
                loaded += 1
                // What loads must still keep the loader's own promises.
                let ids = questionnaire.questions.map(\.id)
                XCTAssertEqual(Set(ids).count, ids.count, "round \(round): duplicate ids loaded (seed \(random.seed))")
                XCTAssertTrue(ids.allSatisfy(QuestionnaireLoader.isValidIdentifier), "round \(round): invalid id loaded (seed \(random.seed))")
            } catch {
                refused += 1
                let text = error.description
                XCTAssertTrue(text.hasPrefix("fuzz.json"), "round \(round): error does not name the file: \(text) (seed \(random.seed))")
                XCTAssertGreaterThan(text.count, "fuzz.json: ".count + 5, "round \(round): empty reason (seed \(random.seed))")
            }
        }
        print("LoaderFuzzTests: \(loaded) loaded, \(refused) refused with a message")
        // Both outcomes must occur, or the mutations are not reaching the loader's checks.
        XCTAssertGreaterThan(loaded, 0)
        XCTAssertGreaterThan(refused, 0)
    }

    private func mutate(_ bytes: inout [UInt8], using random: inout SeededRandom) {
        guard !bytes.isEmpty else { bytes = Array("{".utf8); return }
        let at = Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<6, using: &random) {
        case 0: // flip one byte
            bytes[at] ^= UInt8(1 << Int.random(in: 0..<8, using: &random))
        case 1: // delete a range
            let end = min(bytes.count, at + Int.random(in: 1...40, using: &random))
            bytes.removeSubrange(at..<end)
        case 2: // duplicate a range
            let end = min(bytes.count, at + Int.random(in: 1...200, using: &random))
            bytes.insert(contentsOf: bytes[at..<end], at: end)
        default: // structure-aware: replace the string value after a key with a hostile value
            guard let key = nextString(in: bytes, from: at), let value = nextString(in: bytes, from: key.upperBound),
                  bytes[key.upperBound..<value.lowerBound].contains(UInt8(ascii: ":")) else { return }
            bytes.replaceSubrange(value, with: Array(hostile[Int.random(in: 0..<hostile.count, using: &random)].utf8))
        }
    }

    /// The range of the next quoted string (quotes included) at or after `from`.
    private func nextString(in bytes: [UInt8], from: Int) -> Range<Int>? {
        guard let open = bytes[from...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        var index = open + 1
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\") { index += 2; continue }
            if bytes[index] == UInt8(ascii: "\"") { return open..<(index + 1) }
            index += 1
        }
        return nil
    }
}
