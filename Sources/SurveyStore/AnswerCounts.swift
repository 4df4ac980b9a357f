import Foundation
import SQLite

/// How responses are grouped when answers are counted.
public enum ResponseGrouping: String, CaseIterable, Sendable {
    case all, borough, ward, month, quarter, mode

    /// The SQL expression of the group key over `responses r`, given the date expression in use.
    func sql(date: String) -> String {
        switch self {
        case .all: return "'all'"
        case .borough: return "coalesce(r.borough, '(not recorded)')"
        case .ward: return "coalesce(r.ward, '(not recorded)')"
        case .month: return "substr(\(date), 1, 7)"
        case .quarter: return "substr(\(date), 1, 4) || '-Q' || ((CAST(substr(\(date), 6, 2) AS INTEGER) + 2) / 3)"
        case .mode: return "r.mode"
        }
    }
}

/// Which responses count.
public struct ResponseFilter: Sendable {
    /// Inclusive start date `YYYY-MM-DD`.
    public var from: String?
    /// Inclusive end date `YYYY-MM-DD`.
    public var to: String?
    public var includePartial: Bool

    public init(from: String? = nil, to: String? = nil, includePartial: Bool = false) {
        self.from = from
        self.to = to
        self.includePartial = includePartial
    }
}

/// Counts of one question's answers in one group: the base and those in the "satisfied" codes.
public struct GroupCount: Equatable, Sendable {
    public var group: String
    public var n: Int
    public var satisfied: Int
    /// Σw, Σw² and Σw·satisfied when weights were requested (rows without a weight count as 1).
    public var sumOfWeights: Double?
    public var sumOfSquaredWeights: Double?
    public var weightedSatisfied: Double?

    public init(group: String, n: Int, satisfied: Int, sumOfWeights: Double? = nil,
                sumOfSquaredWeights: Double? = nil, weightedSatisfied: Double? = nil) {
        self.group = group
        self.n = n
        self.satisfied = satisfied
        self.sumOfWeights = sumOfWeights
        self.sumOfSquaredWeights = sumOfSquaredWeights
        self.weightedSatisfied = weightedSatisfied
    }
}

extension SurveyStore {
    /// Counts, per group, the responses to `questionnaireID` whose answer to `questionID` is one of
    /// `baseCodes`, and how many of those are in `satisfiedCodes`. One `GROUP BY` query: streaming,
    /// memory bounded by the number of groups.
    public func countAnswers(questionnaireID: String, questionID: String, baseCodes: [String], satisfiedCodes: [String],
                             grouping: ResponseGrouping, filter: ResponseFilter, weighted: Bool) throws(SurveyStoreError) -> [GroupCount] {
        let date = filter.includePartial ? "coalesce(r.completed_at, r.updated_at)" : "r.completed_at"
        let basePlaceholders = Array(repeating: "?", count: baseCodes.count).joined(separator: ", ")
        let satisfiedPlaceholders = Array(repeating: "?", count: max(satisfiedCodes.count, 1)).joined(separator: ", ")
        var conditions = ["v.questionnaire_id = ?", "a.question_id = ?", "a.value IN (\(basePlaceholders))"]
        var parameters: [SQLBindable] = []
        if !filter.includePartial { conditions.append("r.status = 'complete'") }
        if filter.from != nil { conditions.append("\(date) >= ?") }
        if filter.to != nil { conditions.append("\(date) < ?") }
        let weightColumns = weighted
            ? ", sum(coalesce(r.weight, 1.0)), sum(coalesce(r.weight, 1.0) * coalesce(r.weight, 1.0)), sum(CASE WHEN a.value IN (\(satisfiedPlaceholders)) THEN coalesce(r.weight, 1.0) ELSE 0 END)"
            : ""
        let sql = """
            SELECT \(grouping.sql(date: date)) AS grp, count(*), sum(a.value IN (\(satisfiedPlaceholders)))\(weightColumns)
            FROM answers a
            JOIN responses r ON r.id = a.response_id
            JOIN questionnaire_versions v ON v.id = r.questionnaire_version_id
            WHERE \(conditions.joined(separator: " AND "))
            GROUP BY grp ORDER BY grp
            """
        let satisfiedValues = satisfiedCodes.isEmpty ? [""] : satisfiedCodes
        parameters.append(contentsOf: satisfiedValues)
        if weighted { parameters.append(contentsOf: satisfiedValues) }
        parameters.append(questionnaireID)
        parameters.append(questionID)
        parameters.append(contentsOf: baseCodes)
        if let from = filter.from { parameters.append(from) }
        if let to = filter.to { parameters.append(Self.dayAfter(to)) }
        return try run("count answers to \(questionID)") {
            try db.rows(sql, parameters).map { row in
                GroupCount(group: row[0].string ?? "", n: row[1].int ?? 0, satisfied: row[2].int ?? 0,
                           sumOfWeights: weighted ? row[3].double : nil, sumOfSquaredWeights: weighted ? row[4].double : nil,
                           weightedSatisfied: weighted ? row[5].double : nil)
            }
        }
    }

    /// The latest completion date among complete responses to `questionnaireID`, as `YYYY-MM-DD`.
    public func latestCompletionDate(questionnaireID: String) throws(SurveyStoreError) -> String? {
        try run("find the latest response date") {
            try db.scalar("""
                SELECT substr(max(r.completed_at), 1, 10) FROM responses r
                JOIN questionnaire_versions v ON v.id = r.questionnaire_version_id
                WHERE v.questionnaire_id = ? AND r.status = 'complete'
                """, [questionnaireID]).string
        }
    }

    /// `YYYY-MM-DD` plus one day, so an inclusive end date compares correctly against timestamps.
    static func dayAfter(_ date: String) -> String {
        let parts = date.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return date }
        var (y, m, d) = (parts[0], parts[1], parts[2] + 1)
        let days = [31, (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        if d > days[max(0, min(11, m - 1))] { d = 1; m += 1 }
        if m > 12 { m = 1; y += 1 }
        return String(format: "%04d-%02d-%02d", y, m, d)
    }
}
