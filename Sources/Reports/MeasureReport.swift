import CSV
import Foundation
import Insight
import JSON
import Statistics

/// Renders measure rows as a terminal table, CSV or JSON. The JSON and CSV field names are an
/// interface other tools read: keep them stable.
public struct MeasureReport {
    public var questionnaire: String
    public var method: ProportionInterval.Method
    public var level: Double
    public var rows: [MeasureRow]

    public init(questionnaire: String, method: ProportionInterval.Method, level: Double, rows: [MeasureRow]) {
        self.questionnaire = questionnaire
        self.method = method
        self.level = level
        self.rows = rows
    }

    /// The CSV columns, in order.
    public static let csvColumns = ["measure", "group", "n", "satisfied", "proportion", "lower", "upper", "baseline",
                                    "difference", "p_value", "p_adjusted", "verdict", "suppressed", "small_base",
                                    "test", "effective_n", "design_effect"]

    /// `{"questionnaire", "method", "level", "rows": [...]}` with proportions as fractions and nulls where suppressed.
    public func json(pretty: Bool = true) -> String {
        let object = JSONValue.object([
            JSONMember("questionnaire", .string(questionnaire)),
            JSONMember("method", .string(method.rawValue)),
            JSONMember("level", .number(level)),
            JSONMember("rows", .array(rows.map(Self.jsonRow))),
        ])
        return JSONWriter(pretty: pretty).string(object) + "\n"
    }

    /// One row as a JSON object.
    public static func jsonRow(_ row: MeasureRow) -> JSONValue {
        func number(_ v: Double?) -> JSONValue { v.map { .number($0) } ?? .null }
        func integer(_ v: Int?) -> JSONValue { v.map { .number(Double($0)) } ?? .null }
        return .object([
            JSONMember("measure", .string(row.measure)),
            JSONMember("group", .string(row.group)),
            JSONMember("n", integer(row.n)),
            JSONMember("satisfied", integer(row.satisfied)),
            JSONMember("proportion", number(row.proportion)),
            JSONMember("lower", number(row.lower)),
            JSONMember("upper", number(row.upper)),
            JSONMember("baseline", number(row.baseline)),
            JSONMember("difference", number(row.difference)),
            JSONMember("p_value", number(row.pValue)),
            JSONMember("p_adjusted", number(row.pAdjusted)),
            JSONMember("verdict", row.verdict.map { .string($0.rawValue) } ?? .null),
            JSONMember("suppressed", .bool(row.suppressed)),
            JSONMember("small_base", .bool(row.smallBase)),
            JSONMember("test", row.test.map { .string($0) } ?? .null),
            JSONMember("effective_n", number(row.effectiveN)),
            JSONMember("design_effect", number(row.designEffect)),
        ])
    }

    /// A row of `jsonRow` with the group named as the `category` too (the shape `outcomes` gives).
    public static func categoryRow(_ row: MeasureRow) -> JSONValue {
        guard case .object(var members) = jsonRow(row) else { return .null }
        members.insert(JSONMember("category", .string(row.group)), at: 1)
        return .object(members)
    }

    /// CSV with a header line; empty cells where suppressed.
    public func csv() -> String {
        var lines = [CSVWriter.line(Self.csvColumns)]
        for row in rows {
            func number(_ v: Double?) -> String { v.map { JSONWriter.format($0) } ?? "" }
            lines.append(CSVWriter.line([
                row.measure, row.group, row.n.map(String.init) ?? "", row.satisfied.map(String.init) ?? "",
                number(row.proportion), number(row.lower), number(row.upper), number(row.baseline), number(row.difference),
                number(row.pValue), number(row.pAdjusted), row.verdict?.rawValue ?? "", row.suppressed ? "true" : "false",
                row.smallBase ? "true" : "false", row.test ?? "", number(row.effectiveN), number(row.designEffect),
            ]))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A plain-text table per measure, for the terminal.
    public func table(suppressBelow: Int = 10) -> String {
        var out = ""
        let levelText = Self.percent(level, decimals: level * 100 == (level * 100).rounded() ? 0 : 1)
        for measure in unique(rows.map(\.measure)) {
            let measureRows = rows.filter { $0.measure == measure }
            guard let first = measureRows.first else { continue }
            let baseline = first.baseline.map { " — national baseline \(Self.percent($0))" } ?? ""
            out += "\n" + TextTable.visible("\(first.measureLabel) [\(measure)]\(baseline)") + "\n"
            var table = [["Group", "n", "Satisfied", "%", "\(levelText) CI", "Compared with baseline", "p (BH)"]]
            for row in measureRows { table.append(Self.cells(row, suppressBelow: suppressBelow)) }
            out += TextTable.render(table, rightAligned: [1, 2, 3, 6])
        }
        let notes = "\nCI: \(method.rawValue) interval. Verdicts use Benjamini–Hochberg adjusted p-values across the groups of each measure.\n"
            + "Cells with fewer than \(suppressBelow) respondents are suppressed; * marks a small base.\n"
        return out + notes
    }

    static func cells(_ row: MeasureRow, suppressBelow: Int) -> [String] {
        guard !row.suppressed, let n = row.n, let satisfied = row.satisfied, let p = row.proportion else {
            return [row.group, "fewer than \(suppressBelow)", "", "", "", "", ""]
        }
        let ci = row.lower.flatMap { l in row.upper.map { "\(percent(l))–\(percent($0))" } } ?? ""
        let pText = row.pAdjusted.map { $0 < 0.001 ? "<0.001" : FixedPoint.string($0, decimals: 3) } ?? ""
        return [row.group, "\(n)\(row.smallBase ? "*" : "")", "\(satisfied)", percent(p), ci,
                row.verdict.map { "\($0.rawValue) baseline" } ?? "", pText]
    }

    /// A fraction as a percentage with one decimal: 0.43 → "43.0%".
    public static func percent(_ value: Double, decimals: Int = 1) -> String {
        FixedPoint.string(value * 100, decimals: decimals) + "%"
    }

    private func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
