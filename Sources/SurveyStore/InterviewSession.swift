import SurveyEngine

/// An interview being saved step by step (the terminal's): the response is created on the first
/// save, so an abandoned start leaves nothing. Each save names the revision this session last
/// read or wrote, so an answer given meanwhile on the web (or in another terminal) is never
/// overwritten: the save fails with `responseChanged` instead, and the interviewer resumes from
/// the latest answers.
public struct InterviewSession {
    public let store: SurveyStore
    public let published: PublishedQuestionnaire
    public let origin: ResponseOrigin
    public private(set) var responseID: Int64?
    public private(set) var revision: Int64

    public init(store: SurveyStore, published: PublishedQuestionnaire, origin: ResponseOrigin, responseID: Int64? = nil, revision: Int64 = 0) {
        self.store = store
        self.published = published
        self.origin = origin
        self.responseID = responseID
        self.revision = revision
    }

    /// Saves `state` (and with `complete`, submits it).
    public mutating func save(_ state: InterviewState, complete: Bool) throws(SurveyStoreError) {
        let id: Int64
        if let existing = responseID {
            id = existing
        } else {
            id = try store.startResponse(versionID: published.versionID, origin: origin)
            responseID = id
            revision = 0
        }
        revision = try store.save(responseID: id, state: state, questionnaire: published.questionnaire, complete: complete,
                                  revision: revision).revision
    }
}
