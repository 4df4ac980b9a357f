import SQLite

/// Whose data `erase` removes: every response reached through a case's invitations (and the
/// case itself), one response, or the response behind an invitation or web-session token.
public enum ErasureTarget: Equatable, Sendable, CustomStringConvertible {
    case caseRef(String)
    case response(Int64)
    case token(String)

    /// The kind of target, for the audit log (never the reference itself).
    public var kind: String {
        switch self {
        case .caseRef: "case"
        case .response: "response"
        case .token: "token"
        }
    }

    public var description: String {
        switch self {
        case .caseRef(let ref): "case \(ref)"
        case .response(let id): "response \(id)"
        case .token: "the response behind that token"
        }
    }
}

/// What an erasure or a retention run removed (or, in a dry run, would remove).
public struct ErasureReport: Equatable, Sendable, CustomStringConvertible {
    public var responses = 0
    public var answers = 0
    public var webSessions = 0
    public var invitations = 0
    public var cases = 0
    public var caseEvents = 0
    /// Analysis labels (borough and ward texts) no remaining response uses.
    public var labels = 0
    /// The checkpoint after the erasure: busy when a reader kept old pages in the write-ahead log.
    public var checkpoint: CheckpointResult?

    public init() {}

    public var isEmpty: Bool { responses == 0 && invitations == 0 && cases == 0 && webSessions == 0 }

    public var description: String {
        "\(responses) responses (\(answers) answers), \(webSessions) web sessions, \(invitations) invitations, \(cases) cases (\(caseEvents) events), \(labels) unused labels"
    }
}
