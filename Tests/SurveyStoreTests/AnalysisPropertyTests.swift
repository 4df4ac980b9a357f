import Foundation
import XCTest
import SQLite
import SurveyEngine
import TestSupport
@testable import SurveyStore

/// Property: after any sequence of starts, saves (answers changed between satisfied and not, to
/// "don't know", hidden by branching), completions, imports and deletions, the maintained analysis
/// table equals a full recomputation from the answers, its maintained cells equal a recomputation
/// from its rows, and counts read from the cells equal counts read from a scan of the rows.
final class AnalysisPropertyTests: XCTestCase {
    static let json = #"""
    {"version": "1", "title": "Property", "questions": [
      {"id": "contacted", "type": "yesno", "label": "Contacted?"},
      {"id": "call", "type": "scale", "label": "Call", "showIf": "${contacted} = 'yes'",
       "choices": [{"code": "good", "label": "Good"}, {"code": "ok", "label": "OK"}, {"code": "neither", "label": "Neither"},
                   {"code": "bad", "label": "Bad"}, {"code": "awful", "label": "Awful"}, {"code": "dk", "label": "Don't know", "excludeFromBase": true}]},
      {"id": "area", "type": "scale", "label": "Area",
       "choices": [{"code": "good", "label": "Good"}, {"code": "ok", "label": "OK"}, {"code": "neither", "label": "Neither"},
                   {"code": "bad", "label": "Bad"}, {"code": "awful", "label": "Awful"}, {"code": "dk", "label": "Don't know", "excludeFromBase": true}]},
      {"id": "borough", "type": "text", "label": "Borough", "field": "borough", "required": false}
    ],
    "measures": [
      {"id": "call_handling", "label": "Call", "question": "call", "satisfied": ["good", "ok"], "baseline": 0.8},
      {"id": "local_area", "label": "Area", "question": "area", "satisfied": ["good"], "baseline": 0.5}
    ]}
    """#

    func testTheMaintainedTableAlwaysEqualsARecomputation() throws {
        var random = SeededRandom.forTest("AnalysisPropertyTests", defaultSeed: 0xA11A)
        let seed = random.seed
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("property-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let questionnaire = try QuestionnaireLoader.load(bytes: Array(Self.json.utf8), id: "property", source: "property.json")
        var day = 0.0
        let store = try SurveyStore(path: directory.appendingPathComponent("db.sqlite").path, clock: { Date(timeIntervalSince1970: 1_780_000_000 + day * 86_400) })
        let published = try store.publish(questionnaire)
        let interview = Interview(questionnaire: questionnaire, language: "en", today: "2026-12-01")
        let invitation = try store.createInvitation(Invitation(questionnaireID: "property", caseRef: "C", borough: "Camden", ward: nil, repeatVictim: true))
        let invitationID = try XCTUnwrap(try store.invitation(token: invitation)?.id)
        var open: [Int64] = []
        var all: [Int64] = []
        func answers() -> [String: AnswerValue] {
            var answers: [String: AnswerValue] = [:]
            let contacted = Bool.random(using: &random)
            if Bool.random(using: &random) || open.isEmpty { answers["contacted"] = .choice(contacted ? "yes" : "no") }
            // Sometimes an answer to "call" the branching hides: the save prunes it, as the engine does.
            if Bool.random(using: &random) { answers["call"] = .choice(["good", "ok", "neither", "bad", "dk"].randomElement(using: &random)!) }
            if Bool.random(using: &random) { answers["area"] = .choice(["good", "awful", "dk"].randomElement(using: &random)!) }
            if Int.random(in: 0..<4, using: &random) == 0 { answers["borough"] = .text(["Hackney", "Barnet", ""].randomElement(using: &random)!) }
            return interview.pruneHidden(answers)
        }
        for step in 0..<400 {
            if step % 7 == 0 { day += 1 }
            switch Int.random(in: 0..<10, using: &random) {
            case 0, 1:
                let origin = ResponseOrigin(mode: Bool.random(using: &random) ? .web : .terminal,
                                            invitationID: all.isEmpty && Bool.random(using: &random) ? invitationID : nil)
                let id = try store.startResponse(versionID: published.versionID, origin: origin)
                open.append(id)
                all.append(id)
            case 2, 3, 4, 5:
                guard let id = open.randomElement(using: &random) else { continue }
                let stored = try store.response(id)
                let state = InterviewState(answers: answers(), position: .question("area"))
                if Bool.random(using: &random) {
                    _ = try store.save(state, over: stored, questionnaire: questionnaire)
                } else {
                    try store.save(responseID: id, state: state, questionnaire: questionnaire)
                }
            case 6:
                guard let index = open.indices.randomElement(using: &random) else { continue }
                let id = open.remove(at: index)
                try store.save(responseID: id, state: InterviewState(answers: answers(), position: .submitted), questionnaire: questionnaire, complete: true)
            case 7:
                let rows = (0..<Int.random(in: 1...3, using: &random)).map { _ in
                    ImportedResponse(answers: answers(), borough: Bool.random(using: &random) ? "Brent" : nil,
                                     completedAt: "2026-0\(Int.random(in: 1...9, using: &random))-15T10:00:00.000Z",
                                     weight: Bool.random(using: &random) ? 1.5 : nil)
                }
                let first = (try store.connection.scalar("SELECT max(id) FROM responses").int64 ?? 0) + 1
                _ = try store.importResponses(versionID: published.versionID, questionnaire: questionnaire) { add in
                    for row in rows { try add(row) }
                }
                all += (first..<first + Int64(rows.count))
            case 8:
                guard let index = all.indices.randomElement(using: &random) else { continue }
                let id = all.remove(at: index)
                open.removeAll { $0 == id }
                XCTAssertTrue(try store.deleteResponse(id))
            default:
                guard let id = open.randomElement(using: &random) else { continue }
                try store.setWard(responseID: id, ward: ["W1", "W2"].randomElement(using: &random)!)
            }
            if step % 50 == 49 || step == 399 {
                let report = try store.verify()
                XCTAssertTrue(report.isClean, "seed \(seed), step \(step): \(report.differences.prefix(5)) \(report.cellDifferences.prefix(5)) \(report.integrityProblems) \(report.foreignKeyProblems)")
                // The maintained cells answer counts exactly as a scan of the rows does (by ward and
                // mode over whole months; over part-months both sides scan the rows).
                for grouping in [ResponseGrouping.all, .borough, .month, .quarter, .ward, .mode] {
                    // Whole months from the month cells, part-months from the day cells, and both.
                    var latest = ResponseFilter(from: "2026-01-01", to: "2026-12-31")
                    latest.latestMonths = 3
                    var borough = ResponseFilter(from: "2026-03-10", to: "2026-08-20")
                    borough.borough = "Brent"
                    // Whole months in one borough: by ward or mode, the ward and mode month cells.
                    var boroughMonths = ResponseFilter(from: "2026-02-01", to: "2026-09-30")
                    boroughMonths.borough = "Brent"
                    let filters = [ResponseFilter(), ResponseFilter(includePartial: true), ResponseFilter(from: "2026-01-01", to: "2026-12-31"),
                                   ResponseFilter(from: "2026-03-10", to: "2026-08-20"), ResponseFilter(from: "2026-06-01"), ResponseFilter(to: "2026-06-05"),
                                   ResponseFilter(from: "2026-06-02", to: "2026-06-20"), ResponseFilter(from: "2026-05-31", to: "2026-06-01"),
                                   ResponseFilter(from: "2026-03-10", to: "2026-08-20", includePartial: true), latest, borough, boroughMonths, ResponseFilter(to: "2026-06-30")]
                    for filter in filters {
                        store.analysisCellsEnabled = true
                        for weighted in [false, true] {
                            let fromCells = try store.measureCounts(questionnaireID: questionnaire.id, measureIDs: ["call_handling", "local_area"], grouping: grouping, filter: filter, weighted: weighted)
                            store.analysisCellsEnabled = false
                            let fromRows = try store.measureCounts(questionnaireID: questionnaire.id, measureIDs: ["call_handling", "local_area"], grouping: grouping, filter: filter, weighted: weighted)
                            store.analysisCellsEnabled = true
                            XCTAssertEqual(fromCells.mapValues { $0.map(\.rounded) }, fromRows.mapValues { $0.map(\.rounded) },
                                           "seed \(seed), step \(step), \(grouping), \(filter), weighted \(weighted): cells and rows disagree")
                        }
                    }
                }
                XCTAssertEqual(report.rowsChecked, all.count, "seed \(seed): one row per response")
                if !report.isClean { return }
            }
        }
    }
}

private extension GroupCount {
    /// The count with its weight sums to nine significant digits: cells add the same weights in
    /// another order than a scan of the rows.
    var rounded: GroupCount {
        func round(_ value: Double?) -> Double? { value.map { Double(String(format: "%.9g", $0))! } }
        return GroupCount(group: group, n: n, satisfied: satisfied, sumOfWeights: round(sumOfWeights),
                          sumOfSquaredWeights: round(sumOfSquaredWeights), weightedSatisfied: round(weightedSatisfied))
    }
}
