/// How the victim first reported the ASB (`cases.channel`).
public enum CaseChannel: String, Sendable, CaseIterable {
    case phone999 = "phone-999", phone101 = "phone-101", online, inPerson = "in-person", partner, other
}

/// The highest rung a case reached on the escalation ladder, lowest first (`cases.highest_stage`).
public enum EscalationStage: String, Sendable, CaseIterable, Comparable {
    case none, warning1 = "warning-1", warning2 = "warning-2", homeVisit = "warning-3-home-visit"
    case cpw, cpn, cbo, injunction, closure, eviction

    public static func < (a: EscalationStage, b: EscalationStage) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// How a case ended, or stands (`cases.outcome`).
public enum CaseOutcome: String, Sendable, CaseIterable {
    case resolved, ongoing, unresolved, noFurtherAction = "no-further-action"
}

/// Where the victim stands with the ASB Case Review, formerly the Community Trigger.
public enum CaseReviewState: String, Sendable, CaseIterable {
    case none, told, requested, held
}

/// One ASB case as a case-management system exports it. Holds no name or contact detail: a
/// response reaches its case only through its invitation.
public struct CaseRecord: Equatable, Sendable {
    public var caseRef: String
    /// The ONS code and the name of the borough.
    public var boroughCode: String
    public var borough: String
    public var ward: String?
    /// `YYYY-MM-DD`.
    public var opened: String
    public var closed: String?
    public var channel: CaseChannel
    public var repeatVictim: Bool
    public var vulnerableVictim: Bool
    public var highestStage: EscalationStage
    public var outcome: CaseOutcome
    public var complaints6m: Int?
    public var caseReview: CaseReviewState?
    public var doNotContact: Bool

    public init(caseRef: String, boroughCode: String, borough: String, ward: String? = nil, opened: String, closed: String? = nil,
                channel: CaseChannel, repeatVictim: Bool, vulnerableVictim: Bool, highestStage: EscalationStage, outcome: CaseOutcome,
                complaints6m: Int? = nil, caseReview: CaseReviewState? = nil, doNotContact: Bool = false) {
        self.caseRef = caseRef
        self.boroughCode = boroughCode
        self.borough = borough
        self.ward = ward
        self.opened = opened
        self.closed = closed
        self.channel = channel
        self.repeatVictim = repeatVictim
        self.vulnerableVictim = vulnerableVictim
        self.highestStage = highestStage
        self.outcome = outcome
        self.complaints6m = complaints6m
        self.caseReview = caseReview
        self.doNotContact = doNotContact
    }
}

/// One action on a case (the optional events file), for days to first action.
public struct CaseEvent: Equatable, Sendable {
    public var caseRef: String
    public var date: String
    public var action: String

    public init(caseRef: String, date: String, action: String) {
        self.caseRef = caseRef
        self.date = date
        self.action = action
    }
}
