/// What an audit entry records.
public enum AuditAction: String, CaseIterable, Sendable {
    case importResponses = "import-responses"
    case importCases = "import-cases"
    case export
    case erasure
    case retention
    case invitations
    case analystSignIn = "analyst-sign-in"
    case backup
}

/// One line of the audit log: who, when, what kind, and how much; never the content.
public struct AuditEntry: Equatable, Sendable {
    public var id: Int64
    /// ISO 8601, UTC, milliseconds.
    public var at: String
    /// The operating-system user for commands, "analyst from ADDRESS" for sign-ins.
    public var actor: String
    public var action: AuditAction
    /// The kind of thing acted on ("case", "response", "questionnaire asb-victim-satisfaction").
    public var subject: String
    /// Counts and options, in words.
    public var detail: String
}
