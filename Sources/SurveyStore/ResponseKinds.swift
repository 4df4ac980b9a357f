import SurveyEngine

/// Whether a response is still being answered or has been submitted (`responses.status`).
public enum ResponseStatus: String, Sendable, CaseIterable {
    case partial
    case complete
}

/// How a response was collected (`responses.mode`).
public enum ResponseMode: String, Sendable, CaseIterable {
    case terminal
    case web
    case `import`
}

/// Who recorded the answers (`responses.administration`): the respondent, or an interviewer
/// reading the questions out.
public enum Administration: String, Sendable, CaseIterable {
    case selfCompleted = "self"
    case interviewer
}

/// How an interview's position is stored in `responses.position` (migration 4): `q:` and the
/// question id for a question, `review` for "check your answers", NULL once submitted. Question
/// ids cannot contain `:`, so a question called `review` no longer reads back as the review.
public enum StoredPosition {
    /// The stored text for `position` (nil once submitted).
    public static func encode(_ position: InterviewPosition) -> String? {
        switch position {
        case .question(let id): "q:" + id
        case .review: "review"
        case .submitted: nil
        }
    }

    /// The position stored as `text`: nil for NULL (submitted or never positioned) and for text
    /// that is neither form (a row written by something else), which resumes at the first question
    /// still to answer.
    public static func decode(_ text: String?) -> InterviewPosition? {
        guard let text else { return nil }
        if text == "review" { return .review }
        guard text.hasPrefix("q:"), text.count > 2 else { return nil }
        return .question(String(text.dropFirst(2)))
    }
}
