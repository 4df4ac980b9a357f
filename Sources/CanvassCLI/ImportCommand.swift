import CSV
import Foundation
import SurveyEngine
import SurveyStore
import XLSForm

/// `canvass import responses`: brings existing survey data into the database, all rows or none.
struct ImportCommand {
    static let spec = CommandSpec(
        name: "import", summary: "Import survey responses or ASB case records from a CSV file (all rows or none), or turn an XLSForm into a questionnaire.",
        arguments: "responses|cases|xlsform FILE",
        options: [
            .init(name: "--db", value: "PATH", help: "SQLite database to import into (responses and cases: required)."),
            .init(name: "--questionnaire", value: "ID", help: "Questionnaire the rows answer (responses: required)."),
            .init(name: "--events", value: "FILE", help: "Cases: a file of case events (case_ref,date,action) for days to first action."),
            .init(name: "--boroughs", value: "FILE", help: "Cases: the borough list, names and ONS codes (default Fixtures/boroughs.csv)."),
            .init(name: "--questionnaires", value: "DIR", help: "Folder with ID.json if it is not in the database (default Questionnaires)."),
            .init(name: "--choices", value: "FILE", help: "XLSForm from CSV: the choices sheet saved as CSV (FILE is then the survey sheet)."),
            .init(name: "--settings", value: "FILE", help: "XLSForm from CSV: the settings sheet saved as CSV."),
            .init(name: "--out", value: "FILE", help: "XLSForm: write the questionnaire file here (default: standard output). Name it ID.json."),
        ],
        minimumArguments: 2, maximumArguments: 2,
        details: """
        One row per respondent, one column per question id with choice codes as values (several codes
        separated by ';' for multiple-choice questions), plus optional borough, ward, completed_at
        (YYYY-MM-DD or ISO timestamp), weight and case_ref columns. Each row is checked exactly like an
        interview; the first bad row stops the import with its line, column and value, and nothing is stored.
        Cases (docs/cases.md): case_ref, borough (name or ONS code), ward, opened, closed, channel,
        repeat_victim, vulnerable_victim, highest_stage, outcome, and optionally complaints_6m, case_review,
        do_not_contact. Importing again updates cases by case_ref; the analysis follows.
        """)

    let context: CLIContext

    func run(_ arguments: ParsedArguments) throws(CLIError) -> Int32 {
        let path = arguments.positionals[1]
        switch arguments.positionals[0] {
        case "responses": break
        case "cases": return try importCases(path, arguments)
        case "xlsform": return try importXLSForm(path, arguments)
        default: throw .invalidValue(option: "what to import", value: arguments.positionals[0], expected: "responses, cases or xlsform", command: "import")
        }
        let db = try database(arguments)
        guard let id = arguments.value("--questionnaire") else { throw .missingArgument("--questionnaire ID", command: "import") }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw .failure("\(path): cannot read the file (no such file or not readable)", status: ExitStatus.noInput)
        }
        let store = try openStore(db, context: context)
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
            context.audit(store, .importResponses, subject: "questionnaire \(id)", detail: "\(count) responses from a CSV file")
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

extension ImportCommand {
    /// `import cases FILE.csv [--events FILE.csv]`: all rows or none.
    func importCases(_ path: String, _ arguments: ParsedArguments) throws(CLIError) -> Int32 {
        let db = try database(arguments)
        let boroughsPath = arguments.value("--boroughs") ?? "Fixtures/boroughs.csv"
        let boroughs: BoroughDirectory
        do { boroughs = try BoroughDirectory.load(path: boroughsPath) } catch { throw .failure("\(error)", status: ExitStatus.noInput) }
        var reader: CaseCSVReader
        var events: [CaseEvent] = []
        do {
            reader = try CaseCSVReader(reader: try csv(path), boroughs: boroughs)
            if let eventsPath = arguments.value("--events") {
                do { events = try CaseCSVReader.events(try csv(eventsPath)) } catch { throw CLIError.failure("\(eventsPath): \(error); nothing was imported", status: ExitStatus.dataError) }
            }
        } catch let problem as ImportProblem {
            throw .failure("\(path): \(problem); nothing was imported", status: ExitStatus.dataError)
        } catch let error as CLIError {
            throw error
        } catch {
            throw .failure("\(path): \(error)", status: ExitStatus.software)
        }
        let store = try openStore(db, context: context)
        do {
            let summary = try store.importCases(next: { try reader.next() }, events: events, today: context.today,
                                                progress: { context.err("… \($0) cases checked and written\n") })
            context.out("Imported \(summary.inserted + summary.updated) cases (\(summary.inserted) new, \(summary.updated) updated) and \(summary.events) events; \(summary.responsesLinked) responses linked.\n")
            context.audit(store, .importCases, subject: "cases", detail: "\(summary.inserted) new, \(summary.updated) updated, \(summary.events) events")
            return ExitStatus.ok
        } catch let problem as ImportProblem {
            throw .failure("\(path): \(problem); nothing was imported", status: ExitStatus.dataError)
        } catch let error as SurveyStoreError {
            throw .failure("\(path): \(error)", status: error.isStorageFailure ? ExitStatus.ioError : ExitStatus.dataError)
        } catch {
            throw .failure("\(path): \(error); nothing was imported", status: ExitStatus.software)
        }
    }

    /// `--db`, which responses and cases need.
    private func database(_ arguments: ParsedArguments) throws(CLIError) -> String {
        guard let db = arguments.value("--db") else { throw .missingArgument("--db PATH", command: "import") }
        return db
    }

    /// `import xlsform FORM.xlsx | survey.csv --choices choices.csv [--settings settings.csv] [--out FILE]`.
    func importXLSForm(_ path: String, _ arguments: ParsedArguments) throws(CLIError) -> Int32 {
        let isWorkbook = path.lowercased().hasSuffix(".xlsx")
        if isWorkbook, let extra = arguments.value("--choices") ?? arguments.value("--settings") {
            throw .unexpectedArgument(extra, command: "import xlsform with an .xlsx workbook (its sheets are read from the workbook)")
        }
        if !isWorkbook && arguments.value("--choices") == nil && !path.lowercased().hasSuffix(".csv") {
            throw .invalidValue(option: "the XLSForm file", value: path, expected: "an .xlsx workbook, or the survey sheet as .csv with --choices", command: "import")
        }
        let form: XLSFormFile
        do {
            form = isWorkbook ? try XLSFormFile.workbook(path: path)
                : try XLSFormFile.sheets(survey: path, choices: arguments.value("--choices"), settings: arguments.value("--settings"))
        } catch {
            throw .failure("\(path): \(error); nothing was written", status: ExitStatus.dataError)
        }
        for note in form.notes { context.err("note: \(note)\n") }
        let summary = CheckCommand.summary(form.questionnaire)
        guard let out = arguments.value("--out") else {
            context.out(form.json)
            context.err("Converted \(summary). Save it as Questionnaires/\(form.id).json.\n")
            return ExitStatus.ok
        }
        do {
            try Data(form.json.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            throw .failure("\(out): cannot write the questionnaire file (\(error.localizedDescription))", status: ExitStatus.cannotCreate)
        }
        let stem = URL(fileURLWithPath: out).deletingPathExtension().lastPathComponent
        context.out("Wrote \(out): \(summary)\(form.notes.isEmpty ? "" : "; \(form.notes.count) notes above").\n")
        if stem != form.id { context.err("note: the form's id is \(form.id); name the file \(form.id).json so that `canvass check` and `run` find it by id\n") }
        return ExitStatus.ok
    }

    /// A CSV reader over the file at `path`, read in chunks.
    private func csv(_ path: String) throws(CLIError) -> CSVReader {
        do { return try CSVReader(path: path) } catch { throw .failure(error.message, status: ExitStatus.noInput) }
    }
}
