import SurveyEngine

/// Where one response stands on one measure, as the analysis table keeps it (two bits).
public enum MeasureState: UInt64, Sendable, CaseIterable {
    /// The measure's question was not answered (not reached, hidden by branching, or skipped).
    case notAsked = 0
    /// Answered with a code outside the base ("don't know", "refused").
    case outOfBase = 1
    case notSatisfied = 2
    case satisfied = 3
}

/// How one questionnaire version's measures are read from its answers: for each measure, in the
/// version's order, the question, the codes in the base and those that count as satisfied.
public struct MeasureLayout: Equatable, Sendable {
    public struct Slot: Equatable, Sendable {
        public var measureID: String
        public var questionID: String
        public var baseCodes: Set<String>
        public var satisfiedCodes: Set<String>
    }

    public var slots: [Slot]

    /// At most 32 measures fit the table's 64-bit state word.
    public static let capacity = 32

    public init(_ questionnaire: Questionnaire) {
        slots = questionnaire.measures.prefix(Self.capacity).map { measure in
            let base = questionnaire.question(measure.questionID)?.choices.filter { !$0.excludeFromBase }.map(\.code) ?? []
            return Slot(measureID: measure.id, questionID: measure.questionID, baseCodes: Set(base), satisfiedCodes: Set(measure.satisfiedCodes))
        }
    }

    /// The slot of measure `id`, if this version has it.
    public func index(of id: String) -> Int? { slots.firstIndex { $0.measureID == id } }

    /// Every measure's state for stored answer values (question id → values), packed two bits
    /// per measure in slot order. A value in the satisfied codes counts as satisfied, else one in
    /// the base as not satisfied, else (a code that leaves the base) out of the base.
    public func states(_ values: [String: [String]]) -> UInt64 {
        states { values[$0] }
    }

    /// Every measure's state, the stored values of a question found by `values` (nil: not
    /// answered); for callers that hold answers in another form, without building a dictionary.
    public func states(_ values: (String) -> [String]?) -> UInt64 {
        var word: UInt64 = 0
        for (index, slot) in slots.enumerated() {
            guard let answer = values(slot.questionID), !answer.isEmpty else { continue }
            let state: MeasureState
            if answer.contains(where: slot.satisfiedCodes.contains) && answer.contains(where: slot.baseCodes.contains) {
                state = .satisfied
            } else if answer.contains(where: slot.baseCodes.contains) {
                state = .notSatisfied
            } else {
                state = .outOfBase
            }
            word |= state.rawValue << (2 * UInt64(index))
        }
        return word
    }

    /// The state of slot `index` in a packed word.
    @inline(__always)
    public static func state(_ word: UInt64, _ index: Int) -> MeasureState {
        MeasureState(rawValue: (word >> (2 * UInt64(index))) & 3)!
    }
}

/// One response as the analysis table holds it: what it says on each measure and the dimensions
/// analysis groups and filters by. Derived from the response, its answers, its invitation and
/// its questionnaire version, so it can always be rebuilt (`reindex`) and checked (`verify`).
/// Case attributes (stage reached, outcome, channel) join as further columns.
public struct AnalysisRow: Equatable, Sendable {
    public var responseID: Int64
    public var questionnaireID: String
    public var versionID: Int64
    public var complete: Bool
    /// Days since 1970-01-01 (UTC) of completion, or of the last save while partial.
    public var day: Int?
    public var borough: String?
    public var ward: String?
    public var mode: ResponseMode
    public var administration: Administration
    public var language: String
    public var weight: Double?
    public var invited: Bool
    public var repeatVictim: Bool?
    public var vulnerable: Bool?
    /// Measure states, two bits each, in the version's `MeasureLayout` order.
    public var states: UInt64
    /// The attributes of the response's case (through its invitation), when it has one.
    public var caseAttributes: CaseAttributes?
}

/// What analysis reads of a response's case.
public struct CaseAttributes: Equatable, Sendable {
    public var stage: EscalationStage
    public var outcome: CaseOutcome
    public var channel: CaseChannel
    public var caseReview: CaseReviewState?
    public var complaints6m: Int?
    public var daysToFirstAction: Int?

    public init(stage: EscalationStage, outcome: CaseOutcome, channel: CaseChannel, caseReview: CaseReviewState?,
                complaints6m: Int?, daysToFirstAction: Int?) {
        self.stage = stage
        self.outcome = outcome
        self.channel = channel
        self.caseReview = caseReview
        self.complaints6m = complaints6m
        self.daysToFirstAction = daysToFirstAction
    }
}

/// The small integer an enum's case is stored as in the analysis table: its position.
extension CaseIterable where Self: Equatable {
    var analysisCode: Int { Array(Self.allCases).firstIndex(of: self)! }
    static func fromAnalysisCode(_ code: Int) -> Self? {
        let all = Array(Self.allCases)
        return all.indices.contains(code) ? all[code] : nil
    }
}
