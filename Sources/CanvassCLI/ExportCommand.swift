import Export
import Foundation
import SurveyEngine
import SurveyStore

/// `canvass export`: responses out, as CSV with a codebook, JSON, or an SPSS system file.
struct ExportCommand {
    static let spec = CommandSpec(
        name: "export", summary: "Export responses as CSV (with a codebook), JSON or SPSS .sav, streamed.",
        options: [
            .init(name: "--db", value: "PATH", help: "SQLite database. Required.", required: true),
            .init(name: "--questionnaire", value: "ID", help: "Questionnaire id (every stored version). Required.", required: true),
            .init(name: "--format", value: "F", help: "csv (default), json or sav."),
            .init(name: "--from", value: "DATE", help: "Only responses completed on or after YYYY-MM-DD."),
            .init(name: "--to", value: "DATE", help: "Only responses completed on or before YYYY-MM-DD."),
            .init(name: "--lang", value: "L", help: "Language of labels: en (default) or cy."),
            .init(name: "--out", value: "FILE", help: "Write to FILE (CSV: and the codebook beside it, FILE-codebook.csv). Default: standard output."),
            .init(name: "--include-partial", value: nil, help: "Partial responses too (default: complete only)."),
            .init(name: "--include-case-ref", value: nil, help: "Add each response's case reference (left out by default: it identifies the victim)."),
        ],
        details: """
        One row per response, one column per question (codes as values), and the response's metadata.
        Invitation tokens are never exported (only their hashes are stored); case references only with
        --include-case-ref. Text that a spreadsheet would run as a formula is prefixed with '. The
        export is recorded in the audit log.
        """)

    enum Format: String { case csv, json, sav }

    let context: CLIContext

    func run(_ arguments: ParsedArguments) throws(CLIError) -> Int32 {
        let formatText = arguments.value("--format") ?? "csv"
        guard let format = Format(rawValue: formatText) else {
            throw .invalidValue(option: "--format", value: formatText, expected: "csv, json or sav", command: "export")
        }
        let from = try MeasureArguments.date(arguments, "--from", "export"), to = try MeasureArguments.date(arguments, "--to", "export")
        if let from, let to, from > to { throw .invalidValue(option: "--from", value: from, expected: "a date on or before --to (\(to))", command: "export") }
        let language = arguments.value("--lang") ?? "en"
        guard ["en", "cy"].contains(language) else { throw .invalidValue(option: "--lang", value: language, expected: "en or cy", command: "export") }
        let id = arguments.required("--questionnaire")
        let store = try openExistingStore(arguments.required("--db"), context: context)
        let versions = try storeCall { () throws(SurveyStoreError) in try store.versions(id) }
        guard !versions.isEmpty else {
            throw .failure("no questionnaire '\(id)' is stored in this database; nothing to export", status: ExitStatus.noInput)
        }
        if let latest = versions.last?.questionnaire, !latest.languages.contains(language) {
            context.err("note: \(id) has no labels in '\(language)' (it has \(latest.languages.joined(separator: ", "))); its \(latest.languages.first ?? "en") labels are used\n")
        }
        let includeCaseRef = arguments.has("--include-case-ref")
        let layout = ExportLayout(questionnaires: versions.map(\.questionnaire), language: language, includeCaseRef: includeCaseRef)
        let exporter = ResponseExporter(layout: layout)
        let out = arguments.value("--out")
        if let out, FileManager.default.fileExists(atPath: out) {
            throw .failure("\(out) already exists; an export is never written over a file. Give a new --out.", status: ExitStatus.cannotCreate)
        }
        if format == .sav && out == nil {
            throw .missingArgument("--out FILE.sav (an SPSS file is binary: it is not written to the terminal)", command: "export")
        }
        let sink: ExportSink
        do { sink = try ExportSink(path: out, context: context) } catch {
            throw .failure("cannot create \(out ?? "the output"): \(error)", status: ExitStatus.cannotCreate)
        }
        var count = 0
        do {
            switch format {
            case .csv:
                try sink.write(exporter.csvHeader)
                try store.forEachExportedResponse(questionnaireID: id, from: from, to: to, includePartial: arguments.has("--include-partial"), includeCaseRef: includeCaseRef) {
                    try sink.write(exporter.csvLine($0))
                    count += 1
                }
            case .json:
                try sink.write(exporter.jsonOpening(questionnaire: id))
                try store.forEachExportedResponse(questionnaireID: id, from: from, to: to, includePartial: arguments.has("--include-partial"), includeCaseRef: includeCaseRef) {
                    try sink.write(exporter.jsonResponse($0, first: count == 0))
                    count += 1
                }
                try sink.write(exporter.jsonClosing)
            case .sav:
                // Two passes over one snapshot: the widest text of each string variable and the
                // number of cases (both go in the dictionary), then the cases.
                let partial = arguments.has("--include-partial")
                try store.readingOneSnapshot {
                    let measured = Set(SystemFileWriter.measuredStrings(layout))
                    var widths: [String: Int] = [:], cases = 0
                    try store.forEachExportedResponse(questionnaireID: id, from: from, to: to, includePartial: partial, includeCaseRef: includeCaseRef) { response in
                        cases += 1
                        for (name, value) in zip(layout.metadata, exporter.metadataValues(response)) where measured.contains(name) {
                            widths[name] = max(widths[name] ?? 0, value?.utf8.count ?? 0)
                        }
                        for (question, values) in response.answers where measured.contains(question) {
                            widths[question] = max(widths[question] ?? 0, values.joined(separator: ";").utf8.count)
                        }
                    }
                    var writer = SystemFileWriter(layout: layout, stringWidths: widths, caseCount: cases, created: context.clock()) { try sink.write(bytes: $0) }
                    try writer.writeHeader(fileLabel: "Canvass export of \(id)")
                    try store.forEachExportedResponse(questionnaireID: id, from: from, to: to, includePartial: partial, includeCaseRef: includeCaseRef) {
                        try writer.write($0, metadata: exporter.metadataValues($0))
                        count += 1
                    }
                    try writer.finish()
                }
            }
            try sink.close()
        } catch {
            sink.abandon()
            throw .failure("the export failed after \(count) responses: \(error). Nothing was kept\(out.map { " at \($0)" } ?? "").", status: ExitStatus.ioError)
        }
        if format == .csv, let out {
            let codebook = Self.codebookPath(out)
            do { try Data(exporter.codebook().utf8).write(to: URL(fileURLWithPath: codebook), options: .withoutOverwriting) } catch {
                throw .failure("wrote \(out) but not the codebook \(codebook): \(error.localizedDescription)", status: ExitStatus.ioError)
            }
            context.err("wrote \(out) (\(count) responses) and its codebook \(codebook)\n")
        } else if let out {
            context.err("wrote \(out) (\(count) responses)\n")
        }
        context.audit(store, .export, subject: "questionnaire \(id)", detail: "\(count) responses as \(format.rawValue)\(includeCaseRef ? " with case references" : "")")
        return ExitStatus.ok
    }

    /// `responses.csv` → `responses-codebook.csv`.
    static func codebookPath(_ path: String) -> String {
        path.hasSuffix(".csv") ? String(path.dropLast(4)) + "-codebook.csv" : path + "-codebook.csv"
    }
}

/// Where an export goes: a file written through a buffer (removed if the export fails), or
/// standard output.
final class ExportSink {
    private let handle: FileHandle?
    private let path: String?
    private let context: CLIContext
    private var buffer: [UInt8] = []

    init(path: String?, context: CLIContext) throws {
        self.path = path
        self.context = context
        if let path {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
                  let handle = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileWriteNoPermission) }
            self.handle = handle
        } else {
            handle = nil
        }
        buffer.reserveCapacity(1 << 16)
    }

    func write(_ text: String) throws { try write(bytes: Array(text.utf8)) }

    func write(bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        if let handle { try handle.write(contentsOf: buffer) } else { context.out(String(decoding: buffer, as: UTF8.self)) }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        try handle?.synchronize()
        try handle?.close()
    }

    /// Drops a half-written file.
    func abandon() {
        try? handle?.close()
        if let path { try? FileManager.default.removeItem(atPath: path) }
    }
}
