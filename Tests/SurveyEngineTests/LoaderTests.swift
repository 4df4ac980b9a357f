import XCTest
import SurveyEngine

final class LoaderTests: XCTestCase {
    private func problems(_ json: String) -> [String] {
        do {
            _ = try QuestionnaireLoader.load(bytes: Array(json.utf8), id: "t", source: "t.json")
            return []
        } catch {
            switch error {
            case .invalidQuestionnaire(_, let problems): return problems.map(\.description)
            default: return ["\(error)"]
            }
        }
    }

    private func wrap(_ questions: String, measures: String = "[]", extra: String = "") -> String {
        #"{"version": "1", "title": "T", \#(extra) "questions": [\#(questions)], "measures": \#(measures)}"#
    }

    private let scale = #"[{"code":"a","label":"A"},{"code":"b","label":"B"},{"code":"c","label":"C"},{"code":"d","label":"D"},{"code":"e","label":"E"}]"#

    func testSampleLoads() throws {
        let q = try Sample.questionnaire()
        XCTAssertEqual(q.questions.count, 7)
        XCTAssertEqual(q.measures.first?.baseline, 0.6)
        XCTAssertEqual(q.question("reported")?.choices.map(\.code), ["yes", "no"])
    }

    func testBadJSONReportsLineAndColumn() {
        XCTAssertEqual(problems("{\n \"title\": \"x\",\n}"), ["t.json:3:1: not valid JSON: expected a quoted key but found '}'"])
    }

    func testEachKindOfMistakeIsNamed() {
        let cases: [(String, String)] = [
            (wrap(#"{"id":"a","type":"yesno","label":"A"},{"id":"a","type":"yesno","label":"B"}"#), "question 'a', id: duplicate id"),
            (wrap(#"{"id":"a","type":"yesno","label":"A","showIf":"${zz} = 'yes'"}"#), "question 'a', showIf: refers to ${zz}, which is not a question"),
            (wrap(#"{"id":"a","type":"yesno","label":"A","showIf":"${b} = 'yes'"},{"id":"b","type":"yesno","label":"B"}"#), "question 'a', showIf: refers to ${b}, which comes later"),
            (wrap(#"{"id":"a","type":"rating","label":"A"}"#), "question 'a', type: \"rating\" is not a question type"),
            (wrap(#"{"id":"a","type":"single","label":"A","choices":[{"label":"x"}]}"#), "question 'a', choices[1].code: missing"),
            (wrap(#"{"id":"a","type":"single","label":"A","choices":[{"code":"x","label":"X"}]}"#, measures: #"[{"id":"m","label":"M","question":"a","satisfied":["x"]}]"#),
             "measure 'm', question: 'a' is a single question; measures read scale questions"),
            (wrap(#"{"id":"a","type":"yesno","label":"A","showIf":"${a} = "}"#), "question 'a', showIf: cannot parse"),
            (wrap(#"{"id":"a","type":"yesno","label":"A"},{"id":"b","type":"yesno","label":"B","showIf":"${a} = 'maybe'"}"#), "'maybe' is not a code of question 'a'"),
            (wrap(#"{"id":"a","type":"scale","label":"A","choices":[{"code":"x","label":"X"}]}"#), "a scale needs 5 or 7 points"),
            (wrap(#"{"id":"1a","type":"yesno","label":"A"}"#), "question 1, id: \"1a\" is not a valid id"),
            (wrap(#"{"id":"a","type":"yesno","label":"A","colour":"red"}"#), "question 'a', colour: unknown field"),
            (wrap(#"{"id":"a","type":"yesno","label":"A"},{"id":"b","type":"note","label":"See ${c}"},{"id":"c","type":"yesno","label":"C"}"#), "question 'b', label: refers to ${c}, which comes later"),
            (wrap(#"{"id":"a","type":"yesno","label":"A","showIf":"false"}"#), "can never be reached"),
            (wrap(#"{"id":"a","type":"yesno","label":{"en":"A"}}"#, extra: #""languages":["en","cy"],"#), "question 'a', label: missing the 'cy' text"),
            (wrap(#"{"id":"a","type":"scale","label":"A","choices":\#(scale)}"#, measures: #"[{"id":"m","label":"M","question":"a","satisfied":["a"],"baseline":82}]"#), "write 82% as 0.82"),
            (#"{"id": "other", "version": "1", "title": "T", "questions": [{"id":"a","type":"yesno","label":"A"}]}"#, "does not match the file name"),
        ]
        for (json, fragment) in cases {
            let found = problems(json)
            XCTAssertTrue(found.contains { $0.contains(fragment) }, "expected '\(fragment)' in \(found)")
        }
    }

    func testAllProblemsAreReportedTogether() {
        let found = problems(wrap(#"{"id":"a","type":"rating","label":"A"},{"id":"b","type":"yesno"}"#))
        XCTAssertEqual(found.count, 2, "\(found)")
    }
}
