import Insight
import Reports
import SurveyStore

/// `canvass trend`: measures by month or quarter, rolling figures and changes.
struct TrendCommand {
    static let spec = CommandSpec(
        name: "trend", summary: "Measures by month or quarter with rolling figures and changes on the previous period and a year before.",
        options: MeasureArguments.options + [
            .init(name: "--by", value: "G", help: "month (default) or quarter."),
            .init(name: "--rolling", value: "N", help: "Periods in the rolling figure (default 12 months, or 4 quarters)."),
        ])

    let context: CLIContext

    func run(_ arguments: ParsedArguments) throws(CLIError) -> Int32 {
        let parsed = try MeasureArguments(arguments, command: "trend")
        let grouping = try MeasuresCommand.grouping(arguments.value("--by"), default: .month, allowed: [.month, .quarter], command: "trend")
        let rolling = try arguments.integer("--rolling", in: 1...120, what: "a number of periods", command: "trend")
            ?? (grouping == .quarter ? 4 : 12)
        let (calculator, measures) = try parsed.calculator(context: context)
        let rows: [TrendRow]
        do {
            rows = try TrendCalculator(calculator: calculator).rows(measures: measures, grouping: grouping, rollingPeriods: rolling, filter: parsed.filter)
        } catch {
            throw .failure("\(error)", status: ExitStatus.dataError)
        }
        let report = TrendReport(questionnaire: parsed.questionnaireID, method: parsed.options.method, level: parsed.options.level,
                                 rollingPeriods: rolling, rows: rows)
        switch parsed.format {
        case .json: context.out(report.json())
        case .csv: context.out(report.csv())
        case .table: context.out(report.table(suppressBelow: parsed.options.suppressBelow))
        }
        return ExitStatus.ok
    }
}
