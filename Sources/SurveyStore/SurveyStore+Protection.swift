import Hashing
import SQLite

/// Data protection: the audit log, erasure, retention and backup.
extension SurveyStore {
    /// Adds an audit entry (in the caller's transaction, when there is one).
    public func recordAudit(_ action: AuditAction, actor: String, subject: String, detail: String) throws(SurveyStoreError) {
        try run("write the audit log") { try insertAudit(action, actor: actor, subject: subject, detail: detail) }
    }

    func insertAudit(_ action: AuditAction, actor: String, subject: String, detail: String) throws {
        try db.execute("INSERT INTO audit_log(at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
                       [timestamp(), actor, action.rawValue, subject, detail])
    }

    /// The audit log from `since` (`YYYY-MM-DD`, inclusive) on, oldest first.
    public func auditEntries(since: String? = nil) throws(SurveyStoreError) -> [AuditEntry] {
        try run("read the audit log") {
            try db.rows("SELECT id, at, actor, action, subject, detail FROM audit_log WHERE at >= ? ORDER BY id", [since ?? ""]).map { row in
                AuditEntry(id: try row.get("id"), at: try row.get("at"), actor: try row.get("actor"),
                           action: try row.enumValue("action", AuditAction.self), subject: try row.get("subject"), detail: try row.get("detail"))
            }
        }
    }

    /// Deletes everything of `target`'s respondent: their responses (complete and partial) with
    /// their answers, analysis rows and web sessions, the invitations that reached them, and for
    /// a case the case record and its events; then the labels no response uses any more. One
    /// transaction with `secure_delete` on (freed pages are zeroed), an audit entry inside it
    /// (the kind of target and the counts, never the content), then a truncating checkpoint so
    /// that no old page is left in the write-ahead log. Returns what was removed.
    public func erase(_ target: ErasureTarget, actor: String) throws(SurveyStoreError) -> ErasureReport {
        try run("erase \(target)") {
            let report = try withSecureDelete {
                try db.transaction { () throws -> ErasureReport in
                    let (responses, invitations, caseRefs) = try erasureSet(target)
                    var report = try delete(responses: responses, invitations: invitations, caseRefs: caseRefs)
                    if !report.isEmpty {
                        report.labels = try deleteUnusedLabels()
                        try insertAudit(.erasure, actor: actor, subject: target.kind, detail: report.description)
                    }
                    return report
                }
            }
            guard !report.isEmpty else { return report }
            var checked = report
            checked.checkpoint = try db.checkpointTruncating()
            return checked
        }
    }

    /// The responses, invitations and cases an erasure of `target` removes.
    private func erasureSet(_ target: ErasureTarget) throws -> (responses: [Int64], invitations: [Int64], caseRefs: [String]) {
        switch target {
        case .caseRef(let ref):
            let invitations = try db.rows("SELECT id FROM invitations WHERE case_ref = ?", [ref]).map { try $0.get("id", as: Int64.self) }
            let responses = try db.rows("""
                SELECT r.id FROM responses r JOIN invitations i ON i.id = r.invitation_id WHERE i.case_ref = ?
                UNION SELECT id FROM responses WHERE case_ref = ?
                """, [ref, ref]).map { try $0.get("id", as: Int64.self) }
            return (responses, invitations, [ref])
        case .response(let id):
            let invitation = try db.scalar("SELECT invitation_id FROM responses WHERE id = ?", [id]).int64
            let exists = try db.scalar("SELECT count(*) FROM responses WHERE id = ?", [id]).int64 == 1
            return (exists ? [id] : [], invitation.map { [$0] } ?? [], [])
        case .token(let token):
            guard Self.isWellFormedToken(token) else { return ([], [], []) }
            let hash = SHA256.hex(token)
            if let invitation = try db.scalar("SELECT id FROM invitations WHERE token_hash = ?", [hash]).int64 {
                let responses = try db.rows("SELECT id FROM responses WHERE invitation_id = ?", [invitation]).map { try $0.get("id", as: Int64.self) }
                return (responses, [invitation], [])
            }
            guard let response = try db.scalar("SELECT response_id FROM web_sessions WHERE token_hash = ?", [hash]).int64 else { return ([], [], []) }
            return ([response], [], [])
        }
    }

    /// Deletes the given rows and what hangs off them, counting each kind.
    private func delete(responses: [Int64], invitations: [Int64], caseRefs: [String]) throws -> ErasureReport {
        var report = ErasureReport()
        for id in responses {
            try db.cached("DELETE FROM web_sessions WHERE response_id = ?").execute([id])
            report.webSessions += db.changes
            try db.cached("DELETE FROM answers WHERE response_id = ?").execute([id])
            report.answers += db.changes
            try db.cached("DELETE FROM analysis_responses WHERE response_id = ?").execute([id])
            try db.cached("DELETE FROM responses WHERE id = ?").execute([id])
            report.responses += db.changes
        }
        for id in invitations {
            try db.cached("DELETE FROM invitations WHERE id = ?").execute([id])
            report.invitations += db.changes
        }
        for ref in caseRefs {
            try db.cached("DELETE FROM case_events WHERE case_ref = ?").execute([ref])
            report.caseEvents += db.changes
            try db.cached("DELETE FROM cases WHERE case_ref = ?").execute([ref])
            report.cases += db.changes
        }
        return report
    }

    /// Removes analysis labels (questionnaire ids, borough, ward and language texts) that no
    /// analysis row uses: a ward typed by one respondent must go with their response.
    private func deleteUnusedLabels() throws -> Int {
        try db.execute("""
            DELETE FROM analysis_labels WHERE id NOT IN (
                SELECT questionnaire FROM analysis_responses UNION SELECT borough FROM analysis_responses WHERE borough IS NOT NULL
                UNION SELECT ward FROM analysis_responses WHERE ward IS NOT NULL UNION SELECT language FROM analysis_responses)
            """)
        let removed = db.changes
        if removed > 0 { analysisCache.labels.removeAll() }
        return removed
    }

    /// Runs `body` with `PRAGMA secure_delete` on, restoring the setting after.
    private func withSecureDelete<T>(_ body: () throws -> T) throws -> T {
        let previous = try db.scalar("PRAGMA secure_delete").int64 ?? 0
        try db.execute("PRAGMA secure_delete = ON")
        defer { try? db.execute("PRAGMA secure_delete = \(previous == 0 ? "OFF" : "ON")") }
        return try body()
    }

    /// Deletes everything last touched before `cutoff` (`YYYY-MM-DD`): responses completed (or,
    /// when partial, last saved) before it, with their answers, analysis rows, web sessions and
    /// invitations, and cases closed before it that no later response reaches, with their events
    /// and invitations. As `erase`, in one transaction with `secure_delete`. A dry run does the
    /// same work and rolls it back, so it reports exactly what the real run removes.
    public func retain(before cutoff: String, dryRun: Bool, actor: String) throws(SurveyStoreError) -> ErasureReport {
        /// Thrown to roll the dry run back once its report is made.
        struct RollBack: Error {}
        return try run("apply the retention period") {
            var planned = ErasureReport()
            do {
                let report = try withSecureDelete {
                    try db.transaction { () throws -> ErasureReport in
                        let report = try deleteExpired(before: cutoff, actor: actor)
                        if dryRun {
                            planned = report
                            throw RollBack()
                        }
                        return report
                    }
                }
                guard !report.isEmpty else { return report }
                var checked = report
                checked.checkpoint = try db.checkpointTruncating()
                return checked
            } catch is RollBack {
                return planned
            }
        }
    }

    /// The deletions of a retention run, inside its transaction.
    private func deleteExpired(before cutoff: String, actor: String) throws -> ErasureReport {
        let responses = try db.rows("SELECT id FROM responses WHERE coalesce(completed_at, updated_at) < ?", [cutoff])
            .map { try $0.get("id", as: Int64.self) }
        let cases = try db.rows("""
            SELECT c.case_ref FROM cases c WHERE c.closed IS NOT NULL AND c.closed < ? AND NOT EXISTS (
                SELECT 1 FROM invitations i JOIN responses r ON r.invitation_id = i.id
                WHERE i.case_ref = c.case_ref AND coalesce(r.completed_at, r.updated_at) >= ?)
            """, [cutoff, cutoff]).map { try $0.get("case_ref", as: String.self) }
        let caseSet = Set(cases), responseSet = Set(responses)
        // Invitations of the removed responses, and of the removed cases.
        var invitations: [Int64] = []
        try db.prepare("SELECT i.id AS id, i.case_ref AS ref, r.id AS response FROM invitations i LEFT JOIN responses r ON r.invitation_id = i.id")
            .forEach { row in
                let values = row.row()
                let response: Int64? = try values.get("response")
                if caseSet.contains(try values.get("ref")) || response.map(responseSet.contains) == true { invitations.append(try values.get("id")) }
            }
        var report = try delete(responses: responses, invitations: invitations, caseRefs: cases)
        if !report.isEmpty {
            report.labels = try deleteUnusedLabels()
            try insertAudit(.retention, actor: actor, subject: "everything before \(cutoff)", detail: report.description)
        }
        return report
    }
}

extension SurveyStore {
    /// Writes a consistent copy of the whole database to `path` (which must not exist) with
    /// SQLite's online backup API while others go on writing, and records it in the audit log
    /// first, so that the copy holds its own entry.
    public func backup(to path: String, actor: String) throws(SurveyStoreError) {
        try run("back up to \(path)") {
            try insertAudit(.backup, actor: actor, subject: "database", detail: "copy written to \(path)")
            try db.backup(to: path)
        }
    }
}
