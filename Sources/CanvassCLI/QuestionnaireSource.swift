import Foundation
import SurveyEngine
import SurveyStore

/// Finds the questionnaire a command names through the store's one resolver
/// (`QuestionnaireResolver`), saying on standard error when a file became a new stored version.
struct QuestionnaireSource {
    let context: CLIContext

    /// Loads a questionnaire file, turning engine errors into CLI failures.
    func load(path: String) throws(CLIError) -> Questionnaire {
        try storeCall { () throws(SurveyStoreError) in try QuestionnaireResolver.load(path: path) }
    }

    /// Publishes the questionnaire of `path`, or the one named `id`, in `store` and returns the stored version.
    func resolve(path: String?, id: String?, directory: String?, store: SurveyStore) throws(CLIError) -> PublishedQuestionnaire {
        let resolver = QuestionnaireResolver(store: store, directory: directory)
        let published: PublishedQuestionnaire
        if let path {
            published = try storeCall { () throws(SurveyStoreError) in try resolver.publish(path: path) }
        } else if let id {
            guard case .published(let found) = try storeCall({ () throws(SurveyStoreError) in try resolver.questionnaire(id, publishing: true) }) else {
                throw .failure("questionnaire '\(id)' could not be stored", status: ExitStatus.software)
            }
            published = found
        } else {
            throw .missingArgument("a questionnaire file or --questionnaire ID", command: "run")
        }
        if published.isNew {
            context.err("Stored \(published.questionnaire.id) as version \(published.version) in the database.\n")
        }
        return published
    }

    /// The questionnaire `id` for analysis: as stored, else read from its file without storing it.
    func find(_ id: String, directory: String?, store: SurveyStore) throws(CLIError) -> Questionnaire {
        try storeCall { () throws(SurveyStoreError) in
            try QuestionnaireResolver(store: store, directory: directory).questionnaire(id, publishing: false).questionnaire
        }
    }
}

/// Runs a store call, turning its errors into CLI failures with the right exit status.
func storeCall<T>(_ body: () throws(SurveyStoreError) -> T) throws(CLIError) -> T {
    do {
        return try body()
    } catch {
        throw cliFailure(error)
    }
}

/// A store error as a CLI failure with the matching exit status.
func cliFailure(_ error: SurveyStoreError) -> CLIError {
    let status: Int32
    switch error {
    case .responseNotFound, .invitationNotFound, .questionnaireNotPublished, .questionnaireNotFound: status = ExitStatus.noInput
    case .questionnaireFile(.unreadableFile): status = ExitStatus.noInput
    case .questionnaireFile: status = ExitStatus.dataError
    case .responseAlreadyComplete: status = ExitStatus.dataError
    case .responseChanged: status = ExitStatus.temporaryFailure
    default: status = error.isStorageFailure ? ExitStatus.ioError : ExitStatus.software
    }
    return .failure("\(error)", status: status)
}

/// Opens the store at an existing `path` (for commands that only read or check it), or fails
/// with a message that names the path instead of creating an empty database.
func openExistingStore(_ path: String, context: CLIContext) throws(CLIError) -> SurveyStore {
    guard FileManager.default.fileExists(atPath: path) else {
        throw .failure("\(path): no such database (check the path; 'canvass demo --db \(path)' makes one to try things on)", status: ExitStatus.noInput)
    }
    return try openStore(path, context: context)
}

/// Opens the store at `path`, or fails with a message that names the path; an upgrade of its
/// schema is said on standard error before it runs.
func openStore(_ path: String, context: CLIContext) throws(CLIError) -> SurveyStore {
    do {
        return try SurveyStore(path: path, clock: context.clock) { context.err($0 + "\n") }
    } catch {
        throw .failure("\(error)", status: ExitStatus.cannotCreate)
    }
}
