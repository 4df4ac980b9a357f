/// Where an interview stands.
public enum InterviewPosition: Equatable, Hashable, Sendable {
    /// Showing the question with this id.
    case question(String)
    /// Showing "check your answers".
    case review
    /// Submitted; nothing more can change.
    case submitted
}

/// The whole state of one interview: the answers and where it stands. Everything else (which
/// questions are visible, what "back" means) is derived from these two.
public struct InterviewState: Equatable, Sendable {
    public var answers: [String: AnswerValue]
    public var position: InterviewPosition
    /// True while changing an answer from "check your answers": once no new question needs an
    /// answer, the interview returns to the review.
    public var changing: Bool

    public init(answers: [String: AnswerValue] = [:], position: InterviewPosition, changing: Bool = false) {
        self.answers = answers
        self.position = position
        self.changing = changing
    }
}

/// One line of "check your answers".
public struct SummaryItem: Equatable, Sendable {
    public var questionID: String
    public var question: String
    /// The answer as the respondent would read it ("Not answered" when skipped).
    public var answer: String
}

/// The interview state machine: answers in, next step out. Pure: no I/O, no clock (today's date
/// comes in with the interview), so terminal, web and tests drive the same rules.
public struct Interview: Sendable {
    public let questionnaire: Questionnaire
    public let language: String
    /// Today as `YYYY-MM-DD`, for `today()` in expressions.
    public let today: String
    /// Questions some `showIf` depends on: only answering these can hide other questions.
    let branchingQuestions: Set<String>

    public init(questionnaire: Questionnaire, language: String = "en", today: String = "1970-01-01") {
        self.questionnaire = questionnaire
        self.branchingQuestions = Set(questionnaire.questions.flatMap { $0.showIf?.references ?? [] })
        self.language = questionnaire.languages.contains(language) ? language : (questionnaire.languages.first ?? "en")
        self.today = today
    }

    /// A fresh interview at the first visible question.
    public func start() -> InterviewState {
        InterviewState(position: next(after: nil, answers: [:], changing: false))
    }

    /// True when `question` should be asked given `answers`.
    public func isVisible(_ question: Question, answers: [String: AnswerValue]) -> Bool {
        question.showIf?.holds(in: EvaluationContext(answers: answers, today: today)) ?? true
    }

    /// The questions currently asked, in order.
    public func visibleQuestions(_ answers: [String: AnswerValue]) -> [Question] {
        questionnaire.questions.filter { isVisible($0, answers: answers) }
    }

    /// The question the state is showing, if any.
    public func currentQuestion(_ state: InterviewState) -> Question? {
        guard case .question(let id) = state.position else { return nil }
        return questionnaire.question(id)
    }

    /// Records `value` (nil: skip) for the current question, drops answers that became hidden,
    /// and moves on. A value that fails validation leaves the state as it was.
    public func answer(_ value: AnswerValue?, in state: InterviewState) -> Result<InterviewState, AnswerProblem> {
        guard let question = currentQuestion(state) else {
            return .failure(AnswerProblem(questionID: "", message: "There is no question to answer here."))
        }
        if let problem = validate(value, for: question, answers: state.answers) { return .failure(problem) }
        var next = state
        next.answers[question.id] = value
        if branchingQuestions.contains(question.id) { next.answers = pruneHidden(next.answers) }
        next.position = self.next(after: question.id, answers: next.answers, changing: state.changing)
        if next.position == .review { next.changing = false }
        return .success(next)
    }

    /// The previous visible question (or the last one, from the review). At the first question, stays.
    public func back(_ state: InterviewState) -> InterviewState {
        var next = state
        let before: Int
        switch state.position {
        case .review: before = questionnaire.questions.count
        case .question(let id): before = questionnaire.index(of: id) ?? 0
        case .submitted: before = 0
        }
        // The nearest visible question before, walking back (no list of visible questions needed).
        for index in stride(from: before - 1, through: 0, by: -1) where isVisible(questionnaire.questions[index], answers: state.answers) {
            next.position = .question(questionnaire.questions[index].id)
            break
        }
        next.changing = false
        return next
    }

    /// True when every question before `questionID` that is visible and required has an answer,
    /// so the respondent may be on that question (false for hidden or unknown questions).
    public func isReachable(_ questionID: String, answers: [String: AnswerValue]) -> Bool {
        guard let target = questionnaire.index(of: questionID), isVisible(questionnaire.questions[target], answers: answers) else { return false }
        for question in questionnaire.questions[..<target] where !question.isNote && question.required && answers[question.id] == nil {
            if isVisible(question, answers: answers) { return false }
        }
        return true
    }

    /// Goes to `questionID` from "check your answers" to change its answer.
    public func change(_ questionID: String, in state: InterviewState) -> InterviewState? {
        guard state.position != .submitted, let question = questionnaire.question(questionID),
              isVisible(question, answers: state.answers) else { return nil }
        return InterviewState(answers: state.answers, position: .question(questionID), changing: true)
    }

    /// Checks every visible required question is answered and marks the interview submitted.
    public func submit(_ state: InterviewState) -> Result<InterviewState, AnswerProblem> {
        for question in visibleQuestions(state.answers) where question.required && state.answers[question.id] == nil {
            return .failure(AnswerProblem(questionID: question.id, message: EngineText.unanswered(question, language: language)))
        }
        return .success(InterviewState(answers: state.answers, position: .submitted))
    }

    /// "Check your answers": every visible question with its answer as the respondent would read it.
    public func summary(_ state: InterviewState) -> [SummaryItem] {
        visibleQuestions(state.answers).filter { !$0.isNote }.map { question in
            SummaryItem(questionID: question.id, question: label(question, answers: state.answers),
                        answer: state.answers[question.id].map { display($0, for: question) } ?? EngineText.notAnswered(language))
        }
    }

    /// Rebuilds the state of a saved interview from its answers and where it stopped: the
    /// question (if still visible), or the review (if nothing required is unanswered); else the
    /// first required question still to answer, or the review.
    public func resume(answers: [String: AnswerValue], at position: InterviewPosition?) -> InterviewState {
        let kept = pruneHidden(answers)
        let unanswered = firstUnanswered(kept)
        switch position {
        case .question(let id)?:
            if let question = questionnaire.question(id), isVisible(question, answers: kept) {
                return InterviewState(answers: kept, position: .question(id))
            }
        case .review?:
            if unanswered == nil { return InterviewState(answers: kept, position: .review) }
        case .submitted?, nil:
            break
        }
        return InterviewState(answers: kept, position: unanswered ?? .review)
    }

    // MARK: - Navigation rules

    func next(after id: String?, answers: [String: AnswerValue], changing: Bool) -> InterviewPosition {
        let start = id.flatMap { questionnaire.index(of: $0) }.map { $0 + 1 } ?? 0
        for question in questionnaire.questions[start...] where isVisible(question, answers: answers) {
            if changing && (question.isNote || answers[question.id] != nil || !question.required) { continue }
            return .question(question.id)
        }
        return .review
    }

    private func firstUnanswered(_ answers: [String: AnswerValue]) -> InterviewPosition? {
        visibleQuestions(answers).first { !$0.isNote && answers[$0.id] == nil && $0.required }.map { .question($0.id) }
    }

    /// Removes answers to questions that are no longer visible, repeating until stable (hiding one
    /// question can hide those that depend on it).
    public func pruneHidden(_ answers: [String: AnswerValue]) -> [String: AnswerValue] {
        var kept = answers
        var changed = true
        while changed {
            changed = false
            for question in questionnaire.questions where kept[question.id] != nil && !isVisible(question, answers: kept) {
                kept[question.id] = nil
                changed = true
            }
        }
        return kept
    }
}
