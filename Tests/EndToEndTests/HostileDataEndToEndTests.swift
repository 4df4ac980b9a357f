import Foundation
import XCTest

/// Data that carries markup, script, quotes, spreadsheet formulas and terminal control sequences
/// (issue #10, part 4) comes back harmless from every command that shows it: terminal tables,
/// CSV, JSON, the HTML and Markdown reports and the exports. The borough and ward of the golden
/// responses are replaced, in one borough's rows, by hostile text.
final class HostileDataEndToEndTests: XCTestCase {
    /// A borough name with markup, quotes, an ANSI colour sequence, a bell and a right-to-left override.
    static let borough = "<script>alert(\"x\")</script> '&\u{1B}[31mRED\u{07}\u{202E}"
    /// A ward that a spreadsheet would run as a formula.
    static let ward = "=HYPERLINK(\"http://example.invalid\",\"<b>click</b>\")"

    private var directory: URL!
    private var db: String { directory.appendingPathComponent("hostile.sqlite").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let golden = try String(contentsOf: CanvassBinary.packageRoot.appendingPathComponent("Fixtures/golden/responses.csv"), encoding: .utf8)
        var lines = golden.split(separator: "\n").map(String.init)
        let quotedBorough = "\"" + Self.borough.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let quotedWard = "\"" + Self.ward.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        for index in lines.indices.dropFirst() where lines[index].contains(",Barnet,") {
            lines[index] = lines[index].replacingOccurrences(of: ",Barnet,Ward \\d+,", with: ",\(quotedBorough),\(quotedWard),", options: .regularExpression)
        }
        let csv = directory.appendingPathComponent("responses.csv")
        try (lines.joined(separator: "\n") + "\n").write(to: csv, atomically: true, encoding: .utf8)
        let imported = try CanvassBinary.run(["import", "responses", csv.path, "--db", db, "--questionnaire", "asb-victim-satisfaction",
                                              "--questionnaires", CanvassBinary.packageRoot.appendingPathComponent("Questionnaires").path])
        XCTAssertEqual(imported.status, 0, imported.stderr)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    private func canvass(_ arguments: [String]) throws -> String {
        let result = try CanvassBinary.run(arguments)
        XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)")
        return result.stdout
    }

    func testTerminalTablesShowControlCharactersInsteadOfObeyingThem() throws {
        for command in [["measures", "--by", "borough"], ["measures", "--by", "ward"], ["trend", "--by", "quarter"]] {
            let out = try canvass(command + ["--db", db, "--questionnaire", "asb-victim-satisfaction"])
            XCTAssertFalse(out.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E }, "\(command) printed a control character")
            if command[2] == "borough" {
                XCTAssertTrue(out.contains(#"<script>alert("x")</script> '&\u{1B}[31mRED\u{7}\u{202E}"#), out)
            }
        }
    }

    func testCSVAndJSONCarryTheTextExactlyAndDisarmFormulas() throws {
        let csv = try canvass(["measures", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--by", "ward", "--format", "csv"])
        XCTAssertTrue(csv.contains("\"'=HYPERLINK("), "a formula is written as text: \(csv.prefix(600))")
        XCTAssertFalse(csv.contains(",=HYPERLINK") || csv.contains("\"=HYPERLINK"))
        let json = try canvass(["measures", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--by", "borough", "--format", "json"])
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let groups = try XCTUnwrap(object["rows"] as? [[String: Any]]).compactMap { $0["group"] as? String }
        XCTAssertTrue(groups.contains(Self.borough), "JSON carries the name exactly")

        let exported = directory.appendingPathComponent("export.csv").path
        _ = try canvass(["export", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--format", "csv", "--out", exported])
        let export = try String(contentsOfFile: exported, encoding: .utf8)
        XCTAssertTrue(export.contains("\"'=HYPERLINK("), "the export disarms the formula")
        let exportedJSON = directory.appendingPathComponent("export.json").path
        _ = try canvass(["export", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--format", "json", "--out", exportedJSON])
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: exportedJSON))) as? [String: Any])
        let boroughs = try XCTUnwrap(document["responses"] as? [[String: Any]]).compactMap { $0["response_borough"] as? String }
        XCTAssertTrue(boroughs.contains(Self.borough), "the JSON export carries the name exactly")
    }

    func testReportsEscapeEveryValue() throws {
        for (format, arguments) in [("html", ["--all"]), ("html", ["--borough", Self.borough]), ("md", ["--all"]), ("md", ["--borough", Self.borough]), ("json", ["--borough", Self.borough])] {
            let out = directory.appendingPathComponent("report.\(format)").path
            _ = try canvass(["report", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--period", "2026", "--format", format, "--out", out] + arguments)
            let report = try String(contentsOfFile: out, encoding: .utf8)
            let what = "\(format) report \(arguments.first ?? "")"
            if format != "json" { // JSON carries the text as a JSON string, exactly
                // Markdown escapes markup with backslashes (CommonMark: "\<" is a literal "<").
                let unescaped = format == "md" ? report.replacingOccurrences(of: "\\<", with: "") : report
                XCTAssertFalse(unescaped.contains("<script"), "\(what) contains a script tag")
                XCTAssertFalse(unescaped.contains("<b>click"), "\(what) contains markup from data")
            }
            XCTAssertFalse(report.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "\(what) contains a control character")
            switch format {
            case "html": XCTAssertTrue(report.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &#39;&amp;"), what)
            case "md" where arguments.first == "--borough":
                XCTAssertTrue(report.contains("\\<script\\>alert(\"x\")\\</script\\> '&\u{FFFD}\\[31mRED\u{FFFD}"), "\(what) escapes markup: \(report.prefix(300))")
            case "md": break
            default:
                let object = try JSONSerialization.jsonObject(with: Data(report.utf8))
                XCTAssertNotNil(object as? [String: Any], what)
            }
        }
    }
    /// Case fields from a case-management export: a case reference that is a formula and a ward
    /// with markup go into the mail-merge file disarmed.
    func testCaseFieldsAreDisarmedInTheInvitationsFile() throws {
        let cases = directory.appendingPathComponent("cases.csv")
        try """
            case_ref,borough,ward,opened,closed,channel,repeat_victim,vulnerable_victim,highest_stage,outcome
            "=HYPERLINK(""http://example.invalid"")",Hackney,"<script>x</script>\u{1B}[2J",2026-01-01,2026-02-01,online,false,false,cpw,resolved

            """.write(to: cases, atomically: true, encoding: .utf8)
        _ = try canvass(["import", "cases", cases.path, "--db", db, "--boroughs", CanvassBinary.packageRoot.appendingPathComponent("Fixtures/boroughs.csv").path])
        let out = directory.appendingPathComponent("invitations.csv").path
        _ = try canvass(["invite", "--db", db, "--questionnaire", "asb-victim-satisfaction", "--cases-closed-since", "2026-01-01", "--out", out])
        let text = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(text.contains("\n\"'=HYPERLINK(\"\"http://example.invalid\"\")\","), "the formula is written as text: \(text)")
        XCTAssertFalse(text.contains("\n=") || text.contains("\n\"="), text)
    }
}
