import XCTest
import Statistics
import SurveyStore
import TestSupport
@testable import Insight

/// The outcome model's design: merges reported, constant terms left out and said, days used when known.
final class OutcomeModelTests: XCTestCase {
    private func pattern(_ stage: EscalationStage, repeatVictim: Bool = false, channel: CaseChannel = .phone101, days: Int? = nil) -> CasePattern {
        CasePattern(stage: stage, channel: channel, repeatVictim: repeatVictim, vulnerable: false, daysToFirstAction: days, borough: "Hackney")
    }

    func testSparseStagesAreMergedAndConstantTermsReportedNotDropped() throws {
        var random = SeededRandom.forTest("OutcomeModelTests", defaultSeed: 77)
        var patterns: [CasePattern: (successes: Int, trials: Int)] = [:]
        for stage in [EscalationStage.none, .warning1, .cpn] {
            for repeatVictim in [false, true] {
                let trials = 200
                let p = (stage == .cpn ? 0.7 : 0.5) - (repeatVictim ? 0.1 : 0)
                let successes = (0..<trials).filter { _ in Double.random(in: 0..<1, using: &random) < p }.count
                patterns[pattern(stage, repeatVictim: repeatVictim)] = (successes, trials)
            }
        }
        patterns[pattern(.cbo)] = (4, 6)  // too few: merged with the rung below (cpn)
        let model = try OutcomeModel.fit(patterns, boroughEffects: false)
        XCTAssertEqual(model.rows.map(\.term), ["stage: warning-1", "stage: cpn", "repeat victim"])
        XCTAssertTrue(model.notes.contains { $0.contains("stages cpn, cbo merged as cpn") }, "\(model.notes)")
        XCTAssertTrue(model.notes.contains { $0.contains("vulnerable victim left out") }, "\(model.notes)")
        XCTAssertTrue(model.notes.contains { $0.contains("days to first action left out") }, "\(model.notes)")
        XCTAssertEqual(model.responses, 1206)
        let cpn = try XCTUnwrap(model.rows.first { $0.term == "stage: cpn" })
        XCTAssertGreaterThan(cpn.oddsRatio, 1.5)
        XCTAssertLessThan(cpn.lower, cpn.oddsRatio)
        XCTAssertGreaterThan(cpn.upper, cpn.oddsRatio)
    }

    func testDaysToFirstActionIsATermWhereCasesHaveEventsAndTheRestAreCounted() throws {
        var patterns: [CasePattern: (successes: Int, trials: Int)] = [:]
        for days in 0..<20 {
            patterns[pattern(.none, days: days)] = (40 - days, 60)
            patterns[pattern(.cpn, days: days)] = (45 - days, 60)
        }
        patterns[pattern(.cpn)] = (30, 50)  // no events: left out, and counted in a note
        let model = try OutcomeModel.fit(patterns, boroughEffects: false)
        let days = try XCTUnwrap(model.rows.first { $0.term == "days to first action" })
        XCTAssertLessThan(days.oddsRatio, 1, "satisfaction falls with each day's wait")
        XCTAssertTrue(model.notes.contains { $0.contains("50 responses whose cases have no events are left out") }, "\(model.notes)")
    }

    func testNoCasesIsAClearError() {
        XCTAssertThrowsError(try OutcomeModel.fit([:], boroughEffects: false)) { XCTAssertTrue("\($0)".contains("import cases"), "\($0)") }
    }
}
