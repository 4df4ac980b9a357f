import CSV
import Foundation
import Insight
import JSON
import Statistics

/// Renders trend rows as a table, CSV or JSON.
public struct TrendReport {
    public var questionnaire: String
    public var method: ProportionInterval.Method
    public var level: Double
    public var rollingPeriods: Int
    public var rows: [TrendRow]

    public init(questionnaire: String, method: ProportionInterval.Method, level: Double, rollingPeriods: Int, rows: [TrendRow]) {
        self.questionnaire = questionnaire
        self.method = method
        self.level = level
        self.rollingPeriods = rollingPeriods
        self.rows = rows
    }

    public static let csvColumns = ["measure", "period", "n", "satisfied", "proportion", "lower", "upper", "suppressed", "small_base",
                                    "rolling_n", "rolling_satisfied", "rolling_proportion", "rolling_lower", "rolling_upper",
                                    "change_previous", "p_previous", "change_year", "p_year"]

    private func values(_ row: TrendRow) -> [JSONValue] {
        func number(_ v: Double?) -> JSONValue { v.map { .number($0) } ?? .null }
        func integer(_ v: Int?) -> JSONValue { v.map { .number(Double($0)) } ?? .null }
        return [.string(row.measure), .string(row.period), integer(row.current.n), integer(row.current.satisfied),
                number(row.current.proportion), number(row.current.lower), number(row.current.upper),
                .bool(row.current.suppressed), .bool(row.current.smallBase), integer(row.rolling.n), integer(row.rolling.satisfied),
                number(row.rolling.proportion), number(row.rolling.lower), number(row.rolling.upper),
                number(row.changeFromPrevious), number(row.pPrevious), number(row.changeFromYearBefore), number(row.pYearBefore)]
    }

    public func json() -> String {
        let rowObjects = rows.map { row in JSONValue.object(zip(Self.csvColumns, values(row)).map { JSONMember($0, $1) }) }
        return JSONWriter(pretty: true).string(.object([
            JSONMember("questionnaire", .string(questionnaire)), JSONMember("method", .string(method.rawValue)),
            JSONMember("level", .number(level)), JSONMember("rolling_periods", .number(Double(rollingPeriods))),
            JSONMember("rows", .array(rowObjects)),
        ])) + "\n"
    }

    public func csv() -> String {
        var lines = [CSVWriter.line(Self.csvColumns)]
        for row in rows {
            lines.append(CSVWriter.line(values(row).map { value in
                switch value {
                case .string(let s): return s
                case .number(let n): return JSONWriter.format(n)
                case .bool(let b): return b ? "true" : "false"
                default: return ""
                }
            }))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public func table(suppressBelow: Int = 10) -> String {
        var out = ""
        for measure in Array(NSOrderedSet(array: rows.map(\.measure))) as! [String] {
            let measureRows = rows.filter { $0.measure == measure }
            out += "\n" + TextTable.visible("\(measureRows.first?.current.measureLabel ?? measure) [\(measure)]") + "\n"
            var table = [["Period", "n", "%", "CI", "Rolling \(rollingPeriods)", "Rolling CI", "Change", "p", "Year on year", "p"]]
            for row in measureRows {
                let c = row.current, r = row.rolling
                func pct(_ v: Double?) -> String { v.map { MeasureReport.percent($0) } ?? "" }
                func pts(_ v: Double?) -> String { v.map { String(format: "%+.1f pts", $0 * 100) } ?? "" }
                func pv(_ v: Double?) -> String { v.map { $0 < 0.001 ? "<0.001" : String(format: "%.3f", $0) } ?? "" }
                table.append([row.period, c.suppressed ? "<\(suppressBelow)" : "\(c.n ?? 0)", pct(c.proportion),
                              c.lower.map { "\(pct($0))–\(pct(c.upper))" } ?? "", r.suppressed ? "<\(suppressBelow)" : pct(r.proportion),
                              r.lower.map { "\(pct($0))–\(pct(r.upper))" } ?? "", pts(row.changeFromPrevious), pv(row.pPrevious),
                              pts(row.changeFromYearBefore), pv(row.pYearBefore)])
            }
            out += TextTable.render(table, rightAligned: [1, 2, 4, 6, 7, 8, 9])
        }
        return out + "\nChanges are tested with the pooled two-proportion z test; periods with fewer than \(suppressBelow) respondents are suppressed.\n"
    }
}
