import Foundation
import XCTest
import CSV
import JSON
import SurveyEngine
@testable import XLSForm

/// A multi-language XLSForm in the style of the specification's examples (Fixtures/xlsform:
/// groups, branching, constraints, required in several spellings, untranslatable rows), turned
/// into a questionnaire and compared field by field.
final class XLSFormConverterTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func sheet(_ name: String) throws -> XLSFormSheet {
        var reader = CSVReader(bytes: Array(try Data(contentsOf: root.appendingPathComponent("Fixtures/xlsform/\(name).csv"))))
        var rows: [[String]] = []
        while let row = try reader.next() { rows.append(row) }
        return XLSFormSheet(name: name, rows: rows)
    }

    func convert() throws -> XLSFormConverter.Result {
        try XLSFormConverter(survey: try Self.sheet("survey"), choices: try Self.sheet("choices"), settings: try Self.sheet("settings"))
            .convert(id: "asb-where-you-live")
    }

    func testTheFormBecomesAQuestionnaireThatLoads() throws {
        let result = try convert()
        // It passes the same checks as `canvass check`.
        let questionnaire = try QuestionnaireLoader.load(bytes: Array(result.json.utf8), id: "asb-where-you-live", source: "converted")
        XCTAssertEqual(questionnaire.languages, ["en", "cy"])
        XCTAssertEqual(questionnaire.title.text("en"), "Anti-social behaviour where you live")
        XCTAssertEqual(questionnaire.questions.map(\.id), ["intro", "asb_problem", "asb_kinds", "times", "hours", "comments", "when"])
        func question(_ id: String) throws -> Question { try XCTUnwrap(questionnaire.questions.first { $0.id == id }) }
        XCTAssertEqual(try question("intro").type, .note)
        let problem = try question("asb_problem")
        XCTAssertEqual(problem.type, .single)
        XCTAssertTrue(problem.required, "yes")
        XCTAssertEqual(problem.label.text("cy"), "A yw ymddygiad gwrthgymdeithasol wedi bod yn broblem lle rydych chi'n byw?")
        XCTAssertEqual(problem.choices.map(\.code), ["yes", "no"])
        XCTAssertEqual(problem.choices[1].label.text("cy"), "Nac ydy")
        let kinds = try question("asb_kinds")
        XCTAssertEqual(kinds.type, .multiple)
        XCTAssertTrue(kinds.required, "true()")
        XCTAssertEqual(kinds.hint?.text("cy"), "Dewiswch bob un sy'n berthnasol.")
        XCTAssertEqual(kinds.showIfSource, "${asb_problem} = 'yes'", "the group's relevance")
        XCTAssertEqual(kinds.choices.last?.label.text("cy"), "Something else", "a missing translation takes the default language")
        let times = try question("times")
        XCTAssertEqual(times.type, .number)
        XCTAssertTrue(times.integerOnly)
        XCTAssertTrue(times.required, "TRUE")
        XCTAssertEqual(times.validations.first?.source, ". >= 1 and . <= 100")
        XCTAssertEqual(times.validations.first?.message.text("cy"), "Rhowch rif o 1 i 100")
        let hours = try question("hours")
        XCTAssertEqual(hours.type, .number)
        XCTAssertFalse(hours.integerOnly)
        XCTAssertFalse(hours.required, "no")
        XCTAssertNil(hours.showIfSource, "after the group ends, its relevance no longer applies")
        let comments = try question("comments")
        XCTAssertFalse(comments.required, "false")
        XCTAssertEqual(comments.showIfSource, "length(${asb_problem}) > 0", "string-length is length")
        XCTAssertEqual(comments.validations.first?.source, "length(.) <= 500")
        let when = try question("when")
        XCTAssertEqual(when.type, .date)
        XCTAssertFalse(when.required, "XLSForm's default: not required")
        XCTAssertEqual(when.showIfSource, "selected(${asb_kinds}, 'noise') or ${asb_problem} = 'yes'")
        XCTAssertEqual(when.validations.first?.message.text("en"), "The date cannot be in the future")
    }

    /// Nothing is dropped silently: each row left out is named with its line and why.
    func testWhatCannotBeTranslatedIsNamedLineByLine() throws {
        let notes = try convert().notes
        for expected in ["survey sheet, line 11 (score): type 'calculate' cannot be translated (calculations are not supported): left out",
                         "survey sheet, line 12 (location): type 'geopoint' cannot be translated (locations are not collected): left out",
                         "survey sheet, line 13 (people): repeats are not supported: the repeat and every question in it are left out",
                         "survey sheet, line 14 (person): inside a repeat: left out",
                         "survey sheet, line 4 (details): the group's appearance is not translated",
                         "survey sheet, line 9 (comments): the appearance 'multiline' is not translated"] {
            XCTAssertTrue(notes.contains(expected), "missing: \(expected)\nnotes: \(notes.joined(separator: "\n"))")
        }
    }

    func testErrorsNameTheSheetAndLine() throws {
        func survey(_ text: String) -> XLSFormSheet { XLSFormSheet(name: "survey", rows: text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }) }
        let choices = try Self.sheet("choices")
        func error(_ text: String) -> String {
            do {
                _ = try XLSFormConverter(survey: survey(text), choices: choices, settings: nil).convert(id: "x")
                return "no error"
            } catch { return "\(error)" }
        }
        XCTAssertEqual(error("type,name,label\nselect_one colours,c,Colour?"), "survey sheet, line 2: 'select_one colours' names no choice list on the choices sheet (list_name 'colours')")
        XCTAssertEqual(error("type,name,label,required\ntext,t,Text?,maybe"), "survey sheet, line 2: required is 'maybe'; write yes or no (or true(), false())")
        XCTAssertEqual(error("type,name,label\nbegin group,g,G\ntext,t,T"), "survey sheet: the group 'g' is never ended ('end group')")
        XCTAssertEqual(error("type,name,label\ntext,,T"), "survey sheet, line 2: the row has the type 'text' but no name")
        XCTAssertEqual(error("type,label\ntext,T"), "survey sheet, line 1: no 'name' column; the survey sheet needs type, name and label")
        XCTAssertEqual(error("type,name,label\nsmoke_signal,s,S"), "survey sheet, line 2: the type 'smoke_signal' is not an XLSForm type Canvass knows")
    }
}
