import SurveyEngine
import SurveyStore

/// Everything a question page shows that depends on the respondent, apart from their two tokens:
/// where "Back" goes, the question as piped with their answers, and the answer in the fields.
/// With the questionnaire version these decide the page's bytes, so they key its template.
struct QuestionPageFacts {
    /// Where the back link leads.
    enum Back: Hashable {
        /// "Check your answers" (changing an answer from there).
        case check
        /// The link itself (the first question).
        case entry
        /// The previous question.
        case question(InterviewPosition)
    }

    let question: Question
    let language: String
    let changing: Bool
    let back: Back
    let heading: String
    let hint: String?
    let values: QuestionPage.FieldValues

    init(_ loaded: LoadedResponse, _ question: Question, values: QuestionPage.FieldValues, changing: Bool) {
        let interview = loaded.interview
        self.question = question
        self.language = interview.language
        self.changing = changing
        self.values = values
        heading = interview.label(question, answers: loaded.answers)
        hint = interview.hint(question, answers: loaded.answers)
        if changing {
            back = .check
        } else {
            let here = InterviewPosition.question(question.id)
            let previous = interview.back(InterviewState(answers: loaded.answers, position: here)).position
            back = previous == here ? .entry : .question(previous)
        }
    }
}
