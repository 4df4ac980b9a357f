import Foundation
import XCTest
import CSV
import SQLite
import SurveyEngine
@testable import SurveyStore

/// Case records: validation (all rows or none), upserts, bulk invitations, and the analysis table
/// following a response's case through its invitation.
final class CaseTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    var directory: URL!
    var store: SurveyStore!
    var boroughs: BoroughDirectory!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cases-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SurveyStore(path: directory.appendingPathComponent("db.sqlite").path, clock: { Date(timeIntervalSince1970: 1_777_000_000) })
        boroughs = try BoroughDirectory.load(path: Self.root.appendingPathComponent("Fixtures/boroughs.csv").path)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func importCases(_ text: String, events: String? = nil) throws -> CaseImportSummary {
        var reader = try CaseCSVReader(reader: CSVReader(bytes: Array(text.utf8)), boroughs: boroughs)
        let parsedEvents = try events.map { try CaseCSVReader.events(CSVReader(bytes: Array($0.utf8))) } ?? []
        return try store.importCases(next: { try reader.next() }, events: parsedEvents, today: "2026-06-01")
    }

    /// A complete interview of a victim satisfied with how ASB is dealt with locally.
    private func satisfiedVictim(_ questionnaire: Questionnaire) throws -> InterviewState {
        let interview = Interview(questionnaire: questionnaire, language: "en", today: "2026-06-01")
        return try interview.complete(with: [
            "how_reported": .string("online"), "contact_sat": .string("very_satisfied"), "action_taken": .string("no"),
            "incident_sat": .string("fairly_satisfied"), "kept_informed": .string("yes"), "info_sat": .string("neither"),
            "treatment": .string("yes"), "local_sat": .string("very_satisfied"), "experienced_before": .string("no"),
            "impact": .string("fair_amount"), "felt_unsafe": .string("no"), "disability": .string("no")]).get()
    }

    private var fixture: String { get throws { try String(contentsOf: Self.root.appendingPathComponent("Fixtures/cases/cases.csv"), encoding: .utf8) } }
    private var fixtureEvents: String { get throws { try String(contentsOf: Self.root.appendingPathComponent("Fixtures/cases/events.csv"), encoding: .utf8) } }

    func testTheFixtureImportsWithBoroughsByNameOrCodeAndDaysWorkedOut() throws {
        let summary = try importCases(try fixture, events: try fixtureEvents)
        XCTAssertEqual(summary, CaseImportSummary(inserted: 6, updated: 0, events: 4, responsesLinked: 0))
        let second = try XCTUnwrap(try store.caseRecord("ASB-0002"))
        XCTAssertEqual(second.borough, "Hackney", "E09000012 is Hackney")
        XCTAssertEqual(second.caseReview, .told)
        XCTAssertEqual(try store.caseRecord("ASB-0004")?.boroughCode, "E09000007", "names match ignoring case")
        let days = try store.connection.rows("SELECT case_ref, days_to_first_action, days_open FROM cases ORDER BY case_ref").map { $0.values }
        XCTAssertEqual(days[0], [.text("ASB-0001"), .integer(4), .integer(46)])
        XCTAssertEqual(days[3], [.text("ASB-0004"), .null, .integer(118)], "open: days to today")
    }

    func testEveryKindOfBadRowIsRefusedWithItsLineColumnAndValueAndNothingIsStored() throws {
        let header = "case_ref,borough,ward,opened,closed,channel,repeat_victim,vulnerable_victim,highest_stage,outcome\n"
        let good = "A1,Hackney,,2026-01-01,2026-02-01,online,false,false,none,resolved\n"
        let cases: [(String, String)] = [
            (header + good + "A2,Gotham,,2026-01-01,,online,false,false,none,resolved\n", "line 3, column 'borough', value 'Gotham'"),
            (header + good + "A2,Hackney,,2026-13-01,,online,false,false,none,resolved\n", "line 3, column 'opened', value '2026-13-01'"),
            (header + good + "A2,Hackney,,2026-03-01,2026-02-01,online,false,false,none,resolved\n", "line 3, column 'closed', value '2026-02-01': the case closed before it opened"),
            (header + good + "A2,Hackney,,2026-01-01,,fax,false,false,none,resolved\n", "line 3, column 'channel', value 'fax': expected one of phone-999"),
            (header + good + "A2,Hackney,,2026-01-01,,online,yes,false,none,resolved\n", "line 3, column 'repeat_victim', value 'yes': expected true or false"),
            (header + good + "A2,Hackney,,2026-01-01,,online,false,false,asbo,resolved\n", "line 3, column 'highest_stage', value 'asbo'"),
            (header + good + "A2,Hackney,,2026-01-01,,online,false,false,none,fixed\n", "line 3, column 'outcome', value 'fixed'"),
            (header + good + good, "line 3, column 'case_ref', value 'A1': this case appears twice"),
            (header + good + ",Hackney,,2026-01-01,,online,false,false,none,resolved\n", "line 3, column 'case_ref': a value is required"),
            (header + good + "A2,Hackney,,2026-01-01,,online,false\n", "line 3: has 7 fields but the header has 10"),
            (header.replacingOccurrences(of: ",outcome", with: ",outcome,colour") + good, "line 1, column 'colour': unknown column"),
            (header.replacingOccurrences(of: ",channel", with: ""), "line 1, column 'channel': this column is required"),
            ("case_ref,borough,ward,opened,closed,channel,repeat_victim,vulnerable_victim,highest_stage,outcome,complaints_6m\n"
             + "A1,Hackney,,2026-01-01,,online,false,false,none,resolved,many\n", "line 2, column 'complaints_6m', value 'many'"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try importCases(text), expected) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error) should say \(expected)")
            }
            XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM cases").int, 0, "nothing stored: \(expected)")
        }
        XCTAssertThrowsError(try importCases(header + good, events: "case_ref,date,action\nA9,2026-01-02,warning-1\n")) { error in
            XCTAssertTrue("\(error)".contains("'A9'"), "\(error)")
        }
        XCTAssertThrowsError(try importCases(header + good, events: "case_ref,date,action\nA1,yesterday,warning-1\n")) { error in
            XCTAssertTrue("\(error)".contains("line 2, column 'date', value 'yesterday'"), "\(error)")
        }
        XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM cases").int, 0)
    }

    func testBulkInvitationsAreIdempotentHonourDoNotContactAndTheAnalysisFollowsUpserts() throws {
        _ = try importCases(try fixture, events: try fixtureEvents)
        let questionnaire = try QuestionnaireLoader.load(path: Self.root.appendingPathComponent("Questionnaires/asb-victim-satisfaction.json").path)
        let published = try store.publish(questionnaire)
        let created = try store.inviteClosedCases(questionnaireID: questionnaire.id, closedSince: "2026-02-01")
        XCTAssertEqual(created.map(\.caseRef), ["ASB-0001", "ASB-0002", "ASB-0003", "ASB-0006"], "closed since the date, open and do-not-contact cases left out")
        XCTAssertTrue(try store.inviteClosedCases(questionnaireID: questionnaire.id, closedSince: "2026-02-01").isEmpty, "running again creates nothing")
        // The victim of ASB-0001 answers; the analysis row carries the case's stage.
        let invitation = try XCTUnwrap(try store.invitation(token: created[0].token))
        let id = try store.startResponse(versionID: published.versionID, origin: ResponseOrigin(mode: .web, invitationID: invitation.id))
        let state = try satisfiedVictim(questionnaire)
        try store.save(responseID: id, state: state, questionnaire: questionnaire, complete: true)
        var counts = try store.measureCounts(questionnaireID: questionnaire.id, measureIDs: ["local_area"], grouping: .stage, filter: ResponseFilter(), weighted: false)
        XCTAssertEqual(counts["local_area"], [GroupCount(group: "cpn", n: 1, satisfied: 1)])
        // Importing again updates the case by case_ref, and the analysis follows.
        let updated = try fixture.replacingOccurrences(of: "ASB-0001,Hackney,Hoxton East,2026-01-05,2026-02-20,phone-101,false,false,cpn",
                                                       with: "ASB-0001,Hackney,Hoxton East,2026-01-05,2026-02-20,phone-101,false,false,closure")
        let summary = try importCases(updated)
        XCTAssertEqual(summary.updated, 6)
        XCTAssertEqual(summary.responsesLinked, 1)
        counts = try store.measureCounts(questionnaireID: questionnaire.id, measureIDs: ["local_area"], grouping: .stage, filter: ResponseFilter(), weighted: false)
        XCTAssertEqual(counts["local_area"], [GroupCount(group: "closure", n: 1, satisfied: 1)])
        XCTAssertTrue(try store.verify().isClean)
        let repeatCounts = try store.measureCounts(questionnaireID: questionnaire.id, measureIDs: ["local_area"], grouping: .repeat, filter: ResponseFilter(), weighted: false)
        XCTAssertEqual(repeatCounts["local_area"]?.map(\.group), ["not a repeat victim"])
        // ASB-0001's victim made 1 complaint in six months: under the Case Review threshold of 3, at it with a threshold of 1.
        var filter = ResponseFilter()
        XCTAssertEqual(try store.measureCounts(questionnaireID: questionnaire.id, measureIDs: ["local_area"], grouping: .caseReviewEligible,
                                               filter: filter, weighted: false)["local_area"]?.map(\.group), ["fewer than 3 complaints"])
        filter.caseReviewThreshold = 1
        XCTAssertEqual(try store.measureCounts(questionnaireID: questionnaire.id, measureIDs: ["local_area"], grouping: .caseReviewEligible,
                                               filter: filter, weighted: false)["local_area"]?.map(\.group), ["1 or more complaints in 6 months"])
        filter.caseReviewEligibleOnly = true
        XCTAssertEqual(try store.measureCounts(questionnaireID: questionnaire.id, measureIDs: ["local_area"], grouping: .caseReview,
                                               filter: filter, weighted: false)["local_area"]?.map(\.group), ["none"])
    }

    /// Case Review windows other than the export's six months count dated `complaint` events:
    /// the most within one span of the window. Complaints are the victim's, so they are not
    /// actions on the case and leave days to first action alone.
    func testCaseReviewWindowsCountDatedComplaints() throws {
        _ = try importCases(try fixture, events: try fixtureEvents)
        let questionnaire = try QuestionnaireLoader.load(path: Self.root.appendingPathComponent("Questionnaires/asb-victim-satisfaction.json").path)
        let published = try store.publish(questionnaire)
        let state = try satisfiedVictim(questionnaire)
        let invited = try store.inviteClosedCases(questionnaireID: questionnaire.id, closedSince: "2026-02-01")
        XCTAssertEqual(invited.map(\.caseRef), ["ASB-0001", "ASB-0002", "ASB-0003", "ASB-0006"])
        for invitation in invited {
            let stored = try XCTUnwrap(try store.invitation(token: invitation.token))
            let id = try store.startResponse(versionID: published.versionID, origin: ResponseOrigin(mode: .web, invitationID: stored.id))
            try store.save(responseID: id, state: state, questionnaire: questionnaire, complete: true)
        }
        func eligible(_ window: String, threshold: Int = 3) throws -> [String: Int] {
            var filter = ResponseFilter()
            filter.caseReviewWindow = try XCTUnwrap(CaseReviewWindow(window))
            filter.caseReviewThreshold = threshold
            let counts = try store.measureCounts(questionnaireID: questionnaire.id, measureIDs: ["local_area"], grouping: .caseReviewEligible, filter: filter, weighted: false)
            return Dictionary(uniqueKeysWithValues: (counts["local_area"] ?? []).map { ($0.group, $0.n) })
        }
        // Six months: the export's complaints_6m (1, 4, 0 and 2).
        XCTAssertEqual(try eligible("6m"), ["3 or more complaints in 6 months": 1, "fewer than 3 complaints": 3])
        XCTAssertThrowsError(try eligible("12m")) { error in
            XCTAssertTrue("\(error)".contains("no dated complaints"), "\(error)")
            XCTAssertTrue("\(error)".contains("12 months"), "\(error)")
        }
        // ASB-0001 complained three times within three months (one before the case was opened);
        // ASB-0002 three times within a year but never more than twice within 180 days.
        let complaints = """
            ASB-0001,2025-12-20,complaint
            ASB-0001,2026-01-02,complaint
            ASB-0001,2026-02-15,complaint
            ASB-0002,2025-09-01,complaint
            ASB-0002,2026-01-10,complaint
            ASB-0002,2026-06-01,complaint

            """
        _ = try importCases(try fixture, events: try fixtureEvents + complaints)
        XCTAssertEqual(try store.connection.scalar("SELECT days_to_first_action FROM cases WHERE case_ref = 'ASB-0001'").int, 4,
                       "a complaint before the first action is not an action")
        XCTAssertEqual(try eligible("3m"), ["3 or more complaints in 3 months": 1, "fewer than 3 complaints": 3])
        XCTAssertEqual(try eligible("180d"), ["3 or more complaints in 180 days": 1, "fewer than 3 complaints": 3])
        XCTAssertEqual(try eligible("12m"), ["3 or more complaints in 12 months": 2, "fewer than 3 complaints": 2])
        XCTAssertEqual(try eligible("1y"), ["3 or more complaints in 1 year": 2, "fewer than 3 complaints": 2])
        XCTAssertEqual(try eligible("1d"), ["fewer than 3 complaints": 4], "no two complaints on one day")
        XCTAssertEqual(try eligible("1d", threshold: 1), ["1 or more complaints in 1 day": 2, "no complaints": 2])
        XCTAssertEqual(try eligible("6m"), ["3 or more complaints in 6 months": 1, "fewer than 3 complaints": 3], "six months still reads complaints_6m")
        for bad in ["", "6", "m", "0m", "-3m", "6w", "121m", "11y", "3661d", "6 m"] { XCTAssertNil(CaseReviewWindow(bad), bad) }
    }
}
