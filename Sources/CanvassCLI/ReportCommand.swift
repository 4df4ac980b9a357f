import Foundation
import Insight
import Reports
import SurveyEngine
import SurveyStore

/// `canvass report`: the inspection-readiness report for one borough or all, as one
/// self-contained HTML file, Markdown or JSON.
struct ReportCommand {
    static let spec = CommandSpec(
        name: "report", summary: "Write the inspection-readiness report for a borough or all boroughs (HTML, Markdown or JSON).",
        options: MeasureArguments.options(excluding: MeasureArguments.reportExclusions) + [
            .init(name: "--borough", value: "B", help: "The borough the report is about: its name or ONS code."),
            .init(name: "--all", value: nil, help: "Report on all boroughs together (the default)."),
            .init(name: "--period", value: "P", help: "A year (2025), quarter (2025-Q3) or month (2025-07). Default: the 12 months to the latest response."),
            .init(name: "--out", value: "FILE", help: "Write the report to FILE (default: standard output)."),
            .init(name: "--format", value: "F", help: "html (default), md or json."),
            .init(name: "--overdispersion", value: nil, help: "Widen the funnel limits for over-dispersion (Spiegelhalter's method), stated in the report."),
            .init(name: "--boroughs", value: "FILE", help: "Borough names and ONS codes, to accept a code for --borough (default Fixtures/boroughs.csv)."),
        ])

    enum Format: String { case html, md, json }

    let context: CLIContext

    func run(_ arguments: ParsedArguments) throws(CLIError) -> Int32 {
        let parsed = try MeasureArguments(arguments, command: "report", excluding: MeasureArguments.reportExclusions)
        let formatText = arguments.value("--format") ?? "html"
        guard let format = Format(rawValue: formatText) else {
            throw .invalidValue(option: "--format", value: formatText, expected: "html, md or json", command: "report")
        }
        if arguments.has("--all"), let borough = arguments.value("--borough") {
            throw .invalidValue(option: "--borough", value: borough, expected: "either --borough or --all, not both", command: "report")
        }
        let period = try period(arguments, parsed)
        let scope = try scope(arguments)
        // The calculator has found the questionnaire, checked the databases agree and read the baselines.
        let (calculator, _) = try parsed.calculator(context: context)
        let builder = InspectionReportBuilder(calculator: calculator)
        let report: InspectionReport
        do {
            report = try builder.build(scope: scope, period: period, overdispersion: arguments.has("--overdispersion"),
                                       producedAt: DateText.isoTimestamp(unixSeconds: context.clock().timeIntervalSince1970))
        } catch {
            throw .failure("\(error)", status: ExitStatus.dataError)
        }
        let text: String
        switch format {
        case .html: text = report.html()
        case .md: text = report.markdown()
        case .json: text = report.json()
        }
        guard let out = arguments.value("--out") else {
            context.out(text)
            return ExitStatus.ok
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            throw .failure("cannot write the report to \(out): \(error.localizedDescription). Check the folder exists and can be written.", status: ExitStatus.cannotCreate)
        }
        context.err("wrote \(out): \(report.title), \(report.period.label) (\(text.utf8.count) bytes)\n")
        return ExitStatus.ok
    }

    private func period(_ arguments: ParsedArguments, _ parsed: MeasureArguments) throws(CLIError) -> ReportPeriod? {
        if let text = arguments.value("--period") {
            if parsed.filter.from != nil || parsed.filter.to != nil {
                throw .invalidValue(option: "--period", value: text, expected: "either --period or --from/--to, not both", command: "report")
            }
            do { return try ReportPeriod.parse(text) } catch {
                throw .invalidValue(option: "--period", value: text, expected: "a year, quarter or month, like 2025, 2025-Q3 or 2025-07", command: "report")
            }
        }
        guard parsed.filter.from != nil || parsed.filter.to != nil else { return nil }
        guard let from = parsed.filter.from, let to = parsed.filter.to else {
            throw .invalidValue(option: parsed.filter.from == nil ? "--to" : "--from", value: parsed.filter.from ?? parsed.filter.to ?? "",
                                expected: "both --from and --to for a period of your own", command: "report")
        }
        do { return try ReportPeriod.range(from: from, to: to) } catch { throw .failure("\(error)", status: ExitStatus.usage) }
    }

    /// The borough as the analysis table names it: a name as given, or an ONS code turned into
    /// its name through the borough list.
    private func scope(_ arguments: ParsedArguments) throws(CLIError) -> ReportScope {
        guard let borough = arguments.value("--borough") else { return .all }
        let looksLikeCode = borough.count == 9 && borough.first?.isLetter == true && borough.dropFirst().allSatisfy(\.isNumber)
        guard looksLikeCode else { return .borough(borough) }
        let path = arguments.value("--boroughs") ?? "Fixtures/boroughs.csv"
        guard let directory = try? BoroughDirectory.load(path: path), let resolved = directory.resolve(borough) else {
            throw .invalidValue(option: "--borough", value: borough, expected: "a borough name, or an ONS code listed in \(path)", command: "report")
        }
        return .borough(resolved.name)
    }
}
