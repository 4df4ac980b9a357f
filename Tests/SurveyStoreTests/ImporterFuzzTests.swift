import Foundation
import XCTest
import CSV
import SurveyEngine
import TestSupport
@testable import SurveyStore

/// Seeded fuzzing of the CSV importers (issue #10, part 2): mutated response and case files give
/// rows or an import problem that names its line, never a trap; what the case reader accepts
/// imports, all or nothing. Replay with the printed seed (`CANVASS_TEST_SEED=…`).
final class ImporterFuzzTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Values a careless or hostile export might hold in a cell.
    static let hostile = ["", "\"", "\"\"", ",", "\r", "\n", "\u{0}", "\u{FEFF}", "=cmd|' /C calc'!A0", "9999999999999999999999", "-1", "1e400",
                          "NaN", "2026-02-30", "0000-00-00", "true;false", "yes;yes", String(repeating: "x", count: 10_000), "<script>", "\u{1B}[2J"]

    private func mutate(_ bytes: inout [UInt8], using random: inout SeededRandom) {
        guard !bytes.isEmpty else { return }
        let at = Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<5, using: &random) {
        case 0: bytes[at] = UInt8.random(in: 0...255, using: &random)
        case 1: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...30, using: &random)))
        case 2: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + Int.random(in: 1...120, using: &random))], at: at)
        default:
            // A whole cell replaced: from this comma to the next.
            guard let start = bytes[at...].firstIndex(of: UInt8(ascii: ",")) else { return }
            let end = bytes[(start + 1)...].firstIndex { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\n") } ?? bytes.count
            bytes.replaceSubrange((start + 1)..<end, with: Array(Self.hostile[Int.random(in: 0..<Self.hostile.count, using: &random)].utf8))
        }
    }

    func testMutatedResponseFilesGiveRowsOrALocatedProblem() throws {
        var random = SeededRandom.forTest("ImporterFuzzTests.responses", defaultSeed: 0x1A9_0F1E)
        let text = try String(contentsOf: Self.root.appendingPathComponent("Fixtures/golden/responses.csv"), encoding: .utf8)
        let seed = Array(text.split(separator: "\n").prefix(40).joined(separator: "\n").utf8)
        let questionnaire = try QuestionnaireLoader.load(path: Self.root.appendingPathComponent("Questionnaires/asb-victim-satisfaction.json").path)
        let interview = Interview(questionnaire: questionnaire, language: "en", today: "2026-12-01")
        var rows = 0, problems = 0
        for round in 0..<1500 {
            var bytes = seed
            for _ in 0..<Int.random(in: 1...3, using: &random) { mutate(&bytes, using: &random) }
            do {
                var reader = try CSVResponseReader(bytes: bytes, interview: interview, defaultCompletion: "2026-12-01T00:00:00.000Z")
                while try reader.next() != nil { rows += 1 }
            } catch {
                problems += 1
                XCTAssertFalse(error.message.isEmpty, "round \(round): a problem without a reason (seed \(random.seed))")
                let lines = bytes.filter { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }.count + 1
                XCTAssertLessThanOrEqual(error.line, lines, "round \(round): a line past the file's \(lines) (seed \(random.seed))")
            }
        }
        print("ImporterFuzzTests.responses: \(rows) rows read, \(problems) files refused with a located problem")
        XCTAssertGreaterThan(rows, 0)
        XCTAssertGreaterThan(problems, 0)
    }

    func testMutatedCaseFilesGiveCasesOrALocatedProblemAndImportAllOrNothing() throws {
        var random = SeededRandom.forTest("ImporterFuzzTests.cases", defaultSeed: 0xCA5E_F1E)
        let seed = Array(try Data(contentsOf: Self.root.appendingPathComponent("Fixtures/cases/cases.csv")))
        let boroughs = try BoroughDirectory.load(path: Self.root.appendingPathComponent("Fixtures/boroughs.csv").path)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("importer-fuzz-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SurveyStore(path: directory.appendingPathComponent("f.sqlite").path)
        var imported = 0, problems = 0
        for round in 0..<1500 {
            var bytes = seed
            for _ in 0..<Int.random(in: 1...3, using: &random) { mutate(&bytes, using: &random) }
            let before = try store.connection.scalar("SELECT count(*) FROM cases").int64
            do {
                var reader = try CaseCSVReader(reader: CSVReader(bytes: bytes), boroughs: boroughs)
                _ = try store.importCases(next: { try reader.next() }, events: [], today: "2026-06-01")
                imported += 1
            } catch let problem as ImportProblem {
                problems += 1
                XCTAssertFalse(problem.message.isEmpty, "round \(round) (seed \(random.seed))")
                XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM cases").int64, before, "round \(round): a refused file changed nothing (seed \(random.seed))")
            } catch {
                problems += 1
                XCTAssertFalse("\(error)".isEmpty)
                XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM cases").int64, before, "round \(round): a refused file changed nothing (seed \(random.seed))")
            }
        }
        print("ImporterFuzzTests.cases: \(imported) files imported, \(problems) refused")
        XCTAssertGreaterThan(imported, 0)
        XCTAssertGreaterThan(problems, 0)
        XCTAssertTrue(try store.verify().isClean)
    }
}
