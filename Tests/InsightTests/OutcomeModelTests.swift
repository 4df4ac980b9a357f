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

    /// An answer adjusted for: "yes" (the first choice) is the reference, and a sparse answer
    /// (dont_know, 15 responses) joins it, said in a note. Reference: statsmodels 0.15.0
    /// `Logit` on the same 600 responses expanded to rows, dont_know recoded as yes
    /// (/tmp/adj_ref.py, run while writing this test): odds ratios cpn 1.8716972837054293
    /// (1.3441685800976628–2.606258451284249, p 0.00020645645871506565), no 0.40491403084409305
    /// (0.2723162725985814–0.6020770290730884, p 7.945606650884244e-06), not_needed
    /// 0.5663788283082289 (0.3763246827143774–0.8524154590180612, p 0.006419940106254677).
    func testAnAnswerAdjustedForMatchesStatsmodels() throws {
        let cells: [(EscalationStage, String, Int, Int)] = [
            (.none, "yes", 60, 100), (.none, "no", 35, 100), (.none, "not_needed", 40, 90), (.none, "dont_know", 3, 8),
            (.cpn, "yes", 80, 110), (.cpn, "no", 52, 100), (.cpn, "not_needed", 50, 85), (.cpn, "dont_know", 4, 7),
        ]
        var patterns: [CasePattern: (successes: Int, trials: Int)] = [:]
        for (stage, answer, successes, trials) in cells {
            patterns[CasePattern(stage: stage, channel: .phone101, repeatVictim: false, vulnerable: false, daysToFirstAction: nil,
                                 borough: "Hackney", answers: [answer])] = (successes, trials)
        }
        let adjustment = OutcomeModel.Adjustment(questionID: "kept_informed", codes: ["yes", "no", "not_needed", "dont_know"])
        let model = try OutcomeModel.fit(patterns, boroughEffects: false, adjustments: [adjustment])
        XCTAssertEqual(model.rows.map(\.term), ["stage: cpn", "kept_informed: no", "kept_informed: not_needed"])
        let reference: [String: (Double, Double, Double, Double)] = [
            "stage: cpn": (1.8716972837054293, 1.3441685800976628, 2.606258451284249, 0.00020645645871506565),
            "kept_informed: no": (0.40491403084409305, 0.2723162725985814, 0.6020770290730884, 7.945606650884244e-06),
            "kept_informed: not_needed": (0.5663788283082289, 0.3763246827143774, 0.8524154590180612, 0.006419940106254677),
        ]
        for row in model.rows {
            let (ratio, lower, upper, p) = try XCTUnwrap(reference[row.term])
            XCTAssertEqual(row.oddsRatio, ratio, accuracy: 1e-9, row.term)
            XCTAssertEqual(row.lower, lower, accuracy: 1e-9, row.term)
            XCTAssertEqual(row.upper, upper, accuracy: 1e-9, row.term)
            XCTAssertEqual(row.pValue / p, 1, accuracy: 1e-6, row.term)
        }
        XCTAssertTrue(model.notes.contains("kept_informed: dont_know merged with yes (sparse)"), "\(model.notes)")
        XCTAssertTrue(model.notes.contains("kept_informed adjusted for, against yes"), "\(model.notes)")
    }

    /// Sparse answers are pooled as one term when the pool has enough responses; responses with
    /// no answer are a category of their own, never dropped.
    func testSparseAnswersArePooledAndNoAnswerIsACategory() throws {
        var patterns: [CasePattern: (successes: Int, trials: Int)] = [:]
        func add(_ answer: String, _ successes: Int, _ trials: Int) {
            patterns[CasePattern(stage: .none, channel: .phone101, repeatVictim: false, vulnerable: false, daysToFirstAction: nil,
                                 borough: "Hackney", answers: [answer])] = (successes, trials)
        }
        add("yes", 70, 100); add("no", 40, 100); add("", 30, 60); add("a", 10, 20); add("b", 12, 20)
        let model = try OutcomeModel.fit(patterns, boroughEffects: false,
                                         adjustments: [.init(questionID: "q", codes: ["yes", "no", "a", "b"])])
        XCTAssertEqual(model.rows.map(\.term), ["q: no", "q: (no answer)", "q: (other answers)"])
        XCTAssertEqual(model.responses, 300, "every response stays in the model")
        XCTAssertTrue(model.notes.contains("q: a, b merged as other answers (sparse)"), "\(model.notes)")
        // The pooled term is the pooled odds against yes: (22/18) / (70/30).
        let pooled = try XCTUnwrap(model.rows.last)
        XCTAssertEqual(pooled.oddsRatio, (22.0 / 18) / (70.0 / 30), accuracy: 1e-9)
    }

    func testNoCasesIsAClearError() {
        XCTAssertThrowsError(try OutcomeModel.fit([:], boroughEffects: false)) { XCTAssertTrue("\($0)".contains("import cases"), "\($0)") }
    }
}
