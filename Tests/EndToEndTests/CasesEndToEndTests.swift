import Foundation
import XCTest
import SQLite

/// `import cases`, `invite --cases-closed-since` and `outcomes` on the built binary.
final class CasesEndToEndTests: XCTestCase {
    func testImportInviteAndOutcomes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cases-e2e-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let root = CanvassBinary.packageRoot
        let db = directory.appendingPathComponent("c.sqlite").path
        let boroughs = ["--boroughs", root.appendingPathComponent("Fixtures/boroughs.csv").path]
        var result = try CanvassBinary.run(["import", "cases", root.appendingPathComponent("Fixtures/cases/cases.csv").path, "--db", db,
                                            "--events", root.appendingPathComponent("Fixtures/cases/events.csv").path] + boroughs)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Imported 6 cases (6 new, 0 updated) and 4 events"), result.stdout)
        let bad = directory.appendingPathComponent("bad.csv")
        try "case_ref,borough,ward,opened,closed,channel,repeat_victim,vulnerable_victim,highest_stage,outcome\nX1,Hackney,,2026-01-01,,fax,false,false,none,resolved\n"
            .write(to: bad, atomically: true, encoding: .utf8)
        result = try CanvassBinary.run(["import", "cases", bad.path, "--db", db] + boroughs)
        XCTAssertEqual(result.status, 65)
        XCTAssertTrue(result.stderr.contains("line 2, column 'channel', value 'fax'"), result.stderr)
        XCTAssertTrue(result.stderr.contains("nothing was imported"), result.stderr)

        let out = directory.appendingPathComponent("invitations.csv").path
        let invite = ["invite", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--questionnaires", root.appendingPathComponent("Questionnaires").path,
                      "--cases-closed-since", "2026-02-01", "--base-url", "https://survey.example.org"]
        result = try CanvassBinary.run(invite + ["--out", out])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.first, "case_ref,token,link")
        XCTAssertEqual(lines.dropFirst().map { $0.split(separator: ",")[0] }, ["ASB-0001", "ASB-0002", "ASB-0003", "ASB-0006"])
        XCTAssertTrue(lines[1].contains(",https://survey.example.org/s/"), String(lines[1]))
        result = try CanvassBinary.run(invite + ["--out", out])
        XCTAssertEqual(result.status, 73, "an existing file is never overwritten: its tokens are shown only once")
        result = try CanvassBinary.run(invite + ["--out", out + ".2"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Created 0 invitations"), result.stdout)

        // An interviewer calls four of the invited victims and records their answers against
        // their invitations; the responses reach their cases that way only.
        let tokens = Dictionary(uniqueKeysWithValues: lines.dropFirst().map { line -> (String, String) in
            let fields = line.split(separator: ",")
            return (String(fields[0]), String(fields[1]))
        })
        let answers = ["ASB-0001": "satisfied", "ASB-0002": "dissatisfied", "ASB-0003": "satisfied", "ASB-0006": "dissatisfied"]
        for (ref, kind) in answers.sorted(by: { $0.key < $1.key }) {
            result = try CanvassBinary.run(["run", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--mode", "interviewer",
                                            "--token", try XCTUnwrap(tokens[ref]), "--answers", root.appendingPathComponent("Fixtures/cases/answers-\(kind).json").path])
            XCTAssertEqual(result.status, 0, "\(ref): \(result.stderr)")
        }
        result = try CanvassBinary.run(["run", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--token", tokens["ASB-0001"]!,
                                        "--answers", root.appendingPathComponent("Fixtures/cases/answers-satisfied.json").path])
        XCTAssertEqual(result.status, 65, "an answered invitation takes no second response")
        XCTAssertTrue(result.stderr.contains("already has response"), result.stderr)
        XCTAssertEqual(try CanvassBinary.run(["verify", "--db", db]).status, 0)
        result = try CanvassBinary.run(["outcomes", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--measure", "local_area", "--by", "stage",
                                        "--suppress-below", "0", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("\"association\""), result.stdout)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let rows = try XCTUnwrap(json["rows"] as? [[String: Any]])
        XCTAssertEqual(rows.map { $0["category"] as? String }, ["warning-1", "cpn", "cbo", "injunction"], "the ladder's order")
        XCTAssertEqual(rows.map { $0["satisfied"] as? Int }, [0, 1, 1, 0])
        XCTAssertEqual(rows.map { $0["n"] as? Int }, [1, 1, 1, 1])
        result = try CanvassBinary.run(["outcomes", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--measure", "local_area", "--by", "repeat",
                                        "--suppress-below", "0", "--format", "csv"])
        XCTAssertTrue(result.stdout.contains("local_area,not a repeat victim,3,2,"), result.stdout)
        XCTAssertTrue(result.stdout.contains("local_area,repeat victim,1,0,"), result.stdout)
        result = try CanvassBinary.run(["outcomes", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--measure", "local_area", "--case-review", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("\"threshold\": 3"), result.stdout)
        result = try CanvassBinary.run(["outcomes", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--measure", "local_area", "--case-review", "--case-review-window", "12m"])
        XCTAssertEqual(result.status, 65, "no dated complaints to count a year from")
        XCTAssertTrue(result.stderr.contains("holds no dated complaints"), result.stderr)
        result = try CanvassBinary.run(["outcomes", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--measure", "local_area", "--case-review", "--case-review-window", "6 weeks"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("invalid value '6 weeks' for --case-review-window"), result.stderr)
        result = try CanvassBinary.run(["outcomes", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--measure", "local_area", "--by", "colour"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("invalid value 'colour' for --by: expected stage, outcome, channel, repeat, vulnerable, case-review, case-review-eligible, borough"), result.stderr)

        // --adjust-for: only with --model, only a single-choice question, never the measure's own.
        let model = ["outcomes", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--measure", "local_area"]
        result = try CanvassBinary.run(model + ["--by", "stage", "--adjust-for", "kept_informed"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("--adjust-for works only with --model"), result.stderr)
        result = try CanvassBinary.run(model + ["--model", "--adjust-for", "local_sat"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("invalid value 'local_sat' for --adjust-for: expected the question local_area itself reads cannot explain it"), result.stderr)
        result = try CanvassBinary.run(model + ["--model", "--adjust-for", "shoe_size"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("invalid value 'shoe_size' for --adjust-for: expected a single-choice question of asb-victim-satisfaction: "), result.stderr)
        XCTAssertTrue(result.stderr.contains("kept_informed"), result.stderr)
        result = try CanvassBinary.run(model + ["--model", "--adjust-for", "kept_informed", "--adjust-for", "kept_informed"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("expected each question once"), result.stderr)
    }
}
