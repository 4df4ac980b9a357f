import Foundation
import SurveyEngine
import SurveyStore

/// Finds the questionnaire a command names: a file path, or an id looked up first in the
/// database (if published there) and then as `DIR/ID.json` (default `Questionnaires/`).
struct QuestionnaireSource {
    let context: CLIContext

    /// Loads a questionnaire file, turning engine errors into CLI failures.
    func load(path: String) throws(CLIError) -> Questionnaire {
        do {
            return try QuestionnaireLoader.load(path: path)
        } catch {
            if case .unreadableFile = error { throw .failure("\(error)", status: ExitStatus.noInput) }
            throw .failure("\(error)", status: ExitStatus.dataError)
        }
    }

    /// Publishes the questionnaire of `path`, or the one named `id`, in `store` and returns the stored version.
    func resolve(path: String?, id: String?, directory: String?, store: SurveyStore) throws(CLIError) -> PublishedQuestionnaire {
        if let path {
            return try publish(try load(path: path), in: store)
        }
        guard let id else { throw .missingArgument("a questionnaire file or --questionnaire ID", command: "run") }
        if let published = try storeCall({ () throws(SurveyStoreError) in try store.latest(id) }) { return published }
        let file = (directory ?? "Questionnaires") + "/\(id).json"
        guard FileManager.default.fileExists(atPath: file) else {
            throw .failure("questionnaire '\(id)' is neither in the database nor at \(file); give its file, or --questionnaires DIR", status: ExitStatus.noInput)
        }
        return try publish(try load(path: file), in: store)
    }

    private func publish(_ questionnaire: Questionnaire, in store: SurveyStore) throws(CLIError) -> PublishedQuestionnaire {
        let published = try storeCall { () throws(SurveyStoreError) in try store.publish(questionnaire) }
        if published.isNew {
            context.err("Stored \(questionnaire.id) as version \(published.version) in the database.\n")
        }
        return published
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
    case .responseNotFound, .invitationNotFound, .questionnaireNotPublished: status = ExitStatus.noInput
    case .responseAlreadyComplete: status = ExitStatus.dataError
    case .responseChanged: status = ExitStatus.temporaryFailure
    default: status = error.isStorageFailure ? ExitStatus.ioError : ExitStatus.software
    }
    return .failure("\(error)", status: status)
}

/// Opens the store at `path`, or fails with a message that names the path.
func openStore(_ path: String, clock: @escaping () -> Date) throws(CLIError) -> SurveyStore {
    do {
        return try SurveyStore(path: path, clock: clock)
    } catch {
        throw .failure("\(error)", status: ExitStatus.cannotCreate)
    }
}
