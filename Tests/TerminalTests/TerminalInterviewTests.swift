import XCTest
import SurveyEngine
import Terminal

final class TerminalInterviewTests: XCTestCase {
    final class Capture: TextSink {
        var text = ""
        func write(_ text: String) { self.text += text }
    }

    private let json = #"{"version":"1","title":{"en":"T","cy":"T"},"languages":["en","cy"],"questions":[{"id":"ok","type":"yesno","label":{"en":"Was it OK?","cy":"Oedd e'n iawn?"},"hint":{"en":"Think about it","cy":"Meddyliwch"}},{"id":"why","type":"text","label":{"en":"Why not?","cy":"Pam lai?"},"showIf":"${ok} = 'no'"}]}"#

    private func run(_ lines: [String], language: String = "en") throws -> (TerminalInterview.Outcome, String, [InterviewState]) {
        let q = try QuestionnaireLoader.load(bytes: Array(json.utf8), id: "t", source: "t.json")
        let output = Capture()
        var saved: [InterviewState] = []
        let terminal = TerminalInterview(interview: Interview(questionnaire: q, language: language), mode: .interviewer, output: output) { state, _ in saved.append(state) }
        var input = ScriptedLines(lines)
        let outcome = try terminal.run(from: terminal.interview.start(), input: &input)
        return (outcome, output.text, saved)
    }

    func testScriptedInterviewWithErrorBackAndSubmit() throws {
        let (outcome, text, saved) = try run(["7", "2", "", "b", "b", "1", "s"])
        guard case .submitted(let state) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(state.answers, ["ok": .choice("yes")])
        XCTAssertTrue(text.contains("Error: Enter a number from 1–2"))
        XCTAssertTrue(text.contains("READ OUT: Was it OK?"))
        XCTAssertTrue(text.contains("(Think about it)"))
        XCTAssertTrue(text.contains("Error: Enter an answer"), "why is required once ok = no")
        XCTAssertTrue(text.contains("Check your answers"))
        XCTAssertEqual(saved.last?.position, .submitted)
    }

    func testEndOfInputStopsWithSavedProgress() throws {
        let (outcome, _, saved) = try run(["2"])
        guard case .stopped(let state) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(state.position, .question("why"))
        XCTAssertEqual(saved.last?.answers, ["ok": .choice("no")])
    }

    func testWelsh() throws {
        let (_, text, _) = try run(["?", "1"], language: "cy")
        XCTAssertTrue(text.contains("Oedd e'n iawn?"))
        XCTAssertTrue(text.contains("Cwestiwn 1 o 1"))
        XCTAssertTrue(text.contains("Gwiriwch eich atebion"))
    }
}
