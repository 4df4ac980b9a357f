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

/// What to count for one question: the codes in the base and those that count as satisfied.
public struct AnswerCountSpec: Sendable {
    public var questionID: String
    public var baseCodes: [String]
    public var satisfiedCodes: [String]

    public init(questionID: String, baseCodes: [String], satisfiedCodes: [String]) {
        self.questionID = questionID
        self.baseCodes = baseCodes
        self.satisfiedCodes = satisfiedCodes
    }
}

extension SurveyStore {
    /// Counts, per group and question, the responses to `questionnaireID` whose answer is one of the
    /// spec's base codes, and how many of those are satisfied. One pass over the responses however
    /// many measures are asked for, aggregated while rows stream out of SQLite (a hash aggregate:
    /// SQLite's GROUP BY would sort every answer row first), so memory is bounded by the number of
    /// groups. Returns counts by question id, groups in order.
    public func countAnswers(questionnaireID: String, specs: [AnswerCountSpec], grouping: ResponseGrouping,
                             filter: ResponseFilter, weighted: Bool) throws(SurveyStoreError) -> [String: [GroupCount]] {
        guard !specs.isEmpty else { return [:] }
        let (sql, parameters) = countQuery(questionnaireID: questionnaireID, specs: specs, grouping: grouping, filter: filter)
        return try run("count answers") {
            var aggregate = GroupAggregate(questions: specs.count)
            try db.prepare(sql).forEach(parameters) { row in
                let group = row.withTextBytes(at: 0) { aggregate.groupIndex(for: $0) }
                aggregate.add(group: group, question: Int(row.int64(at: 1)), satisfied: row.int64(at: 2) != 0,
                              weight: weighted && !row.isNull(at: 3) ? row.double(at: 3) : 1)
            }
            return aggregate.counts(questionIDs: specs.map(\.questionID), weighted: weighted)
        }
    }

    /// The streaming query: group key, question index, satisfied flag and weight of every base answer.
    private func countQuery(questionnaireID: String, specs: [AnswerCountSpec], grouping: ResponseGrouping,
                            filter: ResponseFilter) -> (String, [SQLBindable]) {
        let date = filter.includePartial ? "coalesce(r.completed_at, r.updated_at)" : "r.completed_at"
        var parameters: [SQLBindable] = []
        func list(_ codes: [String]) -> String {
            parameters.append(contentsOf: codes.isEmpty ? [""] : codes)
            return Array(repeating: "?", count: max(codes.count, 1)).joined(separator: ", ")
        }
        func caseOver(_ value: (Int, AnswerCountSpec) -> String) -> String {
            "CASE a.question_id " + specs.enumerated().map { index, spec in
                parameters.append(spec.questionID)
                return "WHEN ? THEN \(value(index, spec))"
            }.joined(separator: " ") + " END"
        }
        let questionIndex = caseOver { index, _ in String(index) }
        let satisfied = caseOver { _, spec in "a.value IN (\(list(spec.satisfiedCodes)))" }
        var conditions = ["v.questionnaire_id = ?"]
        parameters.append(questionnaireID)
        conditions.append("a.question_id IN (\(list(specs.map(\.questionID))))")
        conditions.append(caseOver { _, spec in "a.value IN (\(list(spec.baseCodes)))" })
        if !filter.includePartial { conditions.append("r.status = 'complete'") }
        if let from = filter.from { conditions.append("\(date) >= ?"); parameters.append(from) }
        if let to = filter.to { conditions.append("\(date) < ?"); parameters.append(Self.dayAfter(to)) }
        let sql = """
            SELECT \(grouping.sql(date: date)), \(questionIndex), \(satisfied), r.weight
            FROM responses r
            JOIN questionnaire_versions v ON v.id = r.questionnaire_version_id
            JOIN answers a ON a.response_id = r.id
            WHERE \(conditions.joined(separator: " AND "))
            """
        return (sql, parameters)
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
