import SurveyEngine

/// The text of each terminal screen. Plain text (no colour codes), so screen readers and
/// logs read it as it is.
enum TerminalScreen {
    static func question(_ question: Question, state: InterviewState, interview: Interview,
                         mode: TerminalInterview.Mode, error: String?) -> String {
        let welsh = interview.language == "cy"
        let visible = interview.visibleQuestions(state.answers)
        let number = (visible.firstIndex { $0.id == question.id } ?? 0) + 1
        var lines = ["", welsh ? "Cwestiwn \(number) o \(visible.count)" : "Question \(number) of \(visible.count)"]
        if let error { lines.append((welsh ? "Gwall: " : "Error: ") + error) }
        let label = interview.label(question, answers: state.answers)
        lines.append(mode == .interviewer && !question.isNote ? "READ OUT: \(label)" : label)
        if let hint = interview.hint(question, answers: state.answers) { lines.append("  (\(hint))") }
        for (offset, choice) in question.choices.enumerated() {
            let chosen = state.answers[question.id]?.storedValues.contains(choice.code) == true ? " *" : ""
            lines.append("  \(offset + 1)) \(interview.label(choice))\(chosen)")
        }
        lines.append(prompt(question, welsh: welsh, current: state.answers[question.id].map { interview.display($0, for: question) }))
        return lines.joined(separator: "\n") + "\n> "
    }

    private static func prompt(_ question: Question, welsh: Bool, current: String?) -> String {
        var text: String
        switch question.type {
        case .multiple: text = welsh ? "Teipiwch y rhifau, wedi'u gwahanu gan atalnodau" : "Type the numbers, separated by commas"
        case .single, .scale, .yesno: text = welsh ? "Teipiwch rif" : "Type a number"
        case .number: text = welsh ? "Teipiwch rif" : "Type a number"
        case .date: text = welsh ? "Teipiwch ddyddiad, er enghraifft 27 3 2026" : "Type a date, for example 27 3 2026"
        case .text: text = welsh ? "Teipiwch eich ateb" : "Type your answer"
        case .note: text = welsh ? "Pwyswch Enter i barhau" : "Press Enter to continue"
        }
        if !question.required && !question.isNote { text += welsh ? " (neu Enter i hepgor)" : " (or Enter to skip)" }
        if let current { text += welsh ? ". Ateb presennol: \(current)" : ". Current answer: \(current)" }
        return text + (welsh ? ". b = yn ôl, ? = help" : ". b = back, ? = help")
    }

    static func review(_ items: [SummaryItem], language: String, error: String?) -> String {
        let welsh = language == "cy"
        var lines = ["", welsh ? "Gwiriwch eich atebion" : "Check your answers"]
        if let error { lines.append((welsh ? "Gwall: " : "Error: ") + error) }
        for (offset, item) in items.enumerated() {
            lines.append("  \(offset + 1)) \(item.question)")
            lines.append("     \(item.answer)")
        }
        lines.append(welsh ? "Teipiwch s i anfon, rhif i newid yr ateb hwnnw, neu b i fynd yn ôl"
                           : "Type s to submit, a number to change that answer, or b to go back")
        return lines.joined(separator: "\n") + "\n> "
    }

    static func help(_ language: String) -> String {
        if language == "cy" {
            return "\nHelp: teipiwch rif opsiwn a phwyso Enter. b = yn ôl at y cwestiwn blaenorol. Ctrl-D = stopio a chadw; gallwch ailddechrau yn nes ymlaen.\n"
        }
        return "\nHelp: type the number of an option and press Enter. b = back to the previous question. Ctrl-D = stop and save; you can resume later.\n"
    }

    static func confirmation(_ language: String) -> String {
        language == "cy" ? "\nDiolch. Mae eich atebion wedi'u hanfon.\n" : "\nThank you. Your answers have been submitted.\n"
    }
}
