import SurveyEngine

/// A questionnaire administered in a terminal, one question per screen: numbered choices, the hint,
/// errors shown with the question again, `b` to go back, `?` for help, and "check your answers"
/// before submitting. Progress is handed to `save` after every step, so nothing typed is lost.
public struct TerminalInterview {
    /// Who is at the keyboard: the respondent, or an interviewer reading the questions out.
    public enum Mode: String, Sendable {
        case selfCompletion = "self"
        case interviewer
    }

    /// How an interview ended.
    public enum Outcome: Equatable {
        case submitted(InterviewState)
        /// The input ended before submission; the state was saved as partial.
        case stopped(InterviewState)
    }

    public let interview: Interview
    public let mode: Mode
    private let output: TextSink
    private let save: (InterviewState, _ complete: Bool) throws -> Void

    public init(interview: Interview, mode: Mode, output: TextSink, save: @escaping (InterviewState, Bool) throws -> Void) {
        self.interview = interview
        self.mode = mode
        self.output = output
        self.save = save
    }

    /// Runs the interview from `state` until it is submitted or the input ends.
    public func run<Input: LineSource>(from state: InterviewState, input: inout Input) throws -> Outcome {
        var state = state
        if state.position == .submitted { return .submitted(state) }
        while true {
            switch state.position {
            case .question:
                guard let next = try askQuestion(state, input: &input) else { return .stopped(state) }
                state = next
            case .review:
                guard let next = try review(state, input: &input) else { return .stopped(state) }
                state = next
                if state.position == .submitted { return .submitted(state) }
            case .submitted:
                return .submitted(state)
            }
        }
    }

    private func askQuestion<Input: LineSource>(_ state: InterviewState, input: inout Input) throws -> InterviewState? {
        guard let question = interview.currentQuestion(state) else { return state }
        var error: String?
        while true {
            output.write(TerminalScreen.question(question, state: state, interview: interview, mode: mode, error: error))
            guard let line = input.readLine() else { return nil }
            let command = line.trimmedLowercased
            if command == "b" || command == "back" {
                let previous = interview.back(state)
                try save(previous, false)
                return previous
            }
            if command == "?" || command == "help" {
                output.write(TerminalScreen.help(interview.language))
                error = nil
                continue
            }
            if question.isNote { return try advance(nil, state) ?? state }
            switch interview.parseTyped(line, for: question).flatMap({ interview.answer($0, in: state) }) {
            case .success(let next):
                try save(next, false)
                return next
            case .failure(let problem):
                error = problem.message
            }
        }
    }

    private func advance(_ value: AnswerValue?, _ state: InterviewState) throws -> InterviewState? {
        guard case .success(let next) = interview.answer(value, in: state) else { return nil }
        try save(next, false)
        return next
    }

    private func review<Input: LineSource>(_ state: InterviewState, input: inout Input) throws -> InterviewState? {
        let items = interview.summary(state)
        var error: String?
        while true {
            output.write(TerminalScreen.review(items, language: interview.language, error: error))
            guard let line = input.readLine() else { return nil }
            let command = line.trimmedLowercased
            switch command {
            case "s", "submit", "y", "yes", "anfon":
                switch interview.submit(state) {
                case .success(let submitted):
                    try save(submitted, true)
                    output.write(TerminalScreen.confirmation(interview.language))
                    return submitted
                case .failure(let problem):
                    error = problem.message + " (\(problem.questionID))"
                }
            case "b", "back":
                let previous = interview.back(state)
                try save(previous, false)
                return previous
            case "?", "help":
                output.write(TerminalScreen.help(interview.language))
            default:
                if let number = Int(command), number >= 1, number <= items.count,
                   let changing = interview.change(items[number - 1].questionID, in: state) {
                    return changing
                }
                error = interview.language == "cy" ? "Teipiwch s i anfon, neu rif o 1–\(items.count) i newid ateb"
                    : "Type s to submit, or a number from 1–\(items.count) to change an answer"
            }
        }
    }
}

extension String {
    var trimmedLowercased: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()).lowercased()
    }
}
