import Foundation
import XCTest

/// `canvass export` read back by independent readers: Python's `csv` module, Foundation's
/// `JSONSerialization`, and for `.sav` both pyreadstat and PSPP (skipped, saying so, where they
/// are not installed: `pip install pyreadstat`, `apt-get install pspp`).
final class ExportEndToEndTests: XCTestCase {
    static let long = String(repeating: "Noise every night from the flat above, ", count: 16) + "and no one came."   // 640 bytes: a very long string
    static let formula = "=HYPERLINK(\"http://x\",\"click\")"
    static let welsh = "Diolch yn fawr — ŵ ŷ"

    /// Runs a Python script; nil (with the reason) when Python or a module is missing.
    static func python(_ script: String, _ arguments: [String]) throws -> (status: Int32, out: String)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        do { try process.run() } catch { return nil }
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if text.contains("ModuleNotFoundError") || process.terminationStatus == 127 { return nil }
        return (process.terminationStatus, text)
    }

    func testRoundTripsThroughIndependentReaders() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("export-e2e-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let root = CanvassBinary.packageRoot
        let db = directory.appendingPathComponent("x.sqlite").path
        let input = directory.appendingPathComponent("in.csv")
        func field(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        try """
        how_reported,contact_sat,action_taken,actions,incident_sat,kept_informed,info_sat,treatment,local_sat,experienced_before,times_before,asked_repeat,impact,felt_unsafe,disability,borough,ward,comments,completed_at
        phone_101,very_satisfied,yes,cpw;injunction,fairly_satisfied,yes,fairly_satisfied,yes,dont_know,yes,3,no,not_very_much,no,no,Hackney,Ward 1,\(field(Self.formula)),2026-03-01
        online,fairly_dissatisfied,no,,fairly_satisfied,yes,fairly_satisfied,yes,very_satisfied,no,,,not_very_much,no,no,Brent,Ward 2,\(field(Self.welsh)),2026-03-02
        phone_999,very_dissatisfied,yes,warning,fairly_satisfied,yes,fairly_satisfied,yes,fairly_satisfied,yes,12,no,not_very_much,no,no,Brent,,\(field(Self.long)),2026-03-03

        """.write(to: input, atomically: true, encoding: .utf8)
        var result = try CanvassBinary.run(["import", "responses", input.path, "--db", db, "--questionnaire", "asb-victim-satisfaction",
                                            "--questionnaires", root.appendingPathComponent("Questionnaires").path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let base = ["export", "--db", db, "--questionnaire", "asb-victim-satisfaction"]

        // CSV, read by Python's csv module; the codebook beside it.
        let csv = directory.appendingPathComponent("out.csv").path
        result = try CanvassBinary.run(base + ["--out", csv])
        XCTAssertEqual(result.status, 0, result.stderr)
        let codebook = try String(contentsOfFile: directory.appendingPathComponent("out-codebook.csv").path, encoding: .utf8)
        XCTAssertTrue(codebook.contains("contact_sat,,,very_satisfied,Very satisfied,"), codebook)
        XCTAssertTrue(codebook.contains("local_sat,,,dont_know,"), codebook)
        if let read = try Self.python("""
            import csv, json, sys
            rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
            print(json.dumps([{k: r[k] for k in ('response_id', 'contact_sat', 'actions', 'local_sat', 'times_before', 'comments', 'response_borough')} for r in rows]))
            """, [csv]) {
            XCTAssertEqual(read.status, 0, read.out)
            let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(read.out.utf8)) as? [[String: String]])
            guard rows.count == 3 else { return XCTFail("three rows: \(rows)") }
            XCTAssertEqual(rows.map { $0["contact_sat"] }, ["very_satisfied", "fairly_dissatisfied", "very_dissatisfied"])
            XCTAssertEqual(rows[0]["actions"], "cpw;injunction")
            XCTAssertEqual(rows[0]["comments"], "'" + Self.formula, "a formula is neutralised")
            XCTAssertEqual(rows[1]["comments"], Self.welsh)
            XCTAssertEqual(rows[2]["comments"], Self.long)
            XCTAssertEqual(rows[2]["times_before"], "12")
            XCTAssertEqual(rows[1]["response_borough"], "Brent")
        } else {
            print("python3 not available: the CSV round trip through Python's csv module was not run")
        }
        XCTAssertFalse(try String(contentsOfFile: csv, encoding: .utf8).contains("case_ref"), "no case reference unless asked for")

        // JSON, read by Foundation.
        result = try CanvassBinary.run(base + ["--format", "json", "--include-case-ref"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let responses = try XCTUnwrap(document["responses"] as? [[String: Any]])
        guard responses.count == 3 else { return XCTFail("three responses: \(responses)") }
        let answers = try XCTUnwrap(responses[0]["answers"] as? [String: Any])
        XCTAssertEqual(answers["actions"] as? [String], ["cpw", "injunction"])
        XCTAssertEqual(answers["times_before"] as? Double, 3)
        XCTAssertEqual(answers["comments"] as? String, Self.formula, "JSON keeps the text as it was")
        XCTAssertTrue(responses[0].keys.contains("case_ref"), "asked for: present (null without a case)")

        // SPSS, read by pyreadstat and by PSPP.
        let sav = directory.appendingPathComponent("out.sav").path
        result = try CanvassBinary.run(base + ["--format", "sav", "--out", sav, "--lang", "cy"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("has no labels in 'cy' (it has en); its en labels are used"), result.stderr)
        // A questionnaire with Welsh: its codebook in Welsh.
        let votes = directory.appendingPathComponent("votes.csv")
        try "asb_problem,confidence,completed_at\nno,fairly,2026-03-04\n".write(to: votes, atomically: true, encoding: .utf8)
        result = try CanvassBinary.run(["import", "responses", votes.path, "--db", db, "--questionnaire", "rapid-poll-local-asb",
                                        "--questionnaires", root.appendingPathComponent("Questionnaires").path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let poll = directory.appendingPathComponent("poll.csv").path
        result = try CanvassBinary.run(["export", "--db", db, "--questionnaire", "rapid-poll-local-asb", "--lang", "cy", "--out", poll])
        XCTAssertEqual(result.status, 0, result.stderr)
        let welsh = try String(contentsOfFile: directory.appendingPathComponent("poll-codebook.csv").path, encoding: .utf8)
        XCTAssertTrue(welsh.contains("asb_problem,,,yes,Ydy,"), welsh)
        if let read = try Self.python("""
            import json, sys, pyreadstat
            df, meta = pyreadstat.read_sav(sys.argv[1], user_missing=True)
            def clean(column): return [None if isinstance(v, float) and v != v else v for v in df[column]]
            print(json.dumps({
                'n': len(df), 'contact_sat': clean('contact_sat'), 'cpw': clean('actions_cpw'), 'local_sat': clean('local_sat'),
                'comments': clean('comments'), 'times_before': clean('times_before'),
                'label': meta.column_names_to_labels['contact_sat'], 'values': {str(k): v for k, v in meta.variable_value_labels['contact_sat'].items()},
                'missing': meta.missing_ranges.get('local_sat'), 'measure': meta.variable_measure['contact_sat'], 'encoding': meta.file_encoding}))
            """, [sav]) {
            XCTAssertEqual(read.status, 0, read.out)
            let sav = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(read.out.utf8)) as? [String: Any])
            XCTAssertEqual(sav["n"] as? Int, 3)
            XCTAssertEqual(sav["contact_sat"] as? [Double], [1, 4, 5], "codes in choice order")
            XCTAssertEqual((sav["cpw"] as? [Any])?.map { $0 as? Double }, [1, nil, 0], "one 0/1 variable per option, missing where not asked")
            XCTAssertEqual(sav["comments"] as? [String], [Self.formula, Self.welsh, Self.long], "every string, the very long one whole")
            XCTAssertEqual((sav["local_sat"] as? [Double])?.first, 91, "don't know takes a missing-value code")
            XCTAssertEqual((sav["missing"] as? [[String: Double]])?.first?["lo"], 91)
            XCTAssertEqual(sav["measure"] as? String, "ordinal")
            XCTAssertEqual(sav["encoding"] as? String, "UTF-8")
            XCTAssertEqual((sav["values"] as? [String: String])?["1.0"], "Very satisfied", "no Welsh labels in this questionnaire: the English ones")
            XCTAssertTrue((sav["label"] as? String)?.isEmpty == false)
        } else {
            print("pyreadstat not installed (pip install pyreadstat): the .sav round trip through pyreadstat was not run")
        }
        let pspp = Process()
        pspp.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let syntax = directory.appendingPathComponent("check.sps")
        try "SYSFILE INFO FILE='\(sav)'.\nGET FILE='\(sav)'.\nLIST /VARIABLES=response_id contact_sat actions_cpw comments.\n".write(to: syntax, atomically: true, encoding: .utf8)
        pspp.arguments = ["pspp", "-O", "format=txt", syntax.path]
        let out = Pipe()
        pspp.standardOutput = out
        pspp.standardError = out
        if (try? pspp.run()) != nil {
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            pspp.waitUntilExit()
            if pspp.terminationStatus == 127 {
                print("PSPP not installed (apt-get install pspp): the .sav check through PSPP was not run")
            } else {
                XCTAssertEqual(pspp.terminationStatus, 0, text)
                XCTAssertFalse(text.lowercased().contains("warning:") || text.lowercased().contains("error:"), text)
                XCTAssertTrue(text.contains("Encoding") && text.contains("UTF-8"), text)
                XCTAssertTrue(text.contains("Diolch yn fawr"), text)
            }
        }
        // Bad options are said plainly.
        for (arguments, message) in [(["--format", "xls"], "expected csv, json or sav"), (["--lang", "fr"], "expected en or cy"),
                                     (["--format", "sav"], "--out FILE.sav"), (["--out", csv], "already exists")] {
            result = try CanvassBinary.run(base + arguments)
            XCTAssertNotEqual(result.status, 0)
            XCTAssertTrue(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        result = try CanvassBinary.run(["audit", "--db", db])
        XCTAssertEqual(result.stdout.components(separatedBy: "  export  ").count - 1, 4, result.stdout)
    }
}
