import Foundation
import JSON
import Statistics
import SurveyEngine
import SurveyStore

/// Makes one synthetic response to any questionnaire: it walks the questions in order, answers
/// each one the branching shows (a measure's question satisfied with the chance it is given, the
/// borough and ward fields with the place, other questions at random among their choices), and
/// has the interview engine check the whole as it checks an import. Optional free text is left
/// empty.
struct ResponseGenerator {
    let interview: Interview
    /// The question each measure reads, by question id, with its satisfied codes.
    private let measureQuestions: [String: (satisfied: [String], other: [String], outOfBase: [String], baseline: Double)]

    init(questionnaire: Questionnaire) {
        interview = Interview(questionnaire: questionnaire, language: questionnaire.languages.first ?? "en", today: "2999-12-31")
        var measures: [String: (satisfied: [String], other: [String], outOfBase: [String], baseline: Double)] = [:]
        for measure in questionnaire.measures {
            guard let question = questionnaire.question(measure.questionID) else { continue }
            let satisfied = measure.satisfiedCodes
            let other = question.choices.filter { !$0.excludeFromBase && !satisfied.contains($0.code) }.map(\.code)
            let out = question.choices.filter(\.excludeFromBase).map(\.code)
            measures[measure.questionID] = (satisfied, other, out, measure.baseline ?? 0.5)
        }
        measureQuestions = measures
    }

    /// A checked response: `offset` moves every measure's chance of satisfaction from its
    /// baseline, `shift` moves its log-odds, and `answerShifts` (question → code → log-odds) move
    /// the measures asked after that answer; `borough` and `ward` fill the questions marked so.
    func response(offset: Double, shift: Double = 0, answerShifts: [String: [String: Double]] = [:], borough: String?, ward: String?,
                  random: inout SplitMix64) throws(DemoError) -> [String: AnswerValue] {
        var answers: [String: AnswerValue] = [:]
        var given: [String: JSONValue] = [:]
        var logit = shift
        for question in interview.questionnaire.questions where !question.isNote && interview.isVisible(question, answers: answers) {
            guard let (value, json) = answer(question, offset: offset, shift: logit, borough: borough, ward: ward, random: &random) else { continue }
            answers[question.id] = value
            given[question.id] = json
            if case .choice(let code) = value, let extra = answerShifts[question.id]?[code] { logit += extra }
        }
        switch interview.complete(with: given) {
        case .success(let state): return state.answers
        case .failure(let error): throw .invalidResponse(questionnaire: interview.questionnaire.id, reason: "\(error)")
        }
    }

    private func answer(_ question: Question, offset: Double, shift: Double, borough: String?, ward: String?,
                        random: inout SplitMix64) -> (AnswerValue, JSONValue)? {
        func pick(_ codes: [String]) -> String { codes[Int(random.next() % UInt64(codes.count))] }
        switch question.type {
        case .single, .scale, .yesno:
            let codes = question.choices.map(\.code)
            guard !codes.isEmpty else { return nil }
            let code: String
            if let measure = measureQuestions[question.id], !measure.satisfied.isEmpty, !measure.other.isEmpty {
                let base = min(0.97, max(0.03, measure.baseline + offset))
                let p = 1 / (1 + Foundation.exp(-(Foundation.log(base / (1 - base)) + shift)))
                if !measure.outOfBase.isEmpty && random.unit() < 0.04 {
                    code = pick(measure.outOfBase)
                } else {
                    code = random.unit() < p ? pick(measure.satisfied) : pick(measure.other)
                }
            } else {
                // "Don't know" and the like are chosen less often than real answers.
                let ordinary = question.choices.filter { !$0.excludeFromBase }.map(\.code)
                code = ordinary.isEmpty || random.unit() < 0.05 ? pick(codes) : pick(ordinary)
            }
            return (.choice(code), .string(code))
        case .multiple:
            let ordinary = question.choices.filter { !$0.exclusive && !$0.excludeFromBase }.map(\.code)
            guard !ordinary.isEmpty else { return nil }
            var chosen: [String] = []
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let code = pick(ordinary)
                if !chosen.contains(code) { chosen.append(code) }
            }
            let ordered = question.choices.map(\.code).filter(chosen.contains)
            return (.choices(ordered), .array(ordered.map(JSONValue.string)))
        case .number:
            let low = question.minimum ?? 0
            let high = min(question.maximum ?? (low + 20), low + 20)
            let value = (low + (high - low) * random.unit()).rounded(.down)
            return (.number(value), .number(value))
        case .text:
            let text: String?
            switch question.responseField {
            case .borough?: text = borough
            case .ward?: text = ward
            case nil: text = question.required ? "synthetic" : nil
            }
            return text.map { (.text($0), .string($0)) }
        case .date:
            guard question.required else { return nil }
            return (.date("2025-01-01"), .string("2025-01-01"))
        case .note:
            return nil
        }
    }
}
