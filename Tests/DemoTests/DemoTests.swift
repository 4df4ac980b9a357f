import Foundation
import XCTest
import Demo
import Insight
import SurveyEngine
import SurveyStore

/// The demo's built-in effects are what `measures` finds, so the demo proves the analysis.
final class DemoTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testTheBoroughListHasTheThirtyThreeLondonAuthoritiesWithTheirONSCodes() throws {
        let boroughs = try Borough.load(path: Self.root.appendingPathComponent("Fixtures/boroughs.csv").path)
        XCTAssertEqual(boroughs.count, 33)
        XCTAssertEqual(boroughs.map(\.code), (1...33).map { String(format: "E090000%02d", $0) })
        XCTAssertEqual(boroughs.first?.name, "City of London")
        XCTAssertEqual(boroughs.last?.name, "Westminster")
        XCTAssertTrue(boroughs.allSatisfy { $0.wards.allSatisfy { $0.hasSuffix("(synthetic)") } })
    }

    func testTheBuiltInEffectsAreRecoveredByMeasures() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SurveyStore(path: directory.appendingPathComponent("demo.sqlite").path)
        let resolver = QuestionnaireResolver(store: store, directory: Self.root.appendingPathComponent("Questionnaires").path)
        guard case .published(let victim) = try resolver.questionnaire("asb-victim-satisfaction", publishing: true),
              case .published(let poll) = try resolver.questionnaire("rapid-poll-local-asb", publishing: true) else { return XCTFail("published") }
        let boroughs = try Borough.load(path: Self.root.appendingPathComponent("Fixtures/boroughs.csv").path)
        let builder = DemoBuilder(boroughs: boroughs)
        let summary = try builder.build(in: store, victim: victim, poll: poll)
        XCTAssertEqual(summary.victimResponses, 26_000)
        XCTAssertEqual(summary.pollResponses, boroughs.reduce(0) { $0 + $1.wardCount } * 12)
        XCTAssertTrue(try store.verify().isClean, "the analysis table matches the answers")

        let calculator = MeasureCalculator(store: store, questionnaire: victim.questionnaire, options: MeasureOptions())
        let rows = try calculator.rows(measures: victim.questionnaire.measures, grouping: .borough, filter: ResponseFilter())
        let name = Dictionary(uniqueKeysWithValues: boroughs.map { ($0.code, $0.name) })
        for code in builder.effects.below {
            for row in rows where row.group == name[code] {
                XCTAssertEqual(row.verdict, .below, "\(row.group) \(row.measure) \(row.proportion ?? -1)")
            }
        }
        for code in builder.effects.above {
            for row in rows where row.group == name[code] && row.measure == "local_area" {
                XCTAssertEqual(row.verdict, .above, "\(row.group) \(row.measure) \(row.proportion ?? -1)")
            }
        }
        let inLine = rows.filter { row in !builder.effects.below.union(builder.effects.above).union([builder.effects.falling]).contains(boroughs.first { $0.name == row.group }?.code ?? "") }
        let flagged = inLine.filter { $0.verdict != .inLine && $0.verdict != nil }
        XCTAssertLessThanOrEqual(flagged.count, 3, "boroughs with no effect are broadly in line: \(flagged.map { "\($0.group) \($0.measure)" })")
        // The falling borough: its last four quarters are below its first four on local_area.
        let trend = try TrendCalculator(calculator: calculator).rows(measures: victim.questionnaire.measures.filter { $0.id == "local_area" },
                                                                     grouping: .quarter, rollingPeriods: 4, filter: ResponseFilter())
        XCTAssertFalse(trend.isEmpty)
        var fallingFilter = ResponseFilter()
        let fallingRows = try calculator.rows(measures: victim.questionnaire.measures.filter { $0.id == "local_area" }, grouping: .borough, filter: fallingFilter)
        XCTAssertNotNil(fallingRows.first { $0.group == name[builder.effects.falling] })
        fallingFilter.from = summary.from
        fallingFilter.to = "2025-11-30"
        let firstYear = try calculator.rows(measures: victim.questionnaire.measures, grouping: .borough, filter: fallingFilter).first { $0.group == name[builder.effects.falling] && $0.measure == "local_area" }
        fallingFilter.from = "2025-12-01"
        fallingFilter.to = summary.to
        let secondYear = try calculator.rows(measures: victim.questionnaire.measures, grouping: .borough, filter: fallingFilter).first { $0.group == name[builder.effects.falling] && $0.measure == "local_area" }
        let before = try XCTUnwrap(firstYear?.proportion), after = try XCTUnwrap(secondYear?.proportion)
        XCTAssertLessThan(after, before - 0.05, "the falling borough falls (12 points expected; about 385 responses a year, so a standard error of 3.6 points on the fall): \(before) then \(after)")
        XCTAssertEqual(secondYear?.verdict, .below)
    }

    func testInvitedVictimsReachTheirCasesAndTheCaseEffectsShow() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SurveyStore(path: directory.appendingPathComponent("demo.sqlite").path)
        let resolver = QuestionnaireResolver(store: store, directory: Self.root.appendingPathComponent("Questionnaires").path)
        guard case .published(let victim) = try resolver.questionnaire("asb-victim-satisfaction", publishing: true) else { return XCTFail("published") }
        var options = DemoOptions()
        options.responses = 12_000
        _ = try DemoBuilder(boroughs: try Borough.load(path: Self.root.appendingPathComponent("Fixtures/boroughs.csv").path), options: options)
            .build(in: store, victim: victim, poll: nil)
        let invited = try XCTUnwrap(try store.connection.scalar("SELECT count(*) FROM responses WHERE invitation_id IS NOT NULL").int)
        XCTAssertEqual(Double(invited) / 12_000, 0.6, accuracy: 0.03, "about 60% answer an invitation")
        XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM cases WHERE case_ref NOT LIKE '%-U%'").int, invited, "a case for every invited response")
        // Beside them, the cases whose victims were invited and did not answer: RR1 near 45%.
        let invitations = try XCTUnwrap(try store.connection.scalar("SELECT count(*) FROM invitations").int)
        XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM cases").int, invitations, "every closed case invited once")
        XCTAssertEqual(Double(invited) / Double(invitations), 0.45, accuracy: 0.02, "about 45% of invited victims answer")
        XCTAssertTrue(try store.verify().isClean)
        func share(_ grouping: ResponseGrouping, _ groups: Set<String>) throws -> (Double, Double) {
            let counts = try store.measureCounts(questionnaireID: victim.questionnaire.id, measureIDs: ["local_area"], grouping: grouping,
                                                 filter: ResponseFilter(), weighted: false)["local_area"] ?? []
            let inside = counts.filter { groups.contains($0.group) }, outside = counts.filter { !groups.contains($0.group) }
            func p(_ c: [GroupCount]) -> Double { Double(c.reduce(0) { $0 + $1.satisfied }) / Double(max(1, c.reduce(0) { $0 + $1.n })) }
            return (p(inside), p(outside))
        }
        let (enforced, warned) = try share(.stage, ["cpw", "cpn", "cbo", "injunction", "closure", "eviction"])
        XCTAssertGreaterThan(enforced, warned + 0.06, "enforcement beyond warnings goes with satisfaction: \(enforced) against \(warned)")
        let (repeatVictims, others) = try share(.repeat, ["repeat victim"])
        XCTAssertLessThan(repeatVictims, others - 0.05, "repeat victims are less satisfied: \(repeatVictims) against \(others)")
        let (vulnerable, notVulnerable) = try share(.vulnerable, ["vulnerable victim"])
        XCTAssertLessThan(vulnerable, notVulnerable - 0.03, "vulnerable victims are less satisfied: \(vulnerable) against \(notVulnerable)")

        // The model recovers the odds ratios built in: each true value lies inside its interval
        // (99.8%, so that sixteen intervals are all expected to hold). call_handling is asked
        // before kept_informed, so no effect of it is left out of the model.
        let patterns = try store.casePatterns(questionnaireID: victim.questionnaire.id, measureID: "call_handling", filter: ResponseFilter())
        let model = try OutcomeModel.fit(patterns, boroughEffects: false, level: 0.998)
        let effects = DemoEffects()
        func truth(_ term: String) -> Double {
            switch term {
            case "stage: cpw", "stage: cpn", "stage: cbo", "stage: injunction", "stage: closure", "stage: eviction": return Foundation.exp(effects.enforcement)
            case "repeat victim": return Foundation.exp(effects.repeatVictim)
            case "vulnerable victim": return Foundation.exp(effects.vulnerableVictim)
            default: return 1
            }
        }
        XCTAssertGreaterThanOrEqual(model.rows.count, 10)
        for row in model.rows {
            XCTAssertTrue(row.lower <= truth(row.term) && truth(row.term) <= row.upper,
                          "\(row.term): true odds ratio \(truth(row.term)) outside \(row.lower)–\(row.upper)")
        }

        // local_area is asked after kept_informed: adjusting for that answer, with the borough as
        // a fixed effect, the model is the demo's own, and recovers being kept informed too
        // (odds against "yes" of exp(-0.6) for "no" and for "not needed").
        let adjustment = OutcomeModel.Adjustment(questionID: "kept_informed", codes: ["yes", "no", "not_needed"])
        let local = try OutcomeModel.fit(try store.casePatterns(questionnaireID: victim.questionnaire.id, measureID: "local_area", filter: ResponseFilter(),
                                                                adjustingFor: ["kept_informed"]),
                                         boroughEffects: true, adjustments: [adjustment], level: 0.998)
        let informedTerms = local.rows.filter { $0.term.hasPrefix("kept_informed: ") }
        XCTAssertEqual(informedTerms.map(\.term), ["kept_informed: no", "kept_informed: not_needed"])
        for row in local.rows where !row.term.hasPrefix("borough: ") {
            let expected = row.term.hasPrefix("kept_informed: ") ? Foundation.exp(-effects.keptInformed) : truth(row.term)
            XCTAssertTrue(row.lower <= expected && expected <= row.upper, "local_area \(row.term): true odds ratio \(expected) outside \(row.lower)–\(row.upper)")
        }
    }

    func testTheSameSeedGivesTheSameData() throws {
        func build(_ seed: UInt64) throws -> [[String]] {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let store = try SurveyStore(path: directory.appendingPathComponent("demo.sqlite").path)
            let resolver = QuestionnaireResolver(store: store, directory: Self.root.appendingPathComponent("Questionnaires").path)
            guard case .published(let victim) = try resolver.questionnaire("asb-victim-satisfaction", publishing: true) else { return [] }
            var options = DemoOptions()
            options.responses = 500
            options.seed = seed
            _ = try DemoBuilder(boroughs: try Borough.load(path: Self.root.appendingPathComponent("Fixtures/boroughs.csv").path), options: options)
                .build(in: store, victim: victim, poll: nil)
            return try store.connection.rows("SELECT response_id, question_id, value FROM answers ORDER BY 1, 2, ordinal").map { $0.values.map { $0.string ?? "" } }
        }
        let first = try build(7)
        XCTAssertEqual(first, try build(7))
        XCTAssertNotEqual(first, try build(8))
    }
}
