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
    /// answered on, with how many each, oldest first: slot −1 of the day cells (every complete
    /// response, by version) in the range, instead of a scan of every analysis row.
    public func versionCounts(questionnaireID: String, filter: ResponseFilter) throws(SurveyStoreError) -> [VersionCount] {
        try run("count responses by questionnaire version") {
            var conditions = ["c.questionnaire = (SELECT id FROM analysis_labels WHERE text = ?)", "c.complete = 1", "c.slot = -1", "c.n > 0"]
            var parameters: [SQLBindable] = [questionnaireID]
            if let from = filter.from.flatMap(DateText.dayNumber) { conditions.append("c.day >= ?"); parameters.append(from) }
            if let to = filter.to.flatMap(DateText.dayNumber) { conditions.append("c.day >= 0 AND c.day <= ?"); parameters.append(to) }
            if let borough = filter.borough { conditions.append("c.borough = (SELECT id FROM analysis_labels WHERE text = ?)"); parameters.append(borough) }
            var counts: [VersionCount] = []
            try db.prepare("""
                SELECT v.version AS version, v.declared_version AS declared, sum(c.n) AS responses
                FROM analysis_cells c JOIN questionnaire_versions v ON v.id = c.version_id
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

    /// How often each of the given choices of each question was answered in complete responses
    /// to `questionnaireID`, by the ward the analysis table holds (nil when not recorded), on or
    /// after `from` when given, by question id, wards in order. One pass through the responses'
    /// version index (a poll is a small share of a database), each response's ward and day from
    /// its analysis row, then all its answers by the answers' primary key (CROSS JOIN keeps SQLite to
    /// that order; a list of the wanted questions in the join cost more than it saved, so they are
    /// picked out here by their bytes). Each (question, choice) pair is counted in an array per ward: grouping
    /// in SQL built two temporary B-trees, and text keys in a dictionary or numbered by a CASE in
    /// the query cost as much again.
    public func choiceCountsByWard(questionnaireID: String, questions: [(id: String, codes: [String])],
                                   from: String? = nil) throws(SurveyStoreError) -> [String: [WardChoiceCount]] {
        try run("count answers by ward") {
            let pairs = questions.flatMap { question in question.codes.map { (question: question.id, code: $0) } }
            guard !pairs.isEmpty else { return [:] }
            var parameters: [SQLBindable] = [questionnaireID]
            var conditions = ["v.questionnaire_id = ?", "r.status = 'complete'"]
            if let from = from.flatMap(DateText.dayNumber) { conditions.append("ar.day >= ?"); parameters.append(from) }
            // Each row's (question, choice) pair found by comparing bytes, no string made.
            let keys = pairs.map { (question: Array($0.question.utf8), code: Array($0.code.utf8)) }
            var byWard: [Int64: [Int]] = [:]
            try db.prepare("""
                SELECT a.question_id, a.value, coalesce(ar.ward, -1)
                FROM questionnaire_versions v CROSS JOIN responses r ON r.questionnaire_version_id = v.id
                CROSS JOIN analysis_responses ar ON ar.response_id = r.id
                CROSS JOIN answers a ON a.response_id = r.id
                WHERE \(conditions.joined(separator: " AND "))
                """).forEach(parameters) { row in
                let index = row.withTextBytes(at: 0) { question in
                    row.withTextBytes(at: 1) { code in
                        keys.firstIndex { $0.code.elementsEqual(code) && $0.question.elementsEqual(question) }
                    }
                }
                guard let index else { return }
                byWard[row.int64(at: 2), default: Array(repeating: 0, count: pairs.count)][index] += 1
            }
            var names: [Int64: String] = [:]
            let known = byWard.keys.filter { $0 >= 0 }
            if !known.isEmpty {
                try db.prepare("SELECT id, text FROM analysis_labels WHERE id IN (\(known.map(String.init).joined(separator: ", ")))").forEach { row in
                    names[row.int64(at: 0)] = row.value(at: 1).string
                }
            }
            // Wards in SQLite's order (bytes; no ward first), each ward's choices in code order.
            let wards = byWard.keys.map { ($0, $0 < 0 ? nil : names[$0]) }.sorted { a, b in
                guard let x = a.1 else { return b.1 != nil }
                guard let y = b.1 else { return false }
                return x.utf8.lexicographicallyPrecedes(y.utf8)
            }
            let inCodeOrder = pairs.indices.sorted { pairs[$0].code.utf8.lexicographicallyPrecedes(pairs[$1].code.utf8) }
            var counts: [String: [WardChoiceCount]] = [:]
            for (id, name) in wards {
                guard let tally = byWard[id] else { continue }
                for index in inCodeOrder where tally[index] > 0 {
                    counts[pairs[index].question, default: []].append(WardChoiceCount(ward: name, code: pairs[index].code, count: tally[index]))
                }
            }
            return counts
        }
    }
}
