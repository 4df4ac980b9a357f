import CSV
import Foundation
import Insight
import JSON
import Reports
import Statistics
import SurveyEngine
import SurveyStore

/// `canvass outcomes`: satisfaction by what happened on the case.
struct OutcomesCommand {
    static let spec = CommandSpec(
        name: "outcomes", summary: "Satisfaction by what happened on each ASB case, with a chi-square test of association.",
        options: MeasureArguments.options.filter { $0.name != "--measure" } + [
            .init(name: "--measure", value: "M", help: "The measure to analyse. Required.", required: true),
            .init(name: "--by", value: "G", help: "stage, outcome, channel, repeat, vulnerable, case-review or borough (required without --model)."),
            .init(name: "--model", value: nil, help: "Fit a logistic regression of satisfied on stage, repeat, vulnerable, channel and days to first action."),
            .init(name: "--borough-effects", value: nil, help: "With --model: the borough as a fixed effect."),
            .init(name: "--adjust-for", value: "Q", help: "With --model: also the answer to single-choice question Q (e.g. kept_informed), against its first choice.",
                  repeatable: true),
            .init(name: "--case-review", value: nil, help: "Victims who may ask for an ASB Case Review apart: their satisfaction, and how many were told and had one."),
            .init(name: "--case-review-threshold", value: "N", help: "Complaints in the window from which a victim may ask for a Case Review (default 3)."),
            .init(name: "--case-review-window", value: "W", help: "The window for those complaints: 6m (default) reads the export's complaints_6m; another (90d, 12m, 1y) counts dated 'complaint' events."),
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
        if arguments.has("--model") {
            return try model(parsed, boroughEffects: arguments.has("--borough-effects"), adjustingFor: arguments.values("--adjust-for"))
        }
        for flag in ["--borough-effects", "--adjust-for"] where arguments.has(flag) {
            throw .requiresOption(flag, "--model", command: "outcomes")
        }
        if arguments.has("--case-review") { return try caseReview(parsed, arguments) }
        guard let byText = arguments.value("--by") else { throw .missingArgument("--by G (or --model)", command: "outcomes") }
        let allowed = ResponseGrouping.caseGroupings + [.borough]
        guard let grouping = ResponseGrouping(rawValue: byText), allowed.contains(grouping) else {
            throw .invalidValue(option: "--by", value: byText, expected: allowed.map(\.rawValue).joined(separator: ", "), command: "outcomes")
        }
        let (calculator, measures) = try parsed.calculator(context: context)
        let measure = try Self.single(measures, parsed)
        var filter = parsed.filter
        // By borough too, only responses that reach a case count, like every other category here.
        filter.withCaseOnly = true
        let rows: [MeasureRow]
        let test: AssociationTest
        do {
            let counts = try calculator.counts(for: [measure], grouping: grouping, filter: filter)
            rows = try calculator.rows(measures: [measure], counts: counts)
            test = AssociationTest.compute(counts[measure.id] ?? [], ordered: grouping == .stage)
        } catch {
            throw .failure("\(error)", status: ExitStatus.dataError)
        }
        let report = MeasureReport(questionnaire: parsed.questionnaireID, method: parsed.options.method, level: parsed.options.level, rows: rows)
        switch parsed.format {
        case .json:
            let rowValues = rows.map(MeasureReport.categoryRow)
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

    /// `--model`: odds ratios with Wald intervals.
    private func model(_ parsed: MeasureArguments, boroughEffects: Bool, adjustingFor questionIDs: [String]) throws(CLIError) -> Int32 {
        let (calculator, measures) = try parsed.calculator(context: context)
        let measure = try Self.single(measures, parsed)
        let adjustments = try Self.adjustments(questionIDs, questionnaire: calculator.questionnaire, measure: measure)
        var patterns: [CasePattern: (successes: Int, trials: Int)] = [:]
        for store in calculator.stores {
            let found = try storeCall { () throws(SurveyStoreError) in
                try store.casePatterns(questionnaireID: parsed.questionnaireID, measureID: measure.id, filter: parsed.filter,
                                       adjustingFor: adjustments.map(\.questionID))
            }
            patterns.merge(found) { ($0.successes + $1.successes, $0.trials + $1.trials) }
        }
        let fitted: OutcomeModel
        do { fitted = try OutcomeModel.fit(patterns, boroughEffects: boroughEffects, adjustments: adjustments, level: parsed.options.level) } catch {
            throw .failure("\(error)", status: ExitStatus.dataError)
        }
        switch parsed.format {
        case .json:
            let rows = fitted.rows.map { row in
                JSONValue.object([JSONMember("measure", .string(measure.id)), JSONMember("term", .string(row.term)),
                                  JSONMember("odds_ratio", .number(row.oddsRatio)), JSONMember("lower", .number(row.lower)),
                                  JSONMember("upper", .number(row.upper)), JSONMember("p_value", .number(row.pValue)),
                                  JSONMember("coefficient", .number(row.coefficient)), JSONMember("standard_error", .number(row.standardError))])
            }
            context.out(JSONWriter(pretty: true).string(.object([
                JSONMember("questionnaire", .string(parsed.questionnaireID)), JSONMember("measure", .string(measure.id)),
                JSONMember("model", .string("logistic regression (IRLS), Wald intervals")), JSONMember("level", .number(parsed.options.level)),
                JSONMember("responses", .number(Double(fitted.responses))), JSONMember("rows", .array(rows)),
                JSONMember("notes", .array(fitted.notes.map(JSONValue.string))),
            ])) + "\n")
        case .csv:
            var lines = [CSVWriter.line(["measure", "term", "odds_ratio", "lower", "upper", "p_value"])]
            for row in fitted.rows {
                lines.append(CSVWriter.line([measure.id, row.term, JSONWriter.format(row.oddsRatio), JSONWriter.format(row.lower),
                                             JSONWriter.format(row.upper), JSONWriter.format(row.pValue)]))
            }
            context.out(lines.joined(separator: "\n") + "\n")
        case .table:
            let level = MeasureReport.percent(parsed.options.level, decimals: 0)
            var table = [["Term", "Odds ratio", "\(level) CI", "p"]]
            for row in fitted.rows {
                table.append([row.term, String(format: "%.2f", row.oddsRatio), String(format: "%.2f–%.2f", row.lower, row.upper),
                              row.pValue < 0.001 ? "<0.001" : String(format: "%.3f", row.pValue)])
            }
            context.out("\(measure.label.text()) [\(measure.id)]: logistic regression of satisfied on the case, \(fitted.responses) responses\n")
            context.out(TextTable.render(table, rightAligned: [1, 3]))
            for note in fitted.notes { context.out("  - \(note)\n") }
        }
        return ExitStatus.ok
    }

    /// `--case-review`: victims at or over the Case Review threshold against the others, and how
    /// many of them were told of the Case Review, asked for one and had one.
    private func caseReview(_ parsed: MeasureArguments, _ arguments: ParsedArguments) throws(CLIError) -> Int32 {
        let windowText = arguments.value("--case-review-window") ?? "6m"
        guard let window = CaseReviewWindow(windowText) else {
            throw .invalidValue(option: "--case-review-window", value: windowText,
                                expected: "a number of days, months or years, like 6m, 90d or 1y (at most 10 years)", command: "outcomes")
        }
        let threshold = try arguments.integer("--case-review-threshold", in: 1...100, what: "a number of complaints", command: "outcomes") ?? 3
        let (calculator, measures) = try parsed.calculator(context: context)
        let measure = try Self.single(measures, parsed)
        var filter = parsed.filter
        filter.caseReviewThreshold = threshold
        filter.caseReviewWindow = window
        let rows: [MeasureRow]
        var states: [GroupCount] = []
        do {
            rows = try calculator.rows(measures: [measure], grouping: .caseReviewEligible, filter: filter)
            filter.caseReviewEligibleOnly = true
            // The eligible victims in the measure's base, by where they stand with the Case Review.
            states = try calculator.counts(for: [measure], grouping: .caseReview, filter: filter)[measure.id] ?? []
        } catch {
            throw .failure("\(error)", status: ExitStatus.dataError)
        }
        let report = MeasureReport(questionnaire: parsed.questionnaireID, method: parsed.options.method, level: parsed.options.level, rows: rows)
        switch parsed.format {
        case .json:
            let rowValues = rows.map(MeasureReport.categoryRow)
            let review = states.map { JSONValue.object([JSONMember("case_review", .string($0.group)), JSONMember("n", .number(Double($0.n)))]) }
            context.out(JSONWriter(pretty: true).string(.object([
                JSONMember("questionnaire", .string(parsed.questionnaireID)), JSONMember("measure", .string(measure.id)),
                JSONMember("threshold", .number(Double(threshold))), JSONMember("window", .string(window.description)),
                JSONMember("rows", .array(rowValues)), JSONMember("case_review", .array(review)),
            ])) + "\n")
        case .csv:
            context.out(report.csv())
        case .table:
            let source = window.isSixMonths ? "complaints_6m in the case export" : "the most dated complaints within any \(window.words)"
            context.out("Victims with \(threshold) or more complaints in \(window.words) may ask for an ASB Case Review (counted from \(source)).\n")
            context.out(report.table(suppressBelow: parsed.options.suppressBelow))
            context.out("\nOf those victims, in the base of \(measure.id): " + (states.isEmpty ? "none.\n"
                : states.map { "\($0.group) \($0.n < parsed.options.suppressBelow ? "fewer than \(parsed.options.suppressBelow)" : String($0.n))" }.joined(separator: ", ") + ".\n"))
        }
        return ExitStatus.ok
    }

    /// The questions `--adjust-for` names, each a single-choice question of the questionnaire
    /// other than the one the measure reads, with its choices in order.
    static func adjustments(_ questionIDs: [String], questionnaire: Questionnaire, measure: Measure) throws(CLIError) -> [OutcomeModel.Adjustment] {
        let choiceTypes: Set<QuestionType> = [.single, .scale, .yesno]
        let candidates = questionnaire.questions.filter { choiceTypes.contains($0.type) && $0.id != measure.questionID }.map(\.id)
        var seen: Set<String> = []
        return try questionIDs.map { id throws(CLIError) in
            guard let question = questionnaire.question(id), choiceTypes.contains(question.type), id != measure.questionID else {
                let why = id == measure.questionID ? "the question \(measure.id) itself reads cannot explain it; "
                    : questionnaire.question(id) == nil ? "" : "\(id) is not a single-choice question; "
                throw .invalidValue(option: "--adjust-for", value: id,
                                    expected: why + "a single-choice question of \(questionnaire.id): " + candidates.joined(separator: ", "), command: "outcomes")
            }
            guard seen.insert(id).inserted else {
                throw .invalidValue(option: "--adjust-for", value: id, expected: "each question once", command: "outcomes")
            }
            return OutcomeModel.Adjustment(questionID: id, codes: question.choices.map(\.code))
        }
    }

    /// The one measure `outcomes` analyses.
    private static func single(_ measures: [Measure], _ parsed: MeasureArguments) throws(CLIError) -> Measure {
        guard let measure = measures.first, measures.count == 1 else {
            throw .invalidValue(option: "--measure", value: parsed.measureIDs.joined(separator: ","), expected: "one measure", command: "outcomes")
        }
        return measure
    }
}
