/// The engine's own messages to respondents, in English and Welsh, worded after the GOV.UK
/// Design System's error message guidance ("Select…", "Enter…").
enum EngineText {
    static func unanswered(_ question: Question, language: String) -> String {
        let welsh = language == "cy"
        switch question.type {
        case .multiple: return welsh ? "Dewiswch o leiaf un opsiwn" : "Select at least one option"
        case .single, .scale, .yesno: return welsh ? "Dewiswch un opsiwn" : "Select one option"
        case .number: return welsh ? "Rhowch rif" : "Enter a number"
        case .date: return welsh ? "Rhowch ddyddiad" : "Enter a date"
        case .text, .note: return welsh ? "Rhowch ateb" : "Enter an answer"
        }
    }

    static func exclusive(_ label: String, language: String) -> String {
        language == "cy" ? "Os ydych yn dewis '\(label)', peidiwch â dewis unrhyw opsiwn arall"
            : "If you select '\(label)', do not select any other option"
    }

    static func tooLong(_ limit: Int, language: String) -> String {
        language == "cy" ? "Rhaid i'r ateb fod yn \(limit) nod neu lai" : "Answer must be \(limit) characters or fewer"
    }

    static func invalidDate(_ language: String) -> String {
        language == "cy" ? "Rhaid i'r dyddiad fod yn ddyddiad go iawn, er enghraifft 27 3 2026"
            : "Date must be a real date, for example 27 3 2026"
    }

    static func wholeNumber(_ language: String) -> String {
        language == "cy" ? "Rhowch rif cyfan" : "Enter a whole number"
    }

    static func range(_ lo: Double?, _ hi: Double?, language: String) -> String {
        let f = AnswerValue.format
        let welsh = language == "cy"
        switch (lo, hi) {
        case let (lo?, hi?): return welsh ? "Rhowch rif rhwng \(f(lo)) a \(f(hi))" : "Enter a number between \(f(lo)) and \(f(hi))"
        case let (lo?, nil): return welsh ? "Rhowch rif sy'n \(f(lo)) neu fwy" : "Enter a number that is \(f(lo)) or more"
        case let (nil, hi?): return welsh ? "Rhowch rif sy'n \(f(hi)) neu lai" : "Enter a number that is \(f(hi)) or less"
        default: return wholeNumber(language)
        }
    }

    static func notAnswered(_ language: String) -> String { language == "cy" ? "Heb ateb" : "Not answered" }
}
