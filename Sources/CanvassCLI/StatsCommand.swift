import Foundation
import Insight
import JSON
import Reports
import Statistics
import SurveyEngine
import SurveyStore

/// `canvass stats proportion`: a calculator for published figures.
struct StatsCommand {
    static let spec = CommandSpec(
        name: "stats", summary: "Calculators: 'stats proportion' checks a published percentage against a baseline.",
        arguments: "proportion",
        options: [
            .init(name: "--successes", value: "X", help: "Number satisfied."),
            .init(name: "--percent", value: "P", help: "Published percentage instead of --successes (X = round(P·N/100))."),
            .init(name: "--n", value: "N", help: "Base (number of respondents). Required.", required: true),
            .init(name: "--baseline", value: "P0", help: "Baseline to compare with: a fraction (0.55) or a percentage (55%)."),
            .init(name: "--method", value: "M", help: "Interval: wilson (default), wilson-cc, exact, jeffreys, agresti-coull, wald."),
            .init(name: "--level", value: "L", help: "Confidence level (default 0.95)."),
            .init(name: "--format", value: "F", help: "table (default) or json."),
        ],
        minimumArguments: 1, maximumArguments: 1,
        details: "Example: canvass stats proportion --percent 43 --n 400 --baseline 0.55")

    let context: CLIContext

    func run(_ arguments: ParsedArguments) throws(CLIError) -> Int32 {
        guard arguments.positionals.first == "proportion" else {
            throw .invalidValue(option: "calculator", value: arguments.positionals.first ?? "", expected: "proportion", command: "stats")
        }
        let nText = arguments.required("--n")
        guard let n = Int(nText), n > 0 else { throw .invalidValue(option: "--n", value: nText, expected: "a whole number above 0", command: "stats") }
        let successes = try self.successes(arguments, n: n)
        var options = MeasureOptions(suppressBelow: 0, smallBaseBelow: 50)
        options.method = try MeasureArguments.method(arguments.value("--method"), command: "stats")
        options.level = try MeasureArguments.level(arguments.value("--level"), command: "stats")
        let baseline = try self.baseline(arguments.value("--baseline"))
        let format = try MeasureArguments.format(arguments.value("--format"), command: "stats")
        let measure = Measure(id: "proportion", label: LocalizedText("Proportion"), questionID: "", satisfiedCodes: [], baseline: baseline)
        let row: MeasureRow
        do {
            row = try MeasureCalculator.single(measure: measure, count: GroupCount(group: "all", n: n, satisfied: successes), options: options)
        } catch {
            throw .failure("\(error)", status: ExitStatus.dataError)
        }
        let report = MeasureReport(questionnaire: "", method: options.method, level: options.level, rows: [row])
        switch format {
        case .json: context.out(JSONWriter(pretty: true).string(MeasureReport.jsonRow(row)) + "\n")
        case .csv: context.out(report.csv())
        case .table: context.out(Self.describe(row, level: options.level, method: options.method))
        }
        return ExitStatus.ok
    }

    private func successes(_ arguments: ParsedArguments, n: Int) throws(CLIError) -> Int {
        switch (arguments.value("--successes"), arguments.value("--percent")) {
        case (let x?, nil):
            guard let value = Int(x), value >= 0, value <= n else {
                throw .invalidValue(option: "--successes", value: x, expected: "a whole number from 0 to n (\(n))", command: "stats")
            }
            return value
        case (nil, let p?):
            guard let percent = Double(p.hasSuffix("%") ? String(p.dropLast()) : p), percent >= 0, percent <= 100 else {
                throw .invalidValue(option: "--percent", value: p, expected: "a percentage from 0 to 100", command: "stats")
            }
            return Int((percent / 100 * Double(n)).rounded())
        case (nil, nil): throw .missingArgument("--successes X or --percent P", command: "stats")
        default: throw .conflictingOptions("--successes", "--percent", command: "stats")
        }
    }

    private func baseline(_ value: String?) throws(CLIError) -> Double? {
        guard let value else { return nil }
        let number = value.hasSuffix("%") ? Double(value.dropLast()).map { $0 / 100 } : Double(value)
        guard let number, number > 0, number < 1 else {
            throw .invalidValue(option: "--baseline", value: value, expected: "a fraction between 0 and 1 (0.55) or a percentage (55%)", command: "stats")
        }
        return number
    }

    static func describe(_ row: MeasureRow, level: Double, method: ProportionInterval.Method) -> String {
        guard let p = row.proportion, let lower = row.lower, let upper = row.upper, let n = row.n, let x = row.satisfied else { return "" }
        var lines = ["\(x) of \(n) = \(MeasureReport.percent(p)) (\(MeasureReport.percent(level, decimals: 0)) \(method.rawValue) interval \(MeasureReport.percent(lower))–\(MeasureReport.percent(upper)))"]
        if let baseline = row.baseline, let pValue = row.pValue, let verdict = row.verdict {
            lines.append("Baseline \(MeasureReport.percent(baseline)): difference \(String(format: "%+.1f", (row.difference ?? 0) * 100)) points, p = \(String(format: "%.3g", pValue)) (\(row.test ?? "")) — \(verdict.rawValue) the baseline.")
        }
        if row.smallBase { lines.append("Small base (fewer than 50): treat with caution.") }
        return lines.joined(separator: "\n") + "\n"
    }
}
