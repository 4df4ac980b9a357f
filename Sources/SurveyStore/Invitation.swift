/// An invitation to one ASB case's victim: the link's token is never stored, only its SHA-256.
public struct Invitation: Equatable, Sendable {
    public var id: Int64
    public var questionnaireID: String
    public var caseRef: String
    public var borough: String
    public var ward: String?
    public var repeatVictim: Bool
    public var vulnerable: Bool
    /// The response started from this invitation, if any.
    public var responseID: Int64?

    public init(id: Int64 = 0, questionnaireID: String, caseRef: String, borough: String, ward: String? = nil,
                repeatVictim: Bool = false, vulnerable: Bool = false, responseID: Int64? = nil) {
        self.id = id
        self.questionnaireID = questionnaireID
        self.caseRef = caseRef
        self.borough = borough
        self.ward = ward
        self.repeatVictim = repeatVictim
        self.vulnerable = vulnerable
        self.responseID = responseID
    }
}
