import Hashing
import SQLite
import SurveyEngine

/// What an import of cases did.
public struct CaseImportSummary: Equatable, Sendable {
    public var inserted: Int
    public var updated: Int
    public var events: Int
    /// Responses whose analysis rows were brought up to date with their cases.
    public var responsesLinked: Int
}

extension SurveyStore {
    /// Imports cases from `next` (nil at the end) and `events`, in one transaction: a case whose
    /// `case_ref` is stored already is updated, the events file replaces the events of the cases it
    /// names, days to first action and days open are worked out (days open to `today` while a
    /// case is open), and the analysis rows of the responses that reach these cases through their
    /// invitations follow. If anything fails, nothing is stored and the error is rethrown.
    public func importCases(next: () throws -> CaseRecord?, events: [CaseEvent], today: String,
                            progress: (Int) -> Void = { _ in }) throws -> CaseImportSummary {
        do {
            return try withBulkCache { try db.transaction {
                var summary = CaseImportSummary(inserted: 0, updated: 0, events: 0, responsesLinked: 0)
                var refs: [String] = []
                // Days open are worked out as each case is written; days to first action, which
                // need the events, afterwards for the cases that have any (a second pass over
                // every case rewrote a million rows to change nothing).
                let upsert = try db.prepare("""
                    INSERT INTO cases(case_ref, borough_code, borough, ward, opened, closed, channel, repeat_victim, vulnerable_victim,
                                      highest_stage, outcome, complaints_6m, case_review, do_not_contact, updated_at, days_open, days_to_first_action)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
                            max(0, CAST(julianday(coalesce(?6, ?16)) - julianday(?5) AS INTEGER)), NULL)
                    ON CONFLICT(case_ref) DO UPDATE SET borough_code = excluded.borough_code, borough = excluded.borough, ward = excluded.ward,
                        opened = excluded.opened, closed = excluded.closed, channel = excluded.channel, repeat_victim = excluded.repeat_victim,
                        vulnerable_victim = excluded.vulnerable_victim, highest_stage = excluded.highest_stage, outcome = excluded.outcome,
                        complaints_6m = excluded.complaints_6m, case_review = excluded.case_review, do_not_contact = excluded.do_not_contact,
                        updated_at = excluded.updated_at, days_open = excluded.days_open, days_to_first_action = NULL
                    """)
                let now = timestamp()
                // New and updated cases told apart by the count (each row written is one or the other).
                let before = try db.scalar("SELECT count(*) FROM cases").int ?? 0
                while let record = try next() {
                    try upsert.execute([record.caseRef, record.boroughCode, record.borough, record.ward, record.opened, record.closed,
                                        record.channel.rawValue, record.repeatVictim, record.vulnerableVictim, record.highestStage.rawValue,
                                        record.outcome.rawValue, record.complaints6m, record.caseReview?.rawValue, record.doNotContact, now, today])
                    refs.append(record.caseRef)
                    if refs.count % 10_000 == 0 { progress(refs.count) }
                }
                summary.inserted = (try db.scalar("SELECT count(*) FROM cases").int ?? 0) - before
                summary.updated = refs.count - summary.inserted
                let named = Set(events.map(\.caseRef))
                for ref in named.sorted() {
                    guard try db.scalar("SELECT count(*) FROM cases WHERE case_ref = ?", [ref]).int == 1 else {
                        throw SurveyStoreError.caseNotFound(ref)
                    }
                    try db.execute("DELETE FROM case_events WHERE case_ref = ?", [ref])
                }
                let insertEvent = try db.prepare("INSERT INTO case_events(case_ref, date, action) VALUES (?, ?, ?)")
                for event in events { try insertEvent.execute([event.caseRef, event.date, event.action]) }
                summary.events = events.count
                // The cases touched, in a temporary table: the days and the linked responses are
                // then worked out by one statement each, not one per case.
                try db.execute("CREATE TEMP TABLE IF NOT EXISTS touched_cases(case_ref TEXT PRIMARY KEY) WITHOUT ROWID")
                try db.execute("DELETE FROM touched_cases")
                let touch = try db.prepare("INSERT OR IGNORE INTO touched_cases(case_ref) VALUES (?)")
                for ref in refs { try touch.execute([ref]) }
                for ref in named { try touch.execute([ref]) }
                try db.execute("""
                    UPDATE cases SET
                        days_open = max(0, CAST(julianday(coalesce(closed, ?)) - julianday(opened) AS INTEGER)),
                        days_to_first_action = (SELECT max(0, CAST(julianday(min(e.date)) - julianday(cases.opened) AS INTEGER))
                                                FROM case_events e WHERE e.case_ref = cases.case_ref AND e.action <> 'complaint')
                    WHERE case_ref IN (SELECT case_ref FROM touched_cases)
                      AND EXISTS (SELECT 1 FROM case_events e WHERE e.case_ref = cases.case_ref)
                    """, [today])
                let linked = try db.rows("""
                    SELECT r.id FROM responses r JOIN invitations i ON i.id = r.invitation_id
                    WHERE i.case_ref IN (SELECT case_ref FROM touched_cases) ORDER BY r.id
                    """).map { try $0.get("id", as: Int64.self) }
                for id in linked { try refreshAnalysis(responseID: id) }
                summary.responsesLinked = linked.count
                try db.execute("DELETE FROM touched_cases")
                return summary
            } }
        } catch let error as SQLiteError {
            throw SurveyStoreError.database(error, action: "import cases (nothing was stored)")
        }
    }

    /// One invitation to `questionnaireID` for each case closed on or after `closedSince` that has
    /// none yet and is not marked do-not-contact, in one transaction; returns each new invitation's
    /// case reference and token (shown once: only the token's hash is kept). Running it again
    /// creates nothing for the same cases.
    public func inviteClosedCases(questionnaireID: String, closedSince: String) throws(SurveyStoreError) -> [(caseRef: String, token: String)] {
        var created: [(caseRef: String, token: String)] = []
        try inviteClosedCases(questionnaireID: questionnaireID, closedSince: closedSince) { created.append(($0, $1)) }
        return created
    }

    /// As `inviteClosedCases(questionnaireID:closedSince:)`, handing each new invitation's case
    /// reference and token to `each` as it is made, so memory stays flat however many cases there
    /// are; `beforeCommit` runs last, inside the transaction (to make the tokens durable before the
    /// invitations are). If either throws, nothing is kept.
    public func inviteClosedCases(questionnaireID: String, closedSince: String,
                                  beforeCommit: () throws -> Void = {},
                                  each: (_ caseRef: String, _ token: String) throws -> Void) throws(SurveyStoreError) {
        try run("invite the cases closed since \(closedSince)") {
            try withBulkCache(mebibytes: 192) { try db.transaction {
                let now = timestamp()
                // The cases to invite are read a chunk at a time (a statement may not write the table
                // it is reading); those invited drop out of the next chunk's query.
                let select = try db.prepare("""
                    SELECT c.case_ref, c.borough, c.ward, c.repeat_victim, c.vulnerable_victim FROM cases c
                    WHERE c.closed >= ? AND c.do_not_contact = 0 AND c.case_ref > ?
                      AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.case_ref = c.case_ref AND i.questionnaire_id = ?)
                    ORDER BY c.case_ref LIMIT 10000
                    """)
                let insert = try db.prepare("""
                    INSERT INTO invitations(token_hash, questionnaire_id, case_ref, borough, ward, repeat_victim, vulnerable, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                var after = ""
                while true {
                    var chunk: [(ref: String, borough: String, ward: String?, repeat: Bool, vulnerable: Bool)] = []
                    try select.forEach([closedSince, after, questionnaireID]) { row in
                        let values = row.row()
                        chunk.append((try values.get("case_ref"), try values.get("borough"), try values.get("ward"),
                                      try values.get("repeat_victim"), try values.get("vulnerable_victim")))
                    }
                    guard let last = chunk.last else { return try beforeCommit() }
                    for c in chunk {
                        let token = RandomToken.hex()
                        try insert.execute([SHA256.hex(token), questionnaireID, c.ref, c.borough, c.ward, c.repeat, c.vulnerable, now])
                        try each(c.ref, token)
                    }
                    after = last.ref
                }
            } }
        }
    }

    /// The stored case `ref`, if any.
    public func caseRecord(_ ref: String) throws(SurveyStoreError) -> CaseRecord? {
        try run("read case \(ref)") {
            guard let row = try db.firstRow("SELECT * FROM cases WHERE case_ref = ?", [ref]) else { return nil }
            return CaseRecord(caseRef: try row.get("case_ref"), boroughCode: try row.get("borough_code"), borough: try row.get("borough"),
                              ward: try row.get("ward"), opened: try row.get("opened"), closed: try row.get("closed"),
                              channel: try row.enumValue("channel", CaseChannel.self), repeatVictim: try row.get("repeat_victim"),
                              vulnerableVictim: try row.get("vulnerable_victim"), highestStage: try row.enumValue("highest_stage", EscalationStage.self),
                              outcome: try row.enumValue("outcome", CaseOutcome.self), complaints6m: try row.get("complaints_6m"),
                              caseReview: try row.get(String?.self, "case_review").flatMap(CaseReviewState.init), doNotContact: try row.get("do_not_contact"))
        }
    }
}
