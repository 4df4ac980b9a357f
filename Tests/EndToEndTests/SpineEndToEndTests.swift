import Foundation
import XCTest
import SQLite

final class SpineEndToEndTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testCheckAcceptsTheShippedQuestionnaires() throws {
        let files = ["asb-victim-satisfaction", "user-satisfaction", "rapid-poll-local-asb"].map(CanvassBinary.questionnaire)
        let result = try CanvassBinary.run(["check"] + files)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.split(separator: "\n").count, 3)
        XCTAssertTrue(result.stdout.contains("asb-victim-satisfaction version 1.1, 19 questions, 4 measures, languages en"))
        XCTAssertTrue(result.stdout.contains("rapid-poll-local-asb version 1.0, 4 questions, 0 measures, languages en, cy"))
    }

    func testCheckRejectsBadFilesWithLocationAndStatus() throws {
        let badJSON = try write("broken.json", "{\n  \"title\": \"x\"\n  \"questions\": []\n}")
        var result = try CanvassBinary.run(["check", badJSON])
        XCTAssertEqual(result.status, 65)
        XCTAssertTrue(result.stderr.contains("broken.json:3:3: not valid JSON: expected ',' or '}' but found '\"'"), result.stderr)
        XCTAssertFalse(result.stderr.contains("Fatal error"))

        let badRef = try write("badref.json", #"{"version":"1","title":"T","questions":[{"id":"a","type":"yesno","label":"A","showIf":"${b} = 'yes'"},{"id":"b","type":"yesno","label":"B"}]}"#)
        result = try CanvassBinary.run(["check", badRef])
        XCTAssertEqual(result.status, 65)
        XCTAssertTrue(result.stderr.contains("question 'a', showIf: refers to ${b}, which comes later"), result.stderr)

        result = try CanvassBinary.run(["check", directory.appendingPathComponent("missing.json").path])
        XCTAssertEqual(result.status, 66)
        XCTAssertTrue(result.stderr.contains("missing.json: cannot read the file: no such file"), result.stderr)
    }

    func testUsageErrorsExit64() throws {
        var result = try CanvassBinary.run(["frobnicate"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("unknown command 'frobnicate'"))
        result = try CanvassBinary.run(["check", "--colour", "x.json"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("unknown option '--colour' for 'check'"))
        XCTAssertTrue(result.stderr.contains("Usage: canvass check FILE..."))
        result = try CanvassBinary.run(["run", "x.json", "--mode", "robot", "--db", "x.sqlite"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("invalid value 'robot' for --mode: expected self or interviewer"))
        result = try CanvassBinary.run(["--version"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.hasPrefix("canvass "))
        result = try CanvassBinary.run(["help", "run"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.contains("--resume ID"))
    }

    func testScriptedTerminalInterviewIsStoredAndReadBack() throws {
        let db = directory.appendingPathComponent("canvass.sqlite").path
        // yes → noise and drugs → an invalid entry, then fairly confident → ward → submit.
        let result = try CanvassBinary.run(["run", CanvassBinary.questionnaire("rapid-poll-local-asb"), "--db", db],
                                           input: "1\n1,3\n9\n2\nHoxton East\ns\n")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Error: Enter a number from 1–5"))
        XCTAssertTrue(result.stdout.contains("Response 1 stored as complete."))
        let connection = try Connection(path: db, mode: .readOnly)
        let rows = try connection.rows("SELECT question_id, value FROM answers WHERE response_id = 1 ORDER BY question_id, ordinal")
        XCTAssertEqual(rows.map { "\($0[0].string!)=\($0[1].string!)" },
                       ["asb_kinds=noise", "asb_kinds=drugs", "asb_problem=yes", "confidence=fairly", "ward=Hoxton East"])
        let header = try connection.firstRow("SELECT status, mode, ward, completed_at IS NOT NULL FROM responses WHERE id = 1")
        XCTAssertEqual(header?.values, [.text("complete"), .text("terminal"), .text("Hoxton East"), .integer(1)])
    }

    func testEndOfInputSavesPartialAndResumeCompletesIt() throws {
        let db = directory.appendingPathComponent("canvass.sqlite").path
        var result = try CanvassBinary.run(["run", "--questionnaire", "rapid-poll-local-asb", "--questionnaires",
                                            CanvassBinary.packageRoot.appendingPathComponent("Questionnaires").path, "--db", db, "--lang", "cy"],
                                           input: "2\n")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("partial response 1"), result.stderr)
        XCTAssertTrue(result.stderr.contains("canvass run --db \(db) --resume 1"), result.stderr)
        result = try CanvassBinary.run(["run", "--db", db, "--resume", "1"], input: "4\n\ns\n")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Pa mor hyderus"), "resumes in the language it started in")
        let connection = try Connection(path: db, mode: .readOnly)
        XCTAssertEqual(try connection.scalar("SELECT status FROM responses WHERE id = 1").string, "complete")
        XCTAssertEqual(try connection.scalar("SELECT group_concat(question_id || '=' || value) FROM (SELECT * FROM answers WHERE response_id = 1 ORDER BY question_id)").string,
                       "asb_problem=no,confidence=not_at_all")
        result = try CanvassBinary.run(["run", "--db", db, "--resume", "1"])
        XCTAssertEqual(result.status, 65)
        XCTAssertTrue(result.stderr.contains("already complete"))
    }

    func testAnInterviewNeverOverwritesAnAnswerGivenElsewhereMeanwhile() throws {
        let db = directory.appendingPathComponent("canvass.sqlite").path
        var result = try CanvassBinary.run(["run", "--questionnaire", "rapid-poll-local-asb", "--questionnaires",
                                            CanvassBinary.packageRoot.appendingPathComponent("Questionnaires").path, "--db", db],
                                           input: "2\n")
        XCTAssertEqual(result.status, 0, result.stderr)
        // Resume, and while the first question is on screen the victim answers on the web
        // (here: a save made straight in the database, which moves the revision on).
        let interview = try RunningCanvass(["run", "--db", db, "--resume", "1"])
        _ = interview.readOutput(until: "?")
        let connection = try Connection(path: db)
        try connection.execute("UPDATE responses SET revision = revision + 1, position = 'ward' WHERE id = 1")
        try interview.finishInput("4\n")
        let (status, errors) = interview.waitForExit()
        XCTAssertEqual(status, 75, errors)
        XCTAssertTrue(errors.contains("was changed elsewhere"), errors)
        XCTAssertTrue(errors.contains("canvass run --db \(db) --resume 1"), errors)
        XCTAssertEqual(try connection.scalar("SELECT group_concat(question_id || '=' || value) FROM answers WHERE response_id = 1").string,
                       "asb_problem=no", "the terminal's answer did not overwrite anything")
        XCTAssertEqual(try connection.scalar("SELECT position FROM responses WHERE id = 1").string, "ward")
        result = try CanvassBinary.run(["run", "--db", db, "--resume", "1"], input: "")
        XCTAssertEqual(result.status, 0, "resuming again starts from the latest state: \(result.stderr)")
    }

    func testAnswersFileUsesTheSameValidation() throws {
        let db = directory.appendingPathComponent("canvass.sqlite").path
        let poll = CanvassBinary.questionnaire("rapid-poll-local-asb")
        let bad = try write("bad.json", #"{"asb_problem": "no", "asb_kinds": ["noise"], "confidence": "sort_of"}"#)
        var result = try CanvassBinary.run(["run", poll, "--db", db, "--answers", bad])
        XCTAssertEqual(result.status, 65)
        XCTAssertTrue(result.stderr.contains("confidence: 'sort_of' is not a code of this question"), result.stderr)
        XCTAssertTrue(result.stderr.contains("asb_kinds: answered, but the questionnaire hides this question"), result.stderr)
        let good = try write("good.json", #"{"asb_problem": "yes", "asb_kinds": ["groups", "noise"], "confidence": "very"}"#)
        result = try CanvassBinary.run(["run", poll, "--db", db, "--answers", good])
        XCTAssertEqual(result.status, 0, result.stderr)
        let connection = try Connection(path: db, mode: .readOnly)
        XCTAssertEqual(try connection.scalar("SELECT count(*) FROM responses").int, 1, "the bad file stored nothing")
        XCTAssertEqual(try connection.scalar("SELECT group_concat(value) FROM (SELECT value FROM answers WHERE question_id = 'asb_kinds' ORDER BY ordinal)").string, "noise,groups")
    }

    func testChangedFileBecomesANewVersion() throws {
        let db = directory.appendingPathComponent("canvass.sqlite").path
        let text = try String(contentsOfFile: CanvassBinary.questionnaire("rapid-poll-local-asb"), encoding: .utf8)
        let path = try write("rapid-poll-local-asb.json", text)
        let answers = try write("a.json", #"{"asb_problem": "no", "confidence": "very"}"#)
        XCTAssertEqual(try CanvassBinary.run(["run", path, "--db", db, "--answers", answers]).status, 0)
        _ = try write("rapid-poll-local-asb.json", text.replacingOccurrences(of: "Four quick questions", with: "Three or four quick questions"))
        let result = try CanvassBinary.run(["run", path, "--db", db, "--answers", answers])
        XCTAssertTrue(result.stderr.contains("as version 2"), result.stderr)
        let connection = try Connection(path: db, mode: .readOnly)
        XCTAssertEqual(try connection.rows("SELECT q.version FROM responses r JOIN questionnaire_versions q ON q.id = r.questionnaire_version_id ORDER BY r.id").map { $0[0] },
                       [.integer(1), .integer(2)])
    }

    func testCtrlCSavesPartialAndSaysHowToResume() throws {
        let db = directory.appendingPathComponent("canvass.sqlite").path
        let process = Process()
        process.executableURL = CanvassBinary.executable
        process.arguments = ["run", CanvassBinary.questionnaire("rapid-poll-local-asb"), "--db", db]
        let stdin = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data("1\n".utf8))
        // Wait until the first answer is stored, then press Ctrl-C.
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let connection = try? Connection(path: db, mode: .readOnly),
               (try? connection.scalar("SELECT count(*) FROM answers").int) == 1 { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.interrupt()
        process.waitUntilExit()
        let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 130, message)
        XCTAssertTrue(message.contains("--resume 1"), message)
        let connection = try Connection(path: db, mode: .readOnly)
        XCTAssertEqual(try connection.scalar("SELECT status || ':' || position FROM responses WHERE id = 1").string, "partial:q:asb_kinds")
    }
}
