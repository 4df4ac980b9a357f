import Foundation
import SurveyStore

/// The effects built into the demo data, so that the analysis has something true to find. Each
/// measure's chance of a satisfied answer is its national baseline plus the borough's offset:
/// - `below` (Newham, Lambeth, Croydon): 12 points below on every measure;
/// - `above` (Richmond upon Thames): 10 points above;
/// - `falling` (Barnet): from 6 points above at the start of the two years to 18 below at the
///   end, a steady fall;
/// - every other borough: a fixed offset within ±1.5 points (from the seed), broadly in line.
/// The data are synthetic: the effects say nothing about the real boroughs.
public struct DemoEffects: Sendable {
    public var below: Set<String> = ["E09000025", "E09000022", "E09000008"]
    public var belowBy = 0.12
    public var above: Set<String> = ["E09000027"]
    public var aboveBy = 0.10
    public var falling = "E09000003"
    public var fallingFrom = 0.06
    public var fallingTo = -0.18
    /// The largest offset of a borough with no built-in effect.
    public var inLineWithin = 0.015
    /// Case effects on the log-odds of a satisfied answer, for invited victims, on every measure
    /// (kept informed: on the measures asked after `kept_informed`). Odds ratios exp(β): 1.65
    /// for enforcement beyond warnings (a CPW or higher rung), 1.82 for being kept informed,
    /// 0.67 for a repeat victim and 0.74 for a vulnerable one.
    public var enforcement = 0.5
    public var keptInformed = 0.6
    public var repeatVictim = -0.4
    public var vulnerableVictim = -0.3
    /// The share of victim responses that answer an invitation sent for a case.
    public var invitedShare = 0.6
    /// The share of invited victims who answer: the others' cases and invitations are made too,
    /// with no response, so response rates are as a survey team would see them.
    public var responseRate = 0.45

    public init() {}

    /// The log-odds shift of a victim with this case.
    public func caseShift(stage: EscalationStage, repeatVictim isRepeat: Bool, vulnerable: Bool) -> Double {
        (stage >= .cpw ? enforcement : 0) + (isRepeat ? repeatVictim : 0) + (vulnerable ? vulnerableVictim : 0)
    }

    /// The offset of borough `code` at `progress` (0 at the start of the period, 1 at the end),
    /// `jitter` being that borough's seeded draw in [−1, 1].
    public func offset(borough code: String, progress: Double, jitter: Double) -> Double {
        if below.contains(code) { return -belowBy }
        if above.contains(code) { return aboveBy }
        if code == falling { return fallingFrom + (fallingTo - fallingFrom) * progress }
        return inLineWithin * jitter
    }

    /// One line per effect, for the demo's summary.
    public func describe(_ boroughs: [Borough]) -> [String] {
        func names(_ codes: Set<String>) -> String {
            boroughs.filter { codes.contains($0.code) }.map(\.name).joined(separator: ", ")
        }
        let fallingName = boroughs.first { $0.code == falling }?.name ?? falling
        return [
            "\(names(below)): \(Int(belowBy * 100)) points below the national baseline on every measure",
            "\(names(above)): \(Int(aboveBy * 100)) points above",
            "\(fallingName): falling, from \(Int(fallingFrom * 100)) points above to \(Int(-fallingTo * 100)) below over the two years",
            "every other borough: within \(inLineWithin * 100) points of the baseline",
            String(format: "about %.0f%% of invited victims answer (the others' cases and invitations are there, unanswered)", responseRate * 100),
            String(format: "invited victims (%.0f%%) have cases: odds of satisfaction ×%.2f with enforcement beyond warnings, ×%.2f when kept informed, ×%.2f for repeat and ×%.2f for vulnerable victims",
                   invitedShare * 100, Foundation.exp(enforcement), Foundation.exp(keptInformed), Foundation.exp(repeatVictim), Foundation.exp(vulnerableVictim)),
        ]
    }
}
