import Foundation
import SurveyEngine
import SurveyStore

/// `canvass import responses`: brings existing survey data into the database, all rows or none.
struct ImportCommand {
    static let spec = CommandSpec(
        name: "import", summary: "Import existing survey responses from a CSV file: all rows or none.",
        arguments: "responses FILE.csv",
        options: [
            .init(name: "--db", value: "PATH", help: "SQLite database to import into. Required.", required: true),
            .init(name: "--questionnaire", value: "ID", help: "Questionnaire the rows answer. Required.", required: true),
            .init(name: "--questionnaires", value: "DIR", help: "Folder with ID.json if it is not in the database (default Questionnaires)."),
        ],
        minimumArguments: 2, maximumArguments: 2,
        details: """
        One row per respondent, one column per question id with choice codes as values (several codes
        separated by ';' for multiple-choice questions), plus optional borough, ward, completed_at
        (YYYY-MM-DD or ISO timestamp), weight and case_ref columns. Each row is checked exactly like an
        interview; the first bad row stops the import with its line, column and value, and nothing is stored.
        """)

    let context: CLIContext

    func run(_ arguments: ParsedArguments) throws(CLIError) -> Int32 {
        guard arguments.positionals[0] == "responses" else {
            throw .invalidValue(option: "what to import", value: arguments.positionals[0], expected: "responses", command: "import")
        }
        let path = arguments.positionals[1]
        let db = arguments.required("--db")
        let id = arguments.required("--questionnaire")
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw .failure("\(path): cannot read the file (no such file or not readable)", status: ExitStatus.noInput)
        }
        let store = try openStore(db, clock: context.clock)
        let published = try QuestionnaireSource(context: context).resolve(path: nil, id: id, directory: arguments.value("--questionnaires"), store: store)
        let interview = Interview(questionnaire: published.questionnaire, today: context.today)
        let now = ISO8601DateFormatter().string(from: context.clock())
        let started = Date()
        do {
            let reader = ReaderBox(try CSVResponseReader(path: path, interview: interview, defaultCompletion: now))
            let count = try store.importResponses(versionID: published.versionID, questionnaire: published.questionnaire,
                                                  next: { try reader.next() },
                                                  progress: { if $0 % 100_000 == 0 { context.err("… \($0) rows checked and written\n") } })
            let seconds = Date().timeIntervalSince(started)
            context.out("Imported \(count) responses to \(id) version \(published.version) in \(String(format: "%.1f", seconds)) s.\n")
            return ExitStatus.ok
        } catch let problem as ImportProblem {
            throw .failure("\(path): \(problem); nothing was imported", status: ExitStatus.dataError)
        } catch let error as SurveyStoreError {
            throw cliFailure(error)
        } catch {
            throw .failure("\(path): \(error); nothing was imported", status: ExitStatus.software)
        }
    }
}

/// Owns the CSV reader on the producer thread (only that thread calls `next`).
final class ReaderBox: @unchecked Sendable {
    private var reader: CSVResponseReader

    init(_ reader: CSVResponseReader) { self.reader = reader }

    func next() throws -> ImportedResponse? { try reader.next() }
}
