import Foundation
import XCTest
import Terminal
@testable import CanvassCLI

/// The command line is parsed once against each command's declared options.
final class ArgumentParserTests: XCTestCase {
    let spec = CommandSpec(name: "demo", summary: "A command for tests.", arguments: "[FILE]", options: [
        .init(name: "--db", value: "PATH", help: "Database.", required: true, repeatable: true),
        .init(name: "--out", value: "FILE", help: "Output."),
        .init(name: "--verbose", value: nil, help: "Say more."),
    ], maximumArguments: 1)

    private func parse(_ arguments: [String]) throws(CLIError) -> ParsedArguments { try ArgumentParser.parse(arguments, spec: spec) }

    func testInlineAndSeparateValuesAndFlags() throws {
        let parsed = try parse(["--db=a.sqlite", "--out", "x.csv", "--verbose", "file.json"])
        XCTAssertEqual(parsed.values("--db"), ["a.sqlite"])
        XCTAssertEqual(parsed.value("--out"), "x.csv")
        XCTAssertTrue(parsed.has("--verbose"))
        XCTAssertEqual(parsed.positionals, ["file.json"])
        XCTAssertEqual(try parse(["--db=", "--out=a=b"]).value("--out"), "a=b", "only the first = splits")
        XCTAssertEqual(try parse(["--db=--odd"]).values("--db"), ["--odd"], "a value that looks like an option is given inline")
    }

    func testDoubleDashEndsTheOptions() throws {
        let parsed = try parse(["--db", "a", "--", "--verbose"])
        XCTAssertEqual(parsed.positionals, ["--verbose"])
        XCTAssertFalse(parsed.has("--verbose"))
    }

    func testRepeatsAreKeptForRepeatableOptionsAndRefusedOtherwise() throws {
        XCTAssertEqual(try parse(["--db", "a", "--db", "b"]).values("--db"), ["a", "b"])
        XCTAssertThrowsError(try parse(["--db", "a", "--out", "x", "--out", "y"])) {
            XCTAssertEqual($0 as? CLIError, .repeatedOption("--out", command: "demo"))
            XCTAssertEqual("\($0)", "option '--out' was given more than once; give it once")
        }
        XCTAssertThrowsError(try parse(["--db", "a", "--verbose", "--verbose"])) { XCTAssertEqual($0 as? CLIError, .repeatedOption("--verbose", command: "demo")) }
    }

    func testMissingValuesAndRequiredOptionsAreNamed() {
        XCTAssertThrowsError(try parse(["--db"])) { XCTAssertEqual($0 as? CLIError, .missingValue(option: "--db PATH", command: "demo")) }
        XCTAssertThrowsError(try parse(["--db", "--verbose"])) { XCTAssertEqual($0 as? CLIError, .missingValue(option: "--db PATH", command: "demo")) }
        XCTAssertThrowsError(try parse(["--out", "x"])) { XCTAssertEqual($0 as? CLIError, .missingArgument("--db PATH", command: "demo")) }
        XCTAssertThrowsError(try parse(["--db", "a", "--verbose=yes"])) {
            XCTAssertEqual($0 as? CLIError, .invalidValue(option: "--verbose", value: "yes", expected: "no value (it is a flag)", command: "demo"))
        }
    }

    func testUnknownOptionsAndSurplusArgumentsAreNamed() {
        XCTAssertThrowsError(try parse(["--db", "a", "--dbb", "b"])) { XCTAssertEqual($0 as? CLIError, .unknownOption("--dbb", command: "demo")) }
        XCTAssertThrowsError(try parse(["--db", "a", "one", "two"])) { XCTAssertEqual($0 as? CLIError, .unexpectedArgument("two", command: "demo")) }
    }

    func testHelpCountsOnlyWhereAnOptionCanStand() throws {
        XCTAssertTrue(try parse(["--help"]).helpRequested, "required options are not demanded with --help")
        XCTAssertTrue(try parse(["--out", "x", "-h"]).helpRequested)
        XCTAssertThrowsError(try parse(["--out", "--help"]), "as a value, --help is the missing value") {
            XCTAssertEqual($0 as? CLIError, .missingValue(option: "--out FILE", command: "demo"))
        }
        XCTAssertFalse(try parse(["--db", "a", "--", "--help"]).helpRequested)
    }

    /// Through the whole command line: the error names the option, and usage follows.
    func testTheCommandLineReportsTheParsersErrors() {
        final class Capture: TextSink, @unchecked Sendable {
            var text = ""
            func write(_ text: String) { self.text += text }
        }
        let out = Capture(), err = Capture()
        let canvass = Canvass(context: CLIContext(standardOutput: out, standardError: err, makeInput: { ScriptedLines([]) }))
        XCTAssertEqual(canvass.run(["measures", "--db", "--help"]), 64)
        XCTAssertTrue(err.text.contains("option '--db PATH' needs a value"), err.text)
        XCTAssertTrue(err.text.contains("Usage: canvass measures"), err.text)
        XCTAssertEqual(canvass.run(["measures", "--help"]), 0)
        XCTAssertTrue(out.text.contains("--questionnaire ID"), out.text)
        err.text = ""
        XCTAssertEqual(canvass.run(["invite", "--db", "x", "--db", "y"]), 64)
        XCTAssertTrue(err.text.contains("'--db' was given more than once"), err.text)
    }
}
