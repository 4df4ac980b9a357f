import SurveyEngine
import SurveyStore

/// A single-choice question's answers by ward, as shares of those who gave a substantive
/// answer (choices marked `excludeFromBase`, like "Don't know", are counted but not in the
/// base), with wards under the suppression threshold withheld.
public struct PollTally: Sendable {
    /// One ward's figures.
    public struct Ward: Sendable {
        public var ward: String
        /// Substantive answers (nil when suppressed).
        public var base: Int?
        /// Each substantive choice's share of the base, in the question's order (empty when suppressed).
        public var shares: [Double]
        public var suppressed: Bool
    }

    public var questionID: String
    public var questionLabel: String
    /// The substantive choices' codes and labels, in the question's order.
    public var choices: [(code: String, label: String)]
    public var wards: [Ward]

    /// Tallies `counts` (from `SurveyStore.choiceCountsByWard`) for `question`.
    public init(question: Question, counts: [WardChoiceCount], suppressBelow: Int) {
        questionID = question.id
        questionLabel = question.label.text()
        let substantive = question.choices.filter { !$0.excludeFromBase }
        choices = substantive.map { ($0.code, $0.label.text()) }
        var byWard: [String: [String: Int]] = [:]
        for count in counts { byWard[count.ward ?? "(not recorded)", default: [:]][count.code, default: 0] += count.count }
        wards = byWard.keys.sorted().map { name in
            let tally = byWard[name] ?? [:]
            let base = substantive.reduce(0) { $0 + (tally[$1.code] ?? 0) }
            guard base >= max(1, suppressBelow) else { return Ward(ward: name, base: nil, shares: [], suppressed: true) }
            return Ward(ward: name, base: base, shares: substantive.map { Double(tally[$0.code] ?? 0) / Double(base) }, suppressed: false)
        }
    }
}
