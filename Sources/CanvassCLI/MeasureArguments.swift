import Foundation
import Insight
import Statistics
import SurveyEngine
import SurveyStore

/// Options shared by `measures` and `trend`, validated into typed values.
struct MeasureArguments {
    static let options: [CommandSpec.Option] = [
        .init(name: "--db", value: "PATH", help: "SQLite database with the responses. Required; repeat it to read several databases as one.", required: true, repeatable: true),
        .init(name: "--questionnaire", value: "ID", help: "Questionnaire id. Required.", required: true),
        .init(name: "--questionnaires", value: "DIR", help: "Folder with ID.json if it is not in the database (default Questionnaires)."),
        .init(name: "--measure", value: "M", help: "Only these measures (comma-separated ids). Default: all."),
        .init(name: "--from", value: "DATE", help: "Only responses completed on or after YYYY-MM-DD."),
        .init(name: "--to", value: "DATE", help: "Only responses completed on or before YYYY-MM-DD."),
        .init(name: "--method", value: "M", help: "Interval: wilson (default), wilson-cc, exact, jeffreys, agresti-coull, wald."),
        .init(name: "--level", value: "L", help: "Confidence level, e.g. 0.95 (default) or 0.99."),
        .init(name: "--weights", value: "COLUMN", help: "Weight responses by this column (weight, from imports); Kish effective base."),
        .init(name: "--baseline", value: "FILE", help: "Baselines from a CSV (questionnaire,measure,baseline,source) instead of the questionnaire's."),
        .init(name: "--format", value: "F", help: "table (default), csv or json."),
        .init(name: "--include-partial", value: nil, help: "Count partial responses too (default: complete only)."),
        .init(name: "--suppress-below", value: "N", help: "Suppress cells with fewer than N respondents (default 10)."),
        .init(name: "--small-base", value: "N", help: "Flag cells with fewer than N respondents as a small base (default 50)."),
    ]

    enum Format: String { case table, csv, json }

    var dbPaths: [String]
    var questionnaireID: String
    var measureIDs: [String]
    var filter: ResponseFilter
    var options: MeasureOptions
    var format: Format
    var baselinePath: String?
    var directory: String?

    /// The shared options without those a command declares its own way (`report` has its own
    /// `--format` and always reads every measure of complete responses).
    static func options(excluding names: Set<String>) -> [CommandSpec.Option] { options.filter { !names.contains($0.name) } }

    /// The options `report` does not take from the shared list.
    static let reportExclusions: Set<String> = ["--format", "--measure", "--include-partial"]

    init(_ arguments: ParsedArguments, command: String) throws(CLIError) {
        try self.init(arguments, command: command, excluding: [])
    }

    init(_ arguments: ParsedArguments, command: String, excluding: Set<String>) throws(CLIError) {
        let db = arguments.values("--db")
        let id = arguments.required("--questionnaire")
        dbPaths = db
        questionnaireID = id
        directory = arguments.value("--questionnaires")
        measureIDs = excluding.contains("--measure") ? [] : arguments.value("--measure")?.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } ?? []
        filter = ResponseFilter(from: try Self.date(arguments, "--from", command), to: try Self.date(arguments, "--to", command),
                                includePartial: !excluding.contains("--include-partial") && arguments.has("--include-partial"))
        if let from = filter.from, let to = filter.to, from > to {
            throw .invalidValue(option: "--from", value: from, expected: "a date on or before --to (\(to))", command: command)
        }
        options = MeasureOptions()
        options.method = try Self.method(arguments.value("--method"), command: command)
        options.level = try Self.level(arguments.value("--level"), command: command)
        options.suppressBelow = try arguments.integer("--suppress-below", in: 0...Int.max, what: "a number of respondents", command: command) ?? 10
        options.smallBaseBelow = try arguments.integer("--small-base", in: 0...Int.max, what: "a number of respondents", command: command) ?? 50
        if let weights = arguments.value("--weights") {
            guard weights == "weight" else {
                throw .invalidValue(option: "--weights", value: weights, expected: "weight (the column filled by import's weight column)", command: command)
            }
            options.weighted = true
        }
        format = excluding.contains("--format") ? .table : try Self.format(arguments.value("--format"), command: command)
        baselinePath = arguments.value("--baseline")
    }

    static func date(_ arguments: ParsedArguments, _ name: String, _ command: String) throws(CLIError) -> String? {
        guard let value = arguments.value(name) else { return nil }
        guard DateText.isValidISODate(value) else {
            throw .invalidValue(option: name, value: value, expected: "a date written YYYY-MM-DD", command: command)
        }
        return value
    }

    static func method(_ value: String?, command: String) throws(CLIError) -> ProportionInterval.Method {
        guard let value else { return .wilson }
        guard let method = ProportionInterval.Method(rawValue: value) else {
            throw .invalidValue(option: "--method", value: value, expected: ProportionInterval.Method.allCases.map(\.rawValue).joined(separator: ", "), command: command)
        }
        return method
    }

    static func level(_ value: String?, command: String) throws(CLIError) -> Double {
        guard let value else { return 0.95 }
        guard let level = Double(value), level > 0, level < 1 else {
            throw .invalidValue(option: "--level", value: value, expected: "a confidence level between 0 and 1, e.g. 0.95", command: command)
        }
        return level
    }

    static func format(_ value: String?, command: String) throws(CLIError) -> Format {
        guard let value else { return .table }
        guard let format = Format(rawValue: value) else {
            throw .invalidValue(option: "--format", value: value, expected: "table, csv or json", command: command)
        }
        return format
    }

    /// Opens every database, finds the questionnaire (as the first database has it), checks
    /// that each database defines the chosen measures the same way, reads baselines, and builds
    /// the calculator.
    func calculator(context: CLIContext) throws(CLIError) -> (MeasureCalculator, [Measure]) {
        var stores: [SurveyStore] = []
        var questionnaires: [Questionnaire] = []
        for path in dbPaths {
            let store = try openExistingStore(path, context: context)
            stores.append(store)
            questionnaires.append(try QuestionnaireSource(context: context).find(questionnaireID, directory: directory, store: store))
        }
        let questionnaire = questionnaires[0]
        var options = self.options
        if let baselinePath {
            do {
                options.baselines = try BaselineFile.load(path: baselinePath, questionnaireID: questionnaireID)
            } catch {
                throw .failure("\(error)", status: ExitStatus.dataError)
            }
        }
        let calculator = MeasureCalculator(stores: stores, questionnaire: questionnaire, options: options)
        let measures: [Measure]
        do {
            measures = try calculator.selectMeasures(measureIDs)
        } catch {
            throw .failure("\(error)", status: ExitStatus.dataError)
        }
        let first = MeasureLayout(questionnaire)
        for (index, other) in questionnaires.enumerated().dropFirst() {
            let layout = MeasureLayout(other)
            for measure in measures {
                let a = first.slots.first { $0.measureID == measure.id }, b = layout.slots.first { $0.measureID == measure.id }
                guard a?.questionID == b?.questionID, a?.baseCodes == b?.baseCodes, a?.satisfiedCodes == b?.satisfiedCodes else {
                    throw .failure("measure \(measure.id) is defined differently in \(dbPaths[0]) (\(Self.describe(a))) and in \(dbPaths[index]) (\(Self.describe(b))); "
                                   + "their figures cannot be added. Compare the questionnaires stored in each.", status: ExitStatus.dataError)
                }
            }
        }
        return (calculator, measures)
    }

    /// A measure's definition in words, for the error that two databases differ.
    static func describe(_ slot: MeasureLayout.Slot?) -> String {
        guard let slot else { return "not defined" }
        return "question \(slot.questionID), satisfied \(slot.satisfiedCodes.sorted().joined(separator: "/")), base \(slot.baseCodes.sorted().joined(separator: "/"))"
    }
}
