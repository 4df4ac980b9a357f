import SurveyStore

/// Why the demo data set could not be built, with what to do.
public enum DemoError: Error, CustomStringConvertible {
    /// The borough list is missing or malformed: the path, the line and what is wrong.
    case boroughList(path: String, line: Int, reason: String)
    /// The questionnaire the demo answers lacks what the demo needs.
    case questionnaire(id: String, reason: String)
    /// A generated response did not pass the interview engine's rules (a bug in the generator).
    case invalidResponse(questionnaire: String, reason: String)
    case store(SurveyStoreError)

    public var description: String {
        switch self {
        case .boroughList(let path, let line, let reason):
            return "\(path):\(line): \(reason) (expected the columns ons_code,name,demo_wards,demo_volume; run from the Canvass folder or give --fixtures DIR)"
        case .questionnaire(let id, let reason):
            return "questionnaire '\(id)' cannot be used for the demo: \(reason)"
        case .invalidResponse(let id, let reason):
            return "a generated response to \(id) broke the questionnaire's rules: \(reason)"
        case .store(let error):
            return "\(error)"
        }
    }
}
