import Foundation
import SurveyEngine

/// The one way a command finds the questionnaire it names: by file path, or by id, first as the
/// newest version published in the database, then as `DIR/ID.json` (default `Questionnaires/`).
public struct QuestionnaireResolver {
    public let store: SurveyStore
    public let directory: String

    public init(store: SurveyStore, directory: String? = nil) {
        self.store = store
        self.directory = directory ?? "Questionnaires"
    }

    /// Loads the questionnaire file at `path`.
    public static func load(path: String) throws(SurveyStoreError) -> Questionnaire {
        do {
            return try QuestionnaireLoader.load(path: path)
        } catch {
            throw .questionnaireFile(error)
        }
    }

    /// Publishes the questionnaire file at `path` (a changed file becomes a new version).
    public func publish(path: String) throws(SurveyStoreError) -> PublishedQuestionnaire {
        try store.publish(try Self.load(path: path))
    }

    /// The questionnaire `id`: the newest version in the database, else the file `DIR/ID.json`,
    /// which is published first when `publishing` (responses must point at a stored version) and
    /// otherwise only read (analysis of a database that has none of its responses yet).
    public func questionnaire(_ id: String, publishing: Bool) throws(SurveyStoreError) -> ResolvedQuestionnaire {
        if let published = try store.latest(id) { return .published(published) }
        let file = directory + "/\(id).json"
        guard FileManager.default.fileExists(atPath: file) else { throw .questionnaireNotFound(id: id, file: file) }
        return publishing ? .published(try publish(path: file)) : .file(try Self.load(path: file), path: file)
    }

    /// Publishes every `.json` file in the directory, in name order: each file's version, or why
    /// it does not load.
    public func publishAll() -> [(path: String, result: Result<PublishedQuestionnaire, SurveyStoreError>)] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.sorted().filter { $0.hasSuffix(".json") }.map { name in
            let path = directory + "/" + name
            do throws(SurveyStoreError) {
                return (path, .success(try publish(path: path)))
            } catch {
                return (path, .failure(error))
            }
        }
    }
}

/// A questionnaire as the resolver found it.
public enum ResolvedQuestionnaire {
    case published(PublishedQuestionnaire)
    /// Read from a file, not published.
    case file(Questionnaire, path: String)

    public var questionnaire: Questionnaire {
        switch self {
        case .published(let published): published.questionnaire
        case .file(let questionnaire, _): questionnaire
        }
    }
}
