import Foundation
import Statistics
import SurveyEngine
import SurveyStore
import Synchronization

/// What to build: how many victim responses, from which seed, over which two years, and how
/// many rapid-poll answers per ward.
public struct DemoOptions: Sendable {
    /// Victim-satisfaction responses in all, shared between boroughs by their volume
    /// (about 400 per borough per year by default).
    public var responses = 26_000
    public var seed: UInt64 = 2026
    /// The last day of the two years, `YYYY-MM-DD` (fixed, so a seed always gives the same data).
    public var end = "2026-11-30"
    /// Rapid-poll responses per ward, over the last 90 days.
    public var pollsPerWard = 12

    public init() {}
}

/// What the demo built.
public struct DemoSummary: Sendable {
    public var victimResponses: Int
    public var pollResponses: Int
    public var boroughs: Int
    public var wards: Int
    public var from: String
    public var to: String
}

/// Builds the demo data set: two years of victim-satisfaction responses for every borough and
/// rapid-poll responses by ward, with the `DemoEffects` built in. Reproducible: the same seed and
/// options give the same responses. Every response is checked by the interview engine and stored
/// through the store's bulk import, so the analysis table is kept as for any import.
public struct DemoBuilder {
    public let boroughs: [Borough]
    public let effects: DemoEffects
    public let options: DemoOptions

    public init(boroughs: [Borough], effects: DemoEffects = DemoEffects(), options: DemoOptions = DemoOptions()) {
        self.boroughs = boroughs
        self.effects = effects
        self.options = options
    }

    /// Stores the victim responses to `victim` and, when given, the rapid-poll responses to `poll`.
    /// `progress` hears the count of victim responses stored so far.
    public func build(in store: SurveyStore, victim: PublishedQuestionnaire, poll: PublishedQuestionnaire?,
                      progress: @escaping (Int) -> Void = { _ in }) throws(DemoError) -> DemoSummary {
        guard !victim.questionnaire.measures.isEmpty else {
            throw .questionnaire(id: victim.questionnaire.id, reason: "it defines no measures, so there is nothing to compare")
        }
        guard let endDay = DateText.dayNumber(options.end) else {
            throw .questionnaire(id: victim.questionnaire.id, reason: "the end date '\(options.end)' is not YYYY-MM-DD")
        }
        let plan = Plan(boroughs: boroughs, effects: effects, options: options, endDay: endDay)
        // The cases of the invited victims and their invitations come first: each invited
        // response is then stored against its invitation, and so reaches its case.
        var index = 0
        var unanswered: [CaseRecord] = []
        do {
            _ = try store.importCases(next: { () -> CaseRecord? in
                if let pending = unanswered.popLast() { return pending }
                while index < plan.total {
                    defer { index += 1 }
                    if let demoCase = plan.victim(index).demoCase {
                        unanswered = plan.unanswered(beside: demoCase, index: index)
                        return demoCase
                    }
                }
                return nil
            }, events: [], today: options.end)
            // The tokens are not needed: the demo's responses answer the invitations directly.
            try store.inviteClosedCases(questionnaireID: victim.questionnaire.id, closedSince: "1900-01-01") { _, _ in }
        } catch let error as SurveyStoreError {
            throw .store(error)
        } catch {
            throw .invalidResponse(questionnaire: victim.questionnaire.id, reason: "\(error)")
        }
        let victims = Stream(plan: plan, generator: ResponseGenerator(questionnaire: victim.questionnaire), poll: false)
        let stored = try importing(victims, victim, store, progress)
        var polls = 0
        if let poll {
            polls = try importing(Stream(plan: plan, generator: ResponseGenerator(questionnaire: poll.questionnaire), poll: true), poll, store) { _ in }
        }
        return DemoSummary(victimResponses: stored, pollResponses: polls, boroughs: boroughs.count,
                           wards: boroughs.reduce(0) { $0 + $1.wardCount }, from: DemoText.date(endDay - 729), to: options.end)
    }

    private func importing(_ stream: Stream, _ published: PublishedQuestionnaire, _ store: SurveyStore,
                           _ progress: @escaping (Int) -> Void) throws(DemoError) -> Int {
        do {
            return try store.importResponses(versionID: published.versionID, questionnaire: published.questionnaire,
                                             batchSize: 2_000, next: { try stream.next() }, progress: progress)
        } catch let error as DemoError {
            throw error
        } catch let error as SurveyStoreError {
            throw .store(error)
        } catch {
            throw .invalidResponse(questionnaire: published.questionnaire.id, reason: "\(error)")
        }
    }

    /// Who answers, where and when: the boroughs' shares and their seeded offsets.
    struct Plan: Sendable {
        let boroughs: [Borough]
        let effects: DemoEffects
        let options: DemoOptions
        let endDay: Int
        /// Each borough's number of victim responses.
        let counts: [Int]
        /// Each borough's jitter in [−1, 1] (for the boroughs with no built-in effect).
        let jitter: [Double]
        /// The index of each borough's first victim response.
        let starts: [Int]
        /// Each borough's ward names, made once (`Borough.wards` formats them on every call).
        let wards: [[String]]
        var total: Int { options.responses }

        init(boroughs: [Borough], effects: DemoEffects, options: DemoOptions, endDay: Int) {
            self.boroughs = boroughs
            self.effects = effects
            self.options = options
            self.endDay = endDay
            let total = boroughs.reduce(0) { $0 + $1.volume }
            var counts = boroughs.map { Int((Double(options.responses) * $0.volume / total).rounded(.down)) }
            // The remainder goes to the first boroughs, so the total is exactly as asked.
            for index in 0..<max(0, options.responses - counts.reduce(0, +)) { counts[index % counts.count] += 1 }
            self.counts = counts
            var random = SplitMix64(seed: options.seed ^ 0xB0_0000)
            jitter = boroughs.map { _ in random.unit() * 2 - 1 }
            var start = 0
            starts = counts.map { count in defer { start += count }; return start }
            wards = boroughs.map(\.wards)
        }

        /// Victim response `index`: its borough, day and case, from a generator of its own (so the
        /// case pass and the response pass agree without keeping anything in memory).
        struct Victim {
            let borough: Int
            let day: Int
            let demoCase: CaseRecord?
            /// The log-odds shift of its case.
            let shift: Double
            var random: SplitMix64
        }

        /// Cases like `answered` (same borough, ward and closing date) whose victims were invited
        /// but did not answer: on average 1/responseRate − 1 per answered case, from a seeded
        /// draw of their own, so the victims' answers are the same with or without them.
        func unanswered(beside answered: CaseRecord, index: Int) -> [CaseRecord] {
            var random = SplitMix64(seed: options.seed ^ (UInt64(index) &* 0xD1B5_4A32_D192_ED03) ^ 0x5EED)
            let mean = 1 / max(0.01, effects.responseRate) - 1
            // Whole cases for the mean's whole part, and one more with the chance of its fraction.
            let count = Int(mean) + (random.unit() < mean - Double(Int(mean)) ? 1 : 0)
            return (0..<count).map { k in
                var record = answered
                record.caseRef = answered.caseRef + "-U\(k + 1)"
                record.outcome = [CaseOutcome.resolved, .ongoing, .unresolved, .noFurtherAction][Int(random.next() % 4)]
                return record
            }
        }

        func victim(_ index: Int) -> Victim {
            var random = SplitMix64(seed: options.seed ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15) ^ 0x7EC7)
            let boroughIndex = (starts.lastIndex { $0 <= index } ?? 0)
            let borough = boroughs[boroughIndex]
            let day = endDay - 729 + Int(random.next() % 730)
            guard random.unit() < effects.invitedShare else { return Victim(borough: boroughIndex, day: day, demoCase: nil, shift: 0, random: random) }
            func pick<T>(_ weighted: [(T, Double)]) -> T {
                var u = random.unit() * weighted.reduce(0) { $0 + $1.1 }
                for (value, weight) in weighted { u -= weight; if u < 0 { return value } }
                return weighted[weighted.count - 1].0
            }
            let stage: EscalationStage = pick([(.none, 25), (.warning1, 20), (.warning2, 12), (.homeVisit, 8), (.cpw, 12), (.cpn, 10),
                                               (.cbo, 5), (.injunction, 4), (.closure, 3), (.eviction, 1)])
            let isRepeat = random.unit() < 0.3, vulnerable = random.unit() < 0.2
            let complaints = isRepeat ? 1 + Int(random.next() % 6) : Int(random.next() % 3)
            let review: CaseReviewState = complaints >= 3 ? pick([(.none, 15), (.told, 50), (.requested, 20), (.held, 15)]) : .none
            let closed = day - 1 - Int(random.next() % 9)
            let opened = closed - 7 - Int(random.next() % 90)
            let record = CaseRecord(caseRef: "DEMO-" + DemoText.padded(index, 8), boroughCode: borough.code, borough: borough.name,
                                    ward: wards[boroughIndex][Int(random.next() % UInt64(borough.wardCount))], opened: DemoText.date(opened), closed: DemoText.date(closed),
                                    channel: pick([(.phone101, 40), (.phone999, 15), (.online, 30), (.inPerson, 5), (.partner, 7), (.other, 3)]),
                                    repeatVictim: isRepeat, vulnerableVictim: vulnerable, highestStage: stage,
                                    outcome: pick([(.resolved, 50), (.ongoing, 10), (.unresolved, 25), (.noFurtherAction, 15)]),
                                    complaints6m: complaints, caseReview: review)
            return Victim(borough: boroughIndex, day: day, demoCase: record,
                          shift: effects.caseShift(stage: stage, repeatVictim: isRepeat, vulnerable: vulnerable), random: random)
        }
    }

    /// The responses of one questionnaire, made one at a time on the import's reading thread.
    final class Stream: Sendable {
        private struct State {
            var random: SplitMix64
            var borough = 0
            var made = 0
            var ward = 0
            /// The next victim response's index.
            var index = 0
        }

        private let plan: Plan
        private let generator: ResponseGenerator
        private let poll: Bool
        private let state: Mutex<State>

        init(plan: Plan, generator: ResponseGenerator, poll: Bool) {
            self.plan = plan
            self.generator = generator
            self.poll = poll
            state = Mutex(State(random: SplitMix64(seed: plan.options.seed ^ (poll ? 0x9011 : 0x7EC7))))
        }

        func next() throws -> ImportedResponse? {
            guard poll else {
                let index = state.withLock { state -> Int in defer { state.index += 1 }; return state.index }
                return index < plan.total ? try victim(index) : nil
            }
            return try state.withLock { state throws -> ImportedResponse? in
                // Move on to the next borough (and, for polls, ward) once this one has its share.
                while state.borough < plan.boroughs.count {
                    let borough = plan.boroughs[state.borough]
                    let quota = poll ? plan.options.pollsPerWard : plan.counts[state.borough]
                    if poll && state.made >= quota { state.ward += 1; state.made = 0 }
                    if poll ? state.ward >= borough.wardCount : state.made >= quota {
                        state.borough += 1
                        state.made = 0
                        state.ward = 0
                        continue
                    }
                    state.made += 1
                    return try make(borough, index: state.borough, state: &state)
                }
                return nil
            }
        }

        /// Victim response `index`, answered as its case (if it has one) makes likely.
        private func victim(_ index: Int) throws -> ImportedResponse {
            var victim = plan.victim(index)
            let borough = plan.boroughs[victim.borough]
            let progress = Double(victim.day - (plan.endDay - 729)) / 729
            let offset = plan.effects.offset(borough: borough.code, progress: progress, jitter: plan.jitter[victim.borough])
            let wardName = victim.demoCase?.ward ?? plan.wards[victim.borough][Int(victim.random.next() % UInt64(borough.wardCount))]
            // Centred on the three answers' shares (about a third each), so informed and
            // uninformed victims differ by the effect while boroughs stay at their level.
            let informed = plan.effects.keptInformed
            let shifts = victim.demoCase == nil ? [:] : ["kept_informed": ["yes": informed * 2 / 3, "no": -informed / 3, "not_needed": -informed / 3]]
            let answers = try generator.response(offset: offset, shift: victim.shift, answerShifts: shifts, borough: borough.name,
                                                 ward: wardName, random: &victim.random)
            let completed = DemoText.timestamp(days: victim.day, seconds: Int(victim.random.next() % 86_400))
            let interviewer = victim.random.unit() < 0.35
            let weight = ((0.5 + victim.random.unit() * 1.5) * 1000).rounded() / 1000
            return ImportedResponse(answers: answers, borough: borough.name, ward: wardName, completedAt: completed, weight: weight,
                                    caseRef: victim.demoCase?.caseRef, mode: interviewer ? .terminal : .web,
                                    administration: interviewer ? .interviewer : .selfCompleted, answersInvitation: victim.demoCase != nil)
        }

        private func make(_ borough: Borough, index: Int, state: inout State) throws -> ImportedResponse {
            let span = poll ? 90 : 730
            let day = plan.endDay - span + 1 + Int(state.random.next() % UInt64(span))
            let progress = Double(day - (plan.endDay - 729)) / 729
            let offset = plan.effects.offset(borough: borough.code, progress: progress, jitter: plan.jitter[index])
            let ward = poll ? state.ward : Int(state.random.next() % UInt64(borough.wardCount))
            let wardName = plan.wards[index][ward]
            let answers = try generator.response(offset: offset, borough: borough.name, ward: wardName, random: &state.random)
            let completed = DemoText.timestamp(days: day, seconds: Int(state.random.next() % 86_400))
            let interviewer = !poll && state.random.unit() < 0.35
            let weight = poll ? nil : ((0.5 + state.random.unit() * 1.5) * 1000).rounded() / 1000
            return ImportedResponse(answers: answers, borough: borough.name, ward: wardName, completedAt: completed, weight: weight,
                                    mode: interviewer ? .terminal : .web, administration: interviewer ? .interviewer : .selfCompleted)
        }
    }
}
