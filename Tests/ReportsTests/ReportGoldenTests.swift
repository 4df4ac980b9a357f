import Foundation
import XCTest
import Demo
import Insight
import SurveyEngine
import SurveyStore
@testable import Reports

/// The report on a fixed data set (the demo, 6,000 responses, seed 2026, ending 2026-11-30):
/// Markdown and JSON compared byte for byte with golden files (`CANVASS_UPDATE_GOLDEN=1`
/// rewrites them after a deliberate change), and suppression checked on the HTML.
final class ReportGoldenTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let producedAt = "2026-12-01T09:00:00.000Z"

    /// The demo store, built once for the class.
    nonisolated(unsafe) static var built: (store: SurveyStore, questionnaire: Questionnaire, directory: URL)?

    static func fixture() throws -> (store: SurveyStore, questionnaire: Questionnaire) {
        if let built { return (built.store, built.questionnaire) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-golden-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try SurveyStore(path: directory.appendingPathComponent("demo.sqlite").path)
        let resolver = QuestionnaireResolver(store: store, directory: root.appendingPathComponent("Questionnaires").path)
        guard case .published(let victim) = try resolver.questionnaire("asb-victim-satisfaction", publishing: true),
              case .published(let poll) = try resolver.questionnaire("rapid-poll-local-asb", publishing: true) else { throw XCTSkip("questionnaires") }
        var options = DemoOptions()
        options.responses = 6_000
        options.pollsPerWard = 1
        _ = try DemoBuilder(boroughs: try Borough.load(path: root.appendingPathComponent("Fixtures/boroughs.csv").path), options: options)
            .build(in: store, victim: victim, poll: poll)
        built = (store, victim.questionnaire, directory)
        return (store, victim.questionnaire)
    }

    override class func tearDown() {
        if let directory = built?.directory { try? FileManager.default.removeItem(at: directory) }
        built = nil
        super.tearDown()
    }

    func report(_ scope: ReportScope, options: MeasureOptions = MeasureOptions(), period: ReportPeriod? = nil, overdispersion: Bool = false) throws -> InspectionReport {
        let (store, questionnaire) = try Self.fixture()
        return try InspectionReportBuilder(stores: [store], questionnaire: questionnaire, options: options)
            .build(scope: scope, period: period, overdispersion: overdispersion, producedAt: Self.producedAt)
    }

    func compare(_ text: String, golden name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = Self.root.appendingPathComponent("Fixtures/golden/\(name)")
        if ProcessInfo.processInfo.environment["CANVASS_UPDATE_GOLDEN"] == "1" {
            try Data(text.utf8).write(to: url)
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        if text != golden {
            let a = text.split(separator: "\n", omittingEmptySubsequences: false), b = golden.split(separator: "\n", omittingEmptySubsequences: false)
            let index = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
            XCTFail("\(name) differs from the golden file at line \(index + 1):\n  now:    \(index < a.count ? a[index] : "<end>")\n  golden: \(index < b.count ? b[index] : "<end>")", file: file, line: line)
        }
    }

    func testMarkdownAndJSONMatchTheGoldenFiles() throws {
        let newham = try report(.borough("Newham"))
        try compare(newham.markdown(), golden: "report-newham.md")
        try compare(newham.json(), golden: "report-newham.json")
        // The demo's built-in effect: Newham 12 points under in every measure, so below the baseline.
        XCTAssertTrue(newham.findings.contains { $0.current.verdict == .below }, newham.findings.map(\.headline).joined(separator: "\n"))
        XCTAssertFalse(newham.improvements.isEmpty)
        let all = try report(.all, period: try ReportPeriod.parse("2026-Q3"), overdispersion: true)
        try compare(all.markdown(), golden: "report-all-2026-q3.md")
        XCTAssertTrue(all.methodLines.contains { $0.contains("widened for over-dispersion") })
    }

    func testTheReportFiguresAreTheCalculatorsFigures() throws {
        let (store, questionnaire) = try Self.fixture()
        let newham = try report(.borough("Newham"))
        let calculator = MeasureCalculator(store: store, questionnaire: questionnaire, options: MeasureOptions())
        let rows = try calculator.rows(measures: questionnaire.measures, grouping: .borough, filter: ResponseFilter(from: newham.period.from, to: newham.period.to))
        for finding in newham.findings {
            let row = try XCTUnwrap(rows.first { $0.measure == finding.id && $0.group == "Newham" })
            XCTAssertEqual(finding.current.n, row.n)
            XCTAssertEqual(finding.current.proportion, row.proportion)
            XCTAssertEqual(finding.boroughs.first { $0.group == "Newham" }, row, "the funnel's point is the comparison's row")
        }
        // The wards are `measures --by ward --borough Newham` for the period.
        var inNewham = ResponseFilter(from: newham.period.from, to: newham.period.to)
        inNewham.borough = "Newham"
        let wards = try calculator.rows(measures: questionnaire.measures, grouping: .ward, filter: inNewham)
        XCTAssertEqual(newham.wards, wards)
        XCTAssertEqual(Set(wards.map(\.group)).count, 22, "the demo's 22 synthetic Newham wards")
        XCTAssertTrue(try report(.all).wards.isEmpty, "a report on every borough has no ward table")
    }

    /// A ward's cell gives the % and n, says when the ward is significantly below or above the
    /// baseline, and never a percentage when suppressed.
    func testTheWardTableSaysWhereAWardIsSignificantlyBelow() throws {
        var newham = try report(.borough("Newham"))
        let shown = try XCTUnwrap(newham.wards.first { !$0.suppressed && $0.proportion != nil })
        var below = shown
        below.verdict = .below
        newham.wards = [below] + newham.wards.filter { $0 != shown }
        let percent = ReportText.percent(try XCTUnwrap(shown.proportion))
        let markdown = newham.markdown()
        XCTAssertTrue(markdown.contains("| \(shown.group) |"), markdown)
        XCTAssertTrue(markdown.contains("\(percent) (n \(shown.n!)), below"), markdown)
        XCTAssertTrue(newham.html().contains("\(percent) (n \(shown.n!)), below"))
        var suppressed = below
        suppressed.suppressed = true
        newham.wards = [suppressed]
        XCTAssertFalse(newham.markdown().contains("\(percent) (n"), "a suppressed ward shows no percentage")
        XCTAssertTrue(newham.markdown().contains("| \(shown.group) | "))
    }

    /// With every cell under the threshold, no figure's percentage appears anywhere: headlines,
    /// tables and charts say "suppressed" or "fewer than".
    func testSuppressedCellsNeverShowAPercentage() throws {
        var options = MeasureOptions()
        options.suppressBelow = 100_000
        let html = try report(.borough("Newham"), options: options).html()
        let body = String(html[html.range(of: "<h1>")!.lowerBound..<html.range(of: "<h2 id=\"rates\">")!.lowerBound])
        let decimals = try NSRegularExpression(pattern: #"\d+\.\d%"#)
        var leaks: [String] = []
        for match in decimals.matches(in: body, range: NSRange(body.startIndex..., in: body)) {
            guard let range = Range(match.range, in: body), body[range] != "99.8%" else { continue }
            let start = body.index(range.lowerBound, offsetBy: -120, limitedBy: body.startIndex) ?? body.startIndex
            leaks.append(String(body[start..<range.upperBound]))
        }
        XCTAssertEqual(leaks, [], "a one-decimal percentage in a suppressed report")
        // Whole percentages remain only on axes, in legends and as baselines.
        let allowed = Set(["0%", "20%", "40%", "60%", "80%", "100%", "95%", "99.8%", "82%", "63%", "66%", "55%"]).union((0...20).map { "\($0 * 5)%" })
        let whole = try NSRegularExpression(pattern: #"\d+(\.\d)?%"#)
        let found = whole.matches(in: body, range: NSRange(body.startIndex..., in: body)).map { String(body[Range($0.range, in: body)!]) }
        XCTAssertEqual(Set(found).subtracting(allowed), [], "percentages beyond axes and baselines")
        XCTAssertTrue(body.contains("Fewer than 100000 victims answered"))
        XCTAssertTrue(body.contains("suppressed: fewer than the minimum base"), "the measure charts say so in words")
        XCTAssertTrue(body.contains("No borough has enough respondents"), "no empty funnel plot")
    }

    func testAnUnknownBoroughIsNamedWithTheOnesThereAre() throws {
        XCTAssertThrowsError(try report(.borough("Atlantis"))) { error in
            XCTAssertTrue("\(error)".contains("no responses are stored for the borough 'Atlantis'"), "\(error)")
            XCTAssertTrue("\(error)".contains("Newham"), "\(error)")
        }
    }
}
