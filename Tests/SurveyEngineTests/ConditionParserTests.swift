import XCTest
import TestSupport
@testable import SurveyEngine

final class ConditionParserTests: XCTestCase {
    func testPrecedenceAndStructure() throws {
        let c = try ConditionParser.parse("${a} = 'x' or ${b} >= 3 and not(selected(${c}, 'n'))")
        XCTAssertEqual(c, .binary(.or,
            .binary(.equal, .reference("a"), .string("x")),
            .binary(.and, .binary(.greaterOrEqual, .reference("b"), .number(3)),
                    .not(.call("selected", [.reference("c"), .string("n")])))))
        XCTAssertEqual(try ConditionParser.parse("1 + 2 * 3"), .binary(.add, .number(1), .binary(.multiply, .number(2), .number(3))))
        XCTAssertEqual(try ConditionParser.parse("count-selected(${k}) > 1"),
                       .binary(.greater, .call("count_selected", [.reference("k")]), .number(1)))
        XCTAssertEqual(try ConditionParser.parse(". <= 120"), .binary(.lessOrEqual, .current, .number(120)))
    }

    func testMalformedInputGivesOffsetAndReason() {
        let cases: [(String, String, Int)] = [
            ("${a} = ", "expected a value", 8),
            ("${a = 'x'", "reference is not closed", 1),
            ("${a b} = 'x'", "not a question id", 1),
            ("${a} = 'x", "not closed", 8),
            ("${a} = yes", "unknown function or word 'yes'", 8),
            ("selected(${a})", "takes 2 arguments, not 1", 1),
            ("(${a} = 'x'", "expected ')'", 12),
            ("1 < 2 < 3", "cannot be chained", 7),
            ("${a} # 2", "unexpected character '#'", 6),
            ("$a", "must start a reference", 1),
            ("${a} = 'x' 'y'", "expected the end of the expression", 12),
            (String(repeating: "(", count: 5000) + "1", "nested more than 64 levels", 65),
            (String(repeating: "not ", count: 5000) + "1", "nested more than 64 levels", 257),
        ]
        for (text, fragment, offset) in cases {
            XCTAssertThrowsError(try ConditionParser.parse(text), text) { error in
                let e = error as! ConditionSyntaxError
                XCTAssertTrue(e.message.contains(fragment), "\(text): \(e.message)")
                XCTAssertEqual(e.offset, offset, "\(text): \(e)")
            }
        }
    }

    func testEvaluation() throws {
        let answers: [String: AnswerValue] = ["a": .choice("x"), "n": .number(5), "k": .choices(["p", "q"]), "d": .date("2026-01-02")]
        let context = EvaluationContext(answers: answers, current: .number(7), today: "2026-11-26")
        let truths = ["${a} = 'x'", "${a} != 'y'", "${n} > 4 and ${n} <= 5", "selected(${k}, 'q')", "count_selected(${k}) = 2",
                      "answered(${a})", "not(answered(${missing}))", "${missing} = ''", ". = 7", "${n} * 2 = 10",
                      "${d} < today()", "length(${a}) = 1", "${n} = '5'"]
        let falsehoods = ["${a} = 'y'", "${missing} > 1", "${missing} < 1", "selected(${k}, 'z')", "${n} / 0 = 1", "false or 0"]
        for text in truths { XCTAssertTrue(try ConditionParser.parse(text).holds(in: context), text) }
        for text in falsehoods { XCTAssertFalse(try ConditionParser.parse(text).holds(in: context), text) }
    }
}

final class ConditionFuzzTests: XCTestCase {
    /// Random expressions built from the language's tokens parse or fail with a position, never crash.
    func testRandomExpressionsNeverCrash() {
        var random = SeededRandom.forTest("ConditionParserTests.randomExpressions", defaultSeed: 0xC0_0D17)
        let pieces = ["${a}", "${b}", ".", "'x'", "\"y", "3", "2.5", "1.2.3", "and", "or", "not", "(", ")", "=", "!=", "<", "<=", ">", ">=",
                      "+", "-", "*", "/", "selected(", "answered(", "count-selected(", "today()", ",", "$", "${", "}", "#", " "]
        let context = EvaluationContext(answers: ["a": .choice("x"), "b": .number(2)], current: .number(1), today: "2026-11-26")
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 1...12, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined(separator: " ")
            do {
                _ = try ConditionParser.parse(text).holds(in: context)
            } catch {
                XCTAssertGreaterThanOrEqual(error.offset, 1)
                XCTAssertLessThanOrEqual(error.offset, text.count + 1)
            }
        }
    }
}
