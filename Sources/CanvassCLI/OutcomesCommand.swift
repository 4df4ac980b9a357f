import Foundation
import Insight
import JSON
import Reports
import SurveyStore

/// `canvass outcomes`: satisfaction by what happened on the case.
struct OutcomesCommand {
    static let spec = CommandSpec(
        name: "outcomes", summary: "Satisfaction by what happened on each ASB case, with a chi-square test of association.",
        options: MeasureArguments.options.filter { $0.name != "--measure" } + [
            .init(name: "--measure", value: "M", help: "The measure to analyse. Required.", required: true),
            .init(name: "--by", value: "G", help: "stage, outcome, channel, repeat, vulnerable, case-review or borough. Required.", required: true),
        ],
        details: """
        Only responses that reach a case through their invitation count. Each category gets the
        measure's proportion, interval, n and suppression as in 'measures'; the whole table gets
        Pearson's chi-square test of association, with categories whose expected counts are under 5
        merged first (and named). JSON: the rows of 'measures' plus "category", and "association".
        """)

    let context: CLIContext

    func run(_ arguments: ParsedArguments) throws(CLIError) -> Int32 {
        let parsed = try MeasureArguments(arguments, command: "outcomes")
        let byText = arguments.required("--by")
        let allowed = ResponseGrouping.caseGroupings + [.borough]
        guard let grouping = ResponseGrouping(rawValue: byText), allowed.contains(grouping) else {
            throw .invalidValue(option: "--by", value: byText, expected: allowed.map(\.rawValue).joined(separator: ", "), command: "outcomes")
        }
        let (calculator, measures) = try parsed.calculator(context: context)
        guard let measure = measures.first, measures.count == 1 else {
            throw .invalidValue(option: "--measure", value: parsed.measureIDs.joined(separator: ","), expected: "one measure", command: "outcomes")
        }
        var filter = parsed.filter
        // By borough too, only responses that reach a case count, like every other category here.
        filter.withCaseOnly = true
        let rows: [MeasureRow]
        let test: AssociationTest
        do {
            let counts = try calculator.counts(for: [measure], grouping: grouping, filter: filter)[measure.id] ?? []
            rows = try calculator.rows(measures: [measure], grouping: grouping, filter: filter)
            test = AssociationTest.compute(counts, ordered: grouping == .stage)
        } catch {
            throw .failure("\(error)", status: ExitStatus.dataError)
        }
        let report = MeasureReport(questionnaire: parsed.questionnaireID, method: parsed.options.method, level: parsed.options.level, rows: rows)
        switch parsed.format {
        case .json:
            let rowValues = rows.map { row -> JSONValue in
                guard case .object(var members) = MeasureReport.jsonRow(row) else { return .null }
                members.insert(JSONMember("category", .string(row.group)), at: 1)
                return .object(members)
            }
            func number(_ v: Double?) -> JSONValue { v.map(JSONValue.number) ?? .null }
            let association = JSONValue.object([
                JSONMember("test", .string("chi-square")), JSONMember("statistic", number(test.statistic)),
                JSONMember("df", number(test.degreesOfFreedom.map(Double.init))), JSONMember("p_value", number(test.pValue)),
                JSONMember("merged", .array(test.merged.map(JSONValue.string))), JSONMember("note", .string(test.note)),
            ])
            context.out(JSONWriter(pretty: true).string(.object([
                JSONMember("questionnaire", .string(parsed.questionnaireID)), JSONMember("measure", .string(measure.id)),
                JSONMember("by", .string(grouping.rawValue)), JSONMember("rows", .array(rowValues)), JSONMember("association", association),
            ])) + "\n")
        case .csv:
            context.out(report.csv())
        case .table:
            if rows.isEmpty { context.err("No responses reach a case through their invitation; import cases first (canvass import cases).\n") }
            context.out(report.table(suppressBelow: parsed.options.suppressBelow))
            if let statistic = test.statistic, let df = test.degreesOfFreedom, let p = test.pValue {
                context.out(String(format: "\nAssociation: X² = %.2f, df = %d, p = %.3g. ", statistic, df, p) + test.note + ".\n")
            } else {
                context.out("\nAssociation: " + test.note + ".\n")
            }
        }
        return ExitStatus.ok
    }
}
