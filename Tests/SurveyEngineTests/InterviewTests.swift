import XCTest
@testable import SurveyEngine

final class InterviewTests: XCTestCase {
    var interview: Interview!

    override func setUpWithError() throws {
        interview = Interview(questionnaire: try Sample.questionnaire(), today: "2026-11-26")
    }

    private func answer(_ value: AnswerValue?, _ state: InterviewState, file: StaticString = #filePath, line: UInt = #line) -> InterviewState {
        switch interview.answer(value, in: state) {
        case .success(let next): return next
        case .failure(let problem): XCTFail(problem.message, file: file, line: line); return state
        }
    }

    func testBranchingSkipsHiddenQuestions() {
        var state = interview.start()
        XCTAssertEqual(state.position, .question("reported"))
        state = answer(.choice("no"), state)
        XCTAssertEqual(state.position, .question("kinds"), "how and sat are hidden when not reported")
        state = interview.start()
        state = answer(.choice("yes"), state)
        XCTAssertEqual(state.position, .question("how"))
        state = answer(.choice("online"), state)
        XCTAssertEqual(state.position, .question("sat"))
        XCTAssertEqual(interview.label(interview.currentQuestion(state)!, answers: state.answers), "How satisfied were you with Online?")
    }

    func testChangingAnAnswerDropsAnswersThatBecomeHidden() {
        var state = interview.start()
        state = answer(.choice("yes"), state)
        state = answer(.choice("phone"), state)
        state = answer(.choice("vs"), state)
        XCTAssertEqual(state.answers["sat"], .choice("vs"))
        state = interview.back(interview.back(interview.back(state)))
        XCTAssertEqual(state.position, .question("reported"))
        state = answer(.choice("no"), state)
        XCTAssertNil(state.answers["how"])
        XCTAssertNil(state.answers["sat"], "sat depended on how, which is now hidden")
    }

    func testBackFromFirstQuestionStaysAndBackFromReviewGoesToLastVisible() {
        let start = interview.start()
        XCTAssertEqual(interview.back(start).position, .question("reported"))
        let review = InterviewState(answers: ["reported": .choice("no")], position: .review)
        XCTAssertEqual(interview.back(review).position, .question("comment"))
    }

    func testOnlyQuestionsWhoseVisibleRequiredPredecessorsAreAnsweredAreReachable() {
        XCTAssertTrue(interview.isReachable("reported", answers: [:]))
        XCTAssertFalse(interview.isReachable("kinds", answers: [:]), "'reported' is required and unanswered")
        XCTAssertFalse(interview.isReachable("how", answers: ["reported": .choice("no")]), "hidden")
        XCTAssertTrue(interview.isReachable("kinds", answers: ["reported": .choice("no")]), "hidden questions need no answer")
        XCTAssertFalse(interview.isReachable("kinds", answers: ["reported": .choice("yes"), "how": .choice("phone")]), "'sat' is now asked")
        XCTAssertTrue(interview.isReachable("age", answers: ["reported": .choice("no")]), "'kinds' is optional")
        XCTAssertFalse(interview.isReachable("nonexistent", answers: [:]))
    }

    func testValidationMessages() throws {
        let q = try Sample.questionnaire()
        let a = [String: AnswerValue]()
        XCTAssertEqual(interview.validate(nil, for: q.question("reported")!, answers: a)?.message, "Select one option")
        XCTAssertNil(interview.validate(nil, for: q.question("kinds")!, answers: a), "optional question may be skipped")
        XCTAssertEqual(interview.validate(.choices(["noise", "none"]), for: q.question("kinds")!, answers: a)?.message,
                       "If you select 'None of these', do not select any other option")
        XCTAssertEqual(interview.validate(.number(12), for: q.question("age")!, answers: a)?.message, "Enter a number between 16 and 120")
        XCTAssertEqual(interview.validate(.number(30.5), for: q.question("age")!, answers: a)?.message, "Enter a whole number")
        XCTAssertEqual(interview.validate(.number(99), for: q.question("age")!, answers: a)?.message, "99 is reserved")
        XCTAssertNil(interview.validate(.number(40), for: q.question("age")!, answers: a))
        XCTAssertEqual(interview.validate(.date("2027-01-01"), for: q.question("when")!, answers: a)?.message,
                       "The date must be today or in the past")
        XCTAssertEqual(interview.validate(.date("2026-02-30"), for: q.question("when")!, answers: a)?.message,
                       "Date must be a real date, for example 27 3 2026")
        XCTAssertEqual(interview.validate(.text("toolong"), for: q.question("comment")!, answers: a)?.message,
                       "Answer must be 5 characters or fewer")
        XCTAssertEqual(interview.validate(.choice("maybe"), for: q.question("reported")!, answers: a)?.message, "Select one option")
    }

    func testInvalidAnswerLeavesStateUnchanged() {
        let state = interview.start()
        guard case .failure(let problem) = interview.answer(nil, in: state) else { return XCTFail("required") }
        XCTAssertEqual(problem.questionID, "reported")
    }

    func testReviewChangeAndSubmit() {
        var state = interview.start()
        state = answer(.choice("no"), state)
        state = answer(nil, state)             // kinds skipped
        state = answer(.number(40), state)
        state = answer(nil, state)             // when skipped
        state = answer(.text("ok"), state)
        XCTAssertEqual(state.position, .review)
        let summary = interview.summary(state)
        XCTAssertEqual(summary.map(\.questionID), ["reported", "kinds", "age", "when", "comment"])
        XCTAssertEqual(summary[1].answer, "Not answered")
        // Changing 'reported' to yes reveals 'how' and 'sat', which must be answered before returning to review.
        state = interview.change("reported", in: state)!
        state = answer(.choice("yes"), state)
        XCTAssertEqual(state.position, .question("how"))
        state = answer(.choice("phone"), state)
        state = answer(.choice("fs"), state)
        XCTAssertEqual(state.position, .review, "already-answered questions are skipped while changing")
        guard case .success(let submitted) = interview.submit(state) else { return XCTFail("submit") }
        XCTAssertEqual(submitted.position, .submitted)
    }

    func testSubmitRefusesMissingRequiredAnswers() {
        let state = InterviewState(answers: ["reported": .choice("no")], position: .review)
        guard case .failure(let problem) = interview.submit(state) else { return XCTFail("age is required") }
        XCTAssertEqual(problem.questionID, "age")
    }

    func testResumeFindsTheQuestionAndDropsHiddenAnswers() {
        let state = interview.resume(answers: ["reported": .choice("no"), "how": .choice("phone")], at: nil)
        XCTAssertNil(state.answers["how"])
        XCTAssertEqual(state.position, .question("age"))
    }

    func testTypedInput() throws {
        let q = try Sample.questionnaire()
        XCTAssertEqual(try interview.parseTyped("2", for: q.question("how")!).get(), .choice("online"))
        XCTAssertEqual(try interview.parseTyped("Phone", for: q.question("how")!).get(), .choice("phone"))
        XCTAssertEqual(try interview.parseTyped("y", for: q.question("reported")!).get(), .choice("yes"))
        XCTAssertEqual(try interview.parseTyped("2, 1", for: q.question("kinds")!).get(), .choices(["noise", "drugs"]))
        XCTAssertEqual(try interview.parseTyped("27 3 2026", for: q.question("when")!).get(), .date("2026-03-27"))
        XCTAssertEqual(try interview.parseTyped("  ", for: q.question("when")!).get(), nil)
        XCTAssertThrowsError(try interview.parseTyped("9", for: q.question("how")!).get())
        XCTAssertThrowsError(try interview.parseTyped("31 2 2026", for: q.question("when")!).get())
    }

    func testCompleteFromAnswersNamesHiddenAndUnknownAnswers() {
        let result = interview.complete(with: ["reported": .string("no"), "how": .string("phone"), "age": .number(30), "nope": .number(1)])
        guard case .failure(.invalidAnswers(_, let problems)) = result else { return XCTFail("should fail") }
        XCTAssertEqual(problems.map(\.description), ["how: answered, but the questionnaire hides this question given the other answers",
                                  "nope: not a question of sample"])
        guard case .success(let state) = interview.complete(with: ["reported": .string("no"), "age": .number(30)]) else {
            return XCTFail("valid answers")
        }
        XCTAssertEqual(state.answers, ["reported": .choice("no"), "age": .number(30)])
        guard case .failure(.invalidAnswers(_, let missing)) = interview.complete(with: ["reported": .string("no")]) else {
            return XCTFail("age missing")
        }
        XCTAssertEqual(missing.map(\.description), ["age: Enter a number"])
    }
}

final class DateTextTests: XCTestCase {
    /// Reference: Python datetime.fromtimestamp(t, timezone.utc).isoformat() for each t.
    func testUnixTimesToISODates() {
        XCTAssertEqual(DateText.isoDate(unixSeconds: 0), "1970-01-01")
        XCTAssertEqual(DateText.isoDate(unixSeconds: 951_782_400), "2000-02-29")
        XCTAssertEqual(DateText.isoTimestamp(unixSeconds: 1_795_689_045.123), "2026-11-26T10:30:45.123Z")
        XCTAssertEqual(DateText.isoTimestamp(unixSeconds: 4_107_542_399.999), "2100-02-28T23:59:59.999Z")
        XCTAssertEqual(DateText.isoTimestamp(unixSeconds: 0), "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(DateText.isoTimestamp(unixSeconds: 951_782_400.007), "2000-02-29T00:00:00.007Z")
        XCTAssertEqual(DateText.isoDate(unixSeconds: -86_400), "1969-12-31")
    }
}
