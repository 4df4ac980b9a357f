import Hashing
import SQLite

extension SurveyStore {
    /// True for strings shaped like our tokens (32 lowercase hex digits), checked before any lookup.
    public static func isWellFormedToken(_ token: String) -> Bool {
        var token = token
        return token.withUTF8 { bytes in bytes.count == 32 && bytes.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) } }
    }

    /// Stores an invitation and returns its token (128 random bits, shown once; only its hash is kept).
    public func createInvitation(_ invitation: Invitation, token: String = RandomToken.hex()) throws(SurveyStoreError) -> String {
        try run("create an invitation for case \(invitation.caseRef)") {
            try db.execute("""
                INSERT INTO invitations(token_hash, questionnaire_id, case_ref, borough, ward, repeat_victim, vulnerable, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [SHA256.hex(token), invitation.questionnaireID, invitation.caseRef, invitation.borough, invitation.ward,
                      invitation.repeatVictim, invitation.vulnerable, timestamp()])
        }
        return token
    }

    /// The invitation whose link carries `token`, with its response if one was started.
    public func invitation(token: String) throws(SurveyStoreError) -> Invitation? {
        guard Self.isWellFormedToken(token) else { return nil }
        return try run("look up an invitation") {
            guard let row = try db.firstRow("""
                SELECT i.id, i.questionnaire_id, i.case_ref, i.borough, i.ward, i.repeat_victim, i.vulnerable, r.id AS response_id
                FROM invitations i LEFT JOIN responses r ON r.invitation_id = i.id
                WHERE i.token_hash = ?
                """, [SHA256.hex(token)]) else { return nil }
            return Invitation(id: try row.get("id"), questionnaireID: try row.get("questionnaire_id"), caseRef: try row.get("case_ref"),
                              borough: try row.get("borough"), ward: try row.get("ward"), repeatVictim: try row.get("repeat_victim"),
                              vulnerable: try row.get("vulnerable"), responseID: try row.get("response_id"))
        }
    }

    /// Attaches a new web session token to a response (public polls) and returns the token.
    public func createWebSession(responseID: Int64, token: String = RandomToken.hex()) throws(SurveyStoreError) -> String {
        try run("create a web session") {
            try db.execute("INSERT INTO web_sessions(token_hash, response_id, created_at) VALUES (?, ?, ?)",
                           [SHA256.hex(token), responseID, timestamp()])
        }
        return token
    }

    /// The response a web session token belongs to.
    public func responseID(sessionToken: String) throws(SurveyStoreError) -> Int64? {
        guard Self.isWellFormedToken(sessionToken) else { return nil }
        return try run("look up a web session") {
            try db.scalar("SELECT response_id FROM web_sessions WHERE token_hash = ?", [SHA256.hex(sessionToken)]).int64
        }
    }

    /// Stores `value` under `key` unless a value is already there; returns the value in force.
    @discardableResult
    public func settingIfAbsent(_ key: String, _ value: String) throws(SurveyStoreError) -> String {
        try run("store setting \(key)") {
            try db.execute("INSERT OR IGNORE INTO settings(key, value) VALUES (?, ?)", [key, value])
            return try db.scalar("SELECT value FROM settings WHERE key = ?", [key]).string ?? value
        }
    }

    /// Sets the response's ward (public polls opened with `?ward=`). Like every change to a
    /// response, it moves the revision on, so a copy read before is not taken as current.
    public func setWard(responseID: Int64, ward: String) throws(SurveyStoreError) {
        try run("record the ward") {
            try db.transaction {
                try db.execute("UPDATE responses SET ward = ?, revision = revision + 1 WHERE id = ?", [ward, responseID])
                try refreshAnalysis(responseID: responseID)
            }
        }
    }
}
