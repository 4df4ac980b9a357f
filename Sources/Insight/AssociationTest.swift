import Statistics
import SurveyStore

/// Pearson's chi-square test of association between a measure (satisfied or not) and the
/// categories of a grouping, over the whole table. Where a category's expected count is under 5
/// the approximation is poor, so sparse categories are merged first (on the escalation ladder
/// with the next rung down, otherwise into one "other" category) and the merge is named; when
/// fewer than two categories remain, no test is given and the reason is said.
public struct AssociationTest: Equatable, Sendable {
    public var statistic: Double?
    public var degreesOfFreedom: Int?
    public var pValue: Double?
    /// Which categories were merged into which, in words ("cbo + injunction"), empty when none.
    public var merged: [String]
    /// What was done, in words, for the report.
    public var note: String

    /// The test on the counts of one measure, one `GroupCount` per category in order.
    /// `ordered` says the categories are a ladder (merged with neighbours).
    public static func compute(_ counts: [GroupCount], ordered: Bool) -> AssociationTest {
        var groups = counts.filter { $0.n > 0 }.map { (label: $0.group, satisfied: Double($0.satisfied), n: Double($0.n), members: [$0.group]) }
        let total = groups.reduce(0) { $0 + $1.n }
        let satisfiedShare = total > 0 ? groups.reduce(0) { $0 + $1.satisfied } / total : 0
        func minimumExpected(_ g: (label: String, satisfied: Double, n: Double, members: [String])) -> Double {
            g.n * min(satisfiedShare, 1 - satisfiedShare)
        }
        var merged: [String] = []
        while groups.count > 2, let sparse = groups.indices.min(by: { minimumExpected(groups[$0]) < minimumExpected(groups[$1]) }),
              minimumExpected(groups[sparse]) < 5 {
            let into: Int
            if ordered {
                into = sparse == 0 ? 1 : (sparse == groups.count - 1 ? sparse - 1
                       : (groups[sparse - 1].n <= groups[sparse + 1].n ? sparse - 1 : sparse + 1))
            } else {
                // The other sparsest category, so the merged "other" gathers the small ones.
                into = groups.indices.filter { $0 != sparse }.min { groups[$0].n < groups[$1].n }!
            }
            let a = groups[min(sparse, into)], b = groups[max(sparse, into)]
            let members = a.members + b.members
            groups[min(sparse, into)] = (members.joined(separator: " + "), a.satisfied + b.satisfied, a.n + b.n, members)
            groups.remove(at: max(sparse, into))
        }
        merged = groups.filter { $0.members.count > 1 }.map(\.label)
        let table = groups.map { [$0.satisfied, $0.n - $0.satisfied] }
        guard groups.count >= 2, satisfiedShare > 0, satisfiedShare < 1, groups.allSatisfy({ minimumExpected($0) >= 5 }),
              let result = try? ProportionTests.chiSquare(table) else {
            return AssociationTest(statistic: nil, degreesOfFreedom: nil, pValue: nil, merged: merged,
                                   note: "no chi-square test: fewer than two categories with expected counts of 5 or more, even after merging")
        }
        let how = merged.isEmpty ? "Pearson's chi-square test of association, no continuity correction"
            : "Pearson's chi-square test after merging categories with expected counts under 5 (\(merged.joined(separator: "; ")))"
        return AssociationTest(statistic: result.statistic, degreesOfFreedom: result.degreesOfFreedom, pValue: result.pValue, merged: merged, note: how)
    }
}
