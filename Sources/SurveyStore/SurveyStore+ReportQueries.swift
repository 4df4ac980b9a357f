import SQLite
import SurveyEngine

/// Invitations and what came of them, for response rates.
public struct InvitationOutcomes: Equatable, Sendable {
    public var invitations: Int
    public var partial: Int
    public var complete: Int

    public init(invitations: Int, partial: Int, complete: Int) {
        self.invitations = invitations
        self.partial = partial
        self.complete = complete
    }

    /// AAPOR response rate 1: complete interviews over all eligible invited, I / (I + P + non-response).
    /// Every invited victim is taken as eligible (e = 1).
    public var rr1: Double? { invitations > 0 ? Double(complete) / Double(invitations) : nil }
    /// AAPOR response rate 2: complete and partial interviews over all eligible invited, (I + P) / (I + P + non-response).
    public var rr2: Double? { invitations > 0 ? Double(complete + partial) / Double(invitations) : nil }
}

/// How many responses a stored questionnaire version holds.
public struct VersionCount: Equatable, Sendable {
    public var version: Int
    public var declaredVersion: String
    public var responses: Int

    public init(version: Int, declaredVersion: String, responses: Int) {
        self.version = version
        self.declaredVersion = declaredVersion
        self.responses = responses
    }
}

extension SurveyStore {
    /// The invitations to `questionnaireID` for cases closed between `from` and `to` (inclusive,
    /// `YYYY-MM-DD`, either open), in `borough` when given, with how many became partial and
    /// complete responses.
    public func invitationOutcomes(questionnaireID: String, borough: String?, closedFrom from: String?, closedTo to: String?) throws(SurveyStoreError) -> InvitationOutcomes {
        try run("count invitations and responses") {
            var conditions = ["i.questionnaire_id = ?"]
            var parameters: [SQLBindable] = [questionnaireID]
            if let borough { conditions.append("i.borough = ?"); parameters.append(borough) }
            if let from { conditions.append("c.closed >= ?"); parameters.append(from) }
            if let to { conditions.append("c.closed <= ?"); parameters.append(to) }
            var outcomes = InvitationOutcomes(invitations: 0, partial: 0, complete: 0)
            try db.prepare("""
                SELECT count(*) AS invitations, coalesce(sum(r.status = 'partial'), 0) AS partial, coalesce(sum(r.status = 'complete'), 0) AS complete
                FROM invitations i JOIN cases c ON c.case_ref = i.case_ref LEFT JOIN responses r ON r.invitation_id = i.id
                WHERE \(conditions.joined(separator: " AND "))
                """).forEach(parameters) { row in
                let values = row.row()
                outcomes = InvitationOutcomes(invitations: try values.get("invitations"), partial: try values.get("partial"), complete: try values.get("complete"))
            }
            return outcomes
        }
    }

    /// The stored versions of `questionnaireID` that complete responses matching `filter` were
    /// answered on, with how many each, oldest first.
    public func versionCounts(questionnaireID: String, filter: ResponseFilter) throws(SurveyStoreError) -> [VersionCount] {
        try run("count responses by questionnaire version") {
            var conditions = ["q.text = ?", "a.complete = 1"]
            var parameters: [SQLBindable] = [questionnaireID]
            if let from = filter.from.flatMap(DateText.dayNumber) { conditions.append("a.day >= ?"); parameters.append(from) }
            if let to = filter.to.flatMap(DateText.dayNumber) { conditions.append("a.day <= ?"); parameters.append(to) }
            if let borough = filter.borough { conditions.append("a.borough = (SELECT id FROM analysis_labels WHERE text = ?)"); parameters.append(borough) }
            var counts: [VersionCount] = []
            try db.prepare("""
                SELECT v.version AS version, v.declared_version AS declared, count(*) AS responses
                FROM analysis_responses a NOT INDEXED JOIN analysis_labels q ON q.id = a.questionnaire JOIN questionnaire_versions v ON v.id = a.version_id
                WHERE \(conditions.joined(separator: " AND ")) GROUP BY v.id ORDER BY v.version
                """).forEach(parameters) { row in
                let values = row.row()
                counts.append(VersionCount(version: try values.get("version"), declaredVersion: try values.get("declared"), responses: try values.get("responses")))
            }
            return counts
        }
    }
}

/// One choice's count among a question's answers in one ward.
public struct WardChoiceCount: Equatable, Sendable {
    public var ward: String?
    public var code: String
    public var count: Int
}

extension SurveyStore {
    /// The analysis generation: a number that moves whenever a write changes what analysis
    /// reads (kept by triggers on the analysis table, schema migration 7), the same on every
    /// connection, so a cache of figures knows when they are stale.
    public func analysisGeneration() throws(SurveyStoreError) -> Int64 {
        try run("read the analysis generation") {
            try db.scalar("SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'analysis_generation'").int64 ?? 0
        }
    }

    /// How often each choice of each of `questionIDs` was answered in complete responses to
    /// `questionnaireID`, by the ward the analysis table holds (nil when not recorded), on or
    /// after `from` when given, by question id. One pass through the responses' version index
    /// (a poll is a small share of a database), each response's ward and day from its analysis row.
    public func choiceCountsByWard(questionnaireID: String, questionIDs: [String], from: String? = nil) throws(SurveyStoreError) -> [String: [WardChoiceCount]] {
        try run("count answers by ward") {
            guard !questionIDs.isEmpty else { return [:] }
            var conditions = ["v.questionnaire_id = ?", "r.status = 'complete'"]
            var parameters: [SQLBindable] = questionIDs + [questionnaireID]
            if let from = from.flatMap(DateText.dayNumber) { conditions.append("ar.day >= ?"); parameters.append(from) }
            var counts: [String: [WardChoiceCount]] = [:]
            try db.prepare("""
                SELECT a.question_id AS question, w.text AS ward, a.value AS code, count(*) AS n
                FROM questionnaire_versions v JOIN responses r ON r.questionnaire_version_id = v.id
                JOIN answers a ON a.response_id = r.id AND a.question_id IN (\(Array(repeating: "?", count: questionIDs.count).joined(separator: ", ")))
                JOIN analysis_responses ar ON ar.response_id = r.id
                LEFT JOIN analysis_labels w ON w.id = ar.ward
                WHERE \(conditions.joined(separator: " AND ")) GROUP BY a.question_id, ar.ward, a.value ORDER BY a.question_id, w.text, a.value
                """).forEach(parameters) { row in
                let values = row.row()
                counts[try values.get("question"), default: []].append(WardChoiceCount(ward: try values.get("ward"), code: try values.get("code"), count: try values.get("n")))
            }
            return counts
        }
    }
}
