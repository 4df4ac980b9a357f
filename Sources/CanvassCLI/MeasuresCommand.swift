import Foundation
import Insight
import Reports
import SurveyStore

/// `canvass measures`: satisfaction measures with intervals against the national baseline.
struct MeasuresCommand {
    static let spec = CommandSpec(
        name: "measures", summary: "Satisfaction measures per group, with confidence intervals and a verdict against the baseline.",
        options: MeasureArguments.options + [
            .init(name: "--by", value: "G", help: "Group by borough, ward, month, quarter or mode (default: all responses together)."),
            .init(name: "--rolling", value: "N", help: "Only the N calendar months ending with --to (or the latest response)."),
        ],
        details: """
        Verdicts follow the inspectorate's wording: "significantly below", "broadly in line with" or
        "significantly above" the baseline, using the score test (exact binomial test when n·p0 or n·(1−p0)
        is under 10) with Benjamini–Hochberg adjusted p-values across the groups of each measure.
        JSON rows: measure, group, n, satisfied, proportion, lower, upper, baseline, p_value, p_adjusted,
        verdict, suppressed, small_base (proportions as fractions; null where suppressed).
        """)

    let context: CLIContext

    func run(_ arguments: ParsedArguments) throws(CLIError) -> Int32 {
        var parsed = try MeasureArguments(arguments, command: "measures")
        let grouping = try Self.grouping(arguments.value("--by"), default: .all, allowed: ResponseGrouping.responseGroupings, command: "measures")
        let (calculator, measures) = try parsed.calculator(context: context)
        if let months = try arguments.integer("--rolling", in: 1...120, what: "a number of months", command: "measures") {
            if let end = parsed.filter.to {
                do { try parsed.filter.keepMonths(months, endingOn: end) } catch { throw .failure("\(error)", status: ExitStatus.dataError) }
            } else if parsed.dbPaths.count == 1 {
                // The latest month is found in the same pass as the counts.
                parsed.filter.latestMonths = months
            } else {
                // Across databases the latest response may be in any of them: find it first.
                let end: String?
                do { end = try calculator.latestCompletionDate() } catch { throw .failure("\(error)", status: ExitStatus.ioError) }
                if let end {
                    do { try parsed.filter.keepMonths(months, endingOn: end) } catch { throw .failure("\(error)", status: ExitStatus.dataError) }
                }
            }
        }
        let rows: [MeasureRow]
        do {
            rows = try calculator.rows(measures: measures, grouping: grouping, filter: parsed.filter)
        } catch {
            throw .failure("\(error)", status: ExitStatus.dataError)
        }
        let report = MeasureReport(questionnaire: parsed.questionnaireID, method: parsed.options.method, level: parsed.options.level, rows: rows)
        switch parsed.format {
        case .json: context.out(report.json())
        case .csv: context.out(report.csv())
        case .table:
            if rows.isEmpty { context.err("No responses match; nothing to show.\n") }
            context.out(report.table(suppressBelow: parsed.options.suppressBelow))
        }
        return ExitStatus.ok
    }

    static func grouping(_ value: String?, default fallback: ResponseGrouping, allowed: [ResponseGrouping], command: String) throws(CLIError) -> ResponseGrouping {
        guard let value else { return fallback }
        guard let grouping = ResponseGrouping(rawValue: value), allowed.contains(grouping) else {
            throw .invalidValue(option: "--by", value: value, expected: allowed.map(\.rawValue).joined(separator: ", "), command: command)
        }
        return grouping
    }
}
