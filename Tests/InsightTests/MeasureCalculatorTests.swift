import Foundation
import XCTest
import JSON
import Reports
import SurveyEngine
@testable import Insight
@testable import SurveyStore

/// Builds a store with known counts and checks the measure rows. Reference values: statsmodels 0.15.0
/// proportion_confint(method='wilson'), the score z test against 0.55 computed with scipy.stats.norm,
/// and multipletests(method='fdr_bh'), computed while writing these tests.
final class MeasureCalculatorTests: XCTestCase {
    static let json = """
    {"version": "1", "title": "T", "questions": [
      {"id": "sat", "type": "scale", "label": "Satisfied?", "choices": [
        {"code": "vs", "label": "Very"}, {"code": "fs", "label": "Fairly"}, {"code": "n", "label": "Neither"},
        {"code": "fd", "label": "Fairly dis"}, {"code": "vd", "label": "Very dis"},
        {"code": "dk", "label": "Don't know", "excludeFromBase": true}]},
      {"id": "borough", "type": "text", "label": "Borough", "field": "borough", "required": false}],
     "measures": [{"id": "m", "label": "Satisfied", "question": "sat", "satisfied": ["vs", "fs"], "baseline": 0.55}]}
    """

    var store: SurveyStore!
    var questionnaire: Questionnaire!
    var versionID: Int64 = 0

    override func setUpWithError() throws {
        store = try SurveyStore(path: ":memory:")
        questionnaire = try QuestionnaireLoader.load(bytes: Array(Self.json.utf8), id: "t", source: "t.json")
        versionID = try store.publish(questionnaire).versionID
    }

    /// Adds `satisfied` + `other` + `dontKnow` complete responses for `borough` in `month`.
    func add(borough: String, satisfied: Int, other: Int, dontKnow: Int = 0, month: String = "2026-01", weight: Double? = nil) throws {
        var responses: [ImportedResponse] = []
        let codes = Array(repeating: "vs", count: satisfied / 2) + Array(repeating: "fs", count: satisfied - satisfied / 2)
            + Array(repeating: "vd", count: other) + Array(repeating: "dk", count: dontKnow)
        for code in codes {
            responses.append(ImportedResponse(answers: ["sat": .choice(code)], borough: borough, completedAt: "\(month)-15T10:00:00Z", weight: weight))
        }
        _ = try store.importResponses(versionID: versionID, questionnaire: questionnaire) { add in
            for response in responses { try add(response) }
        }
    }

    func testRowsByBoroughWithSuppressionBHAndVerdicts() throws {
        try add(borough: "A", satisfied: 30, other: 30, dontKnow: 5)
        try add(borough: "B", satisfied: 4, other: 4)
        try add(borough: "C", satisfied: 45, other: 5)
        let calculator = MeasureCalculator(store: store, questionnaire: questionnaire, options: MeasureOptions())
        let rows = try calculator.rows(measures: questionnaire.measures, grouping: .borough, filter: ResponseFilter())
        XCTAssertEqual(rows.map(\.group), ["A", "B", "C"])
        let a = rows[0], b = rows[1], c = rows[2]
        XCTAssertEqual(a.n, 60, "don't know leaves the base")
        XCTAssertEqual(a.satisfied, 30)
        XCTAssertEqual(a.lower!, 0.37735024241555765, accuracy: 1e-10)
        XCTAssertEqual(a.upper!, 0.6226497575844423, accuracy: 1e-10)
        XCTAssertEqual(a.pValue!, 0.4362749288405289, accuracy: 1e-12)
        XCTAssertEqual(a.verdict, .inLine)
        XCTAssertTrue(a.smallBase == false)
        XCTAssertTrue(b.suppressed)
        XCTAssertNil(b.n)
        XCTAssertNil(b.proportion)
        XCTAssertNil(b.verdict)
        XCTAssertEqual(c.proportion!, 0.9, accuracy: 1e-15)
        XCTAssertEqual(c.pValue!, 6.535437035694598e-07, accuracy: 1e-15)
        XCTAssertEqual(c.pAdjusted!, 1.30708741e-06, accuracy: 1e-13)
        XCTAssertEqual(a.pAdjusted!, 0.4362749288405289, accuracy: 1e-12)
        XCTAssertEqual(c.verdict, .above)
        XCTAssertFalse(c.smallBase, "the small-base flag is n < 50, and C has exactly 50")
    }

    func testPartialResponsesAndDateFilters() throws {
        try add(borough: "A", satisfied: 10, other: 10, month: "2026-01")
        try add(borough: "A", satisfied: 20, other: 0, month: "2026-03")
        let calculator = MeasureCalculator(store: store, questionnaire: questionnaire, options: MeasureOptions())
        let march = try calculator.rows(measures: questionnaire.measures, grouping: .all, filter: ResponseFilter(from: "2026-03-01", to: "2026-03-15"))
        XCTAssertEqual(march.first?.n, 20)
        let january = try calculator.rows(measures: questionnaire.measures, grouping: .month, filter: ResponseFilter(to: "2026-01-31"))
        XCTAssertEqual(january.map(\.group), ["2026-01"])
        let id = try store.startResponse(versionID: versionID, origin: ResponseOrigin(mode: .web))
        try store.save(responseID: id, state: InterviewState(answers: ["sat": .choice("vs")], position: .question("borough")), questionnaire: questionnaire)
        XCTAssertEqual(try calculator.rows(measures: questionnaire.measures, grouping: .all, filter: ResponseFilter()).first?.n, 40)
        XCTAssertEqual(try calculator.rows(measures: questionnaire.measures, grouping: .all, filter: ResponseFilter(includePartial: true)).first?.n, 41)
    }

    /// Weighted: every response in A has weight 2, so the proportion is unchanged and n_eff = n.
    func testWeightsUseKishEffectiveBase() throws {
        try add(borough: "A", satisfied: 30, other: 30, weight: 2)
        try add(borough: "A", satisfied: 10, other: 0, weight: 0.5)
        let calculator = MeasureCalculator(store: store, questionnaire: questionnaire, options: MeasureOptions(weighted: true))
        let row = try XCTUnwrap(calculator.rows(measures: questionnaire.measures, grouping: .all, filter: ResponseFilter()).first)
        // Σw = 60·2 + 10·0.5 = 125, Σw² = 60·4 + 10·0.25 = 242.5, Σwy = 30·2 + 10·0.5 = 65.
        XCTAssertEqual(row.proportion!, 65.0 / 125.0, accuracy: 1e-12)
        XCTAssertEqual(row.effectiveN!, 125.0 * 125.0 / 242.5, accuracy: 1e-9)
        XCTAssertEqual(row.designEffect!, 70 / (125.0 * 125.0 / 242.5), accuracy: 1e-9)
        XCTAssertEqual(row.n, 70)
    }

    /// statsmodels proportions_ztest([30, 20], [40, 40]) → p = 0.020921335337794014;
    /// rolling 50/80 Wilson = (0.51548725463143, 0.7230582129846883).
    func testTrendWithRollingAndChanges() throws {
        try add(borough: "A", satisfied: 20, other: 20, month: "2026-01")
        try add(borough: "A", satisfied: 30, other: 10, month: "2026-03")
        let calculator = MeasureCalculator(store: store, questionnaire: questionnaire, options: MeasureOptions())
        let rows = try TrendCalculator(calculator: calculator).rows(measures: questionnaire.measures, grouping: .month, rollingPeriods: 3, filter: ResponseFilter())
        XCTAssertEqual(rows.map(\.period), ["2026-01", "2026-02", "2026-03"], "gaps show as empty periods")
        XCTAssertTrue(rows[1].current.suppressed)
        XCTAssertNil(rows[2].pPrevious, "previous period was empty")
        XCTAssertEqual(rows[2].rolling.n, 80)
        XCTAssertEqual(rows[2].rolling.lower!, 0.51548725463143, accuracy: 1e-10)
        XCTAssertEqual(rows[2].rolling.upper!, 0.7230582129846883, accuracy: 1e-10)
        let quarterly = try TrendCalculator(calculator: calculator).rows(measures: questionnaire.measures, grouping: .month, rollingPeriods: 1, filter: ResponseFilter(from: "2026-01-01"))
        XCTAssertEqual(quarterly.count, 3)
        try add(borough: "A", satisfied: 30, other: 10, month: "2026-02")
        let again = try TrendCalculator(calculator: calculator).rows(measures: questionnaire.measures, grouping: .month, rollingPeriods: 3, filter: ResponseFilter())
        XCTAssertEqual(again[1].pPrevious!, 0.020921335337794014, accuracy: 1e-12)
        XCTAssertEqual(again[1].changeFromPrevious!, 0.25, accuracy: 1e-12)
    }

    /// With equal weights the effective base equals n, so the weighted change test must give the
    /// unweighted statsmodels value: proportions_ztest([30, 20], [40, 40]) p = 0.020921335337794014.
    func testWeightedTrendChangesUseTheEffectiveBase() throws {
        try add(borough: "A", satisfied: 20, other: 20, month: "2026-01", weight: 2)
        try add(borough: "A", satisfied: 30, other: 10, month: "2026-02", weight: 2)
        let calculator = MeasureCalculator(store: store, questionnaire: questionnaire, options: MeasureOptions(weighted: true))
        let rows = try TrendCalculator(calculator: calculator).rows(measures: questionnaire.measures, grouping: .month, rollingPeriods: 2, filter: ResponseFilter())
        XCTAssertEqual(rows[1].changeFromPrevious!, 0.25, accuracy: 1e-12)
        XCTAssertEqual(rows[1].pPrevious!, 0.020921335337794014, accuracy: 1e-12)
    }

    func testJSONShapeIsStable() throws {
        try add(borough: "A", satisfied: 30, other: 30)
        try add(borough: "B", satisfied: 1, other: 1)
        let calculator = MeasureCalculator(store: store, questionnaire: questionnaire, options: MeasureOptions())
        let rows = try calculator.rows(measures: questionnaire.measures, grouping: .borough, filter: ResponseFilter())
        let json = try JSONParser.parse(MeasureReport(questionnaire: "t", method: .wilson, level: 0.95, rows: rows).json())
        XCTAssertEqual(json["questionnaire"]?.string, "t")
        XCTAssertEqual(json["method"]?.string, "wilson")
        XCTAssertEqual(json["level"]?.number, 0.95)
        let first = try XCTUnwrap(json["rows"]?.array?.first)
        for key in ["measure", "group", "n", "satisfied", "proportion", "lower", "upper", "baseline", "p_value", "p_adjusted", "verdict", "suppressed", "small_base"] {
            XCTAssertNotNil(first[key], "missing \(key)")
        }
        XCTAssertEqual(first["n"], .number(60))
        XCTAssertEqual(first["proportion"], .number(0.5))
        XCTAssertEqual(first["verdict"], .string("broadly in line with"))
        let suppressed = try XCTUnwrap(json["rows"]?.array?.last)
        XCTAssertEqual(suppressed["suppressed"], .bool(true))
        XCTAssertEqual(suppressed["proportion"], .null)
        XCTAssertEqual(suppressed["n"], .null)
    }

    func testUnknownMeasureNamesTheAvailableOnes() throws {
        let calculator = MeasureCalculator(store: store, questionnaire: questionnaire, options: MeasureOptions())
        XCTAssertThrowsError(try calculator.selectMeasures(["nope"])) {
            XCTAssertEqual("\($0)", "no measure 'nope'; the questionnaire defines: m")
        }
    }
}
