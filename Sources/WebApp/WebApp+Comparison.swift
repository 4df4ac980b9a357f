import HTTP
import Insight
import Reports
import SurveyEngine
import SurveyStore

/// The borough comparison on the analyst dashboard: every measure of a questionnaire by borough,
/// for a period, with the verdict against the baseline, and the same figures as CSV. Computed
/// on the analysis lane, by the same calculator as `canvass measures`.
extension CanvassWebApp {
    /// What the comparison is asked for, from the query string, checked.
    struct ComparisonQuery {
        var questionnaireID: String?
        var measureID: String?
        var from: String?
        var to: String?
        var problem: String?

        init(_ request: HTTPRequest) {
            let items = request.queryItems
            func text(_ name: String) -> String? { items[name].flatMap { $0.isEmpty ? nil : $0 } }
            questionnaireID = text("questionnaire")
            measureID = text("measure")
            for (name, value) in [("from", text("from")), ("to", text("to"))] {
                guard let value else { continue }
                guard DateText.isValidISODate(value) else {
                    problem = "The \(name) date must be a real date written YYYY-MM-DD, like 2026-03-31."
                    continue
                }
                if name == "from" { from = value } else { to = value }
            }
            if let from, let to, from > to { problem = "The from date must be on or before the to date." }
        }

        /// The query string that asks for the same again.
        var queryString: String {
            [("questionnaire", questionnaireID), ("measure", measureID), ("from", from), ("to", to)]
                .compactMap { name, value in value.map { "\(name)=\(FormDecoder.percentEncode($0))" } }.joined(separator: "&")
        }
    }

    /// The rows of the comparison, or nil when no questionnaire with measures is stored. A measure
    /// the questionnaire does not have becomes the query's problem (said on the page), not an error.
    func comparisonRows(_ query: inout ComparisonQuery, store: SurveyStore) throws -> (Questionnaire, [MeasureRow])? {
        var id = query.questionnaireID
        if id == nil {
            // The first whose stored definition loads and has measures.
            id = try store.responseCounts().map(\.questionnaire).first { ((try? store.latest($0))??.questionnaire.measures.isEmpty) == false }
        }
        guard let id, let published = try? store.latest(id), !published.questionnaire.measures.isEmpty else { return nil }
        let questionnaire = published.questionnaire
        if let measure = query.measureID, !questionnaire.measures.contains(where: { $0.id == measure }) {
            query.problem = "\(questionnaire.title.text()) has no measure called \(measure). Choose one from the list."
            query.measureID = nil
        }
        guard query.problem == nil else { return (questionnaire, []) }
        let calculator = MeasureCalculator(store: store, questionnaire: questionnaire, options: MeasureOptions())
        let measures = try calculator.selectMeasures(query.measureID.map { [$0] } ?? [])
        return (questionnaire, try calculator.rows(measures: measures, grouping: .borough, filter: ResponseFilter(from: query.from, to: query.to)))
    }

    /// Writes the comparison section of the dashboard.
    func writeComparison(_ html: inout HTMLWriter, _ query: ComparisonQuery, _ found: (Questionnaire, [MeasureRow])?) {
        html.raw("<h2>Borough comparison</h2>\n")
        guard let (questionnaire, rows) = found else {
            html.element("p", text: "No questionnaire with measures has responses yet. Try canvass demo for a data set to look at.")
            return
        }
        html.open("form", ["method": "get", "action": "/analyst"])
        RespondentPages.hiddenField(&html, "questionnaire", questionnaire.id)
        html.raw("<div class=\"form-group\"><label class=\"label\" for=\"measure\">Measure</label><select class=\"select\" id=\"measure\" name=\"measure\">")
        html.open("option", ["value": ""])
        html.text("All measures")
        html.close("option")
        for measure in questionnaire.measures {
            if measure.id == query.measureID {
                html.open("option", ["value": measure.id, "selected": "selected"])
            } else {
                html.open("option", ["value": measure.id])
            }
            html.text(measure.label.text())
            html.close("option")
        }
        html.raw("</select></div>\n")
        for (name, label, value) in [("from", "From (YYYY-MM-DD)", query.from), ("to", "To (YYYY-MM-DD)", query.to)] {
            html.raw("<div class=\"form-group\">")
            html.open("label", ["class": "label", "for": name])
            html.text(label)
            html.close("label")
            html.open("input", ["class": "input input--width-10", "id": name, "name": name, "type": "text", "value": value ?? ""])
            html.raw("</div>\n")
        }
        html.raw("<button type=\"submit\" class=\"button\">Show</button>\n</form>\n")
        if let problem = query.problem {
            html.raw("<div class=\"error-summary\" role=\"alert\"><h2>There is a problem</h2><ul>")
            html.element("li", text: problem)
            html.raw("</ul></div>\n")
            return
        }
        html.raw("<p>")
        html.open("a", ["href": "/analyst/comparison.csv?" + ComparisonQuery(questionnaireID: questionnaire.id, measureID: query.measureID, from: query.from, to: query.to).queryString])
        html.text("Download these figures as CSV")
        html.raw("</a></p>\n")
        var measures: [(String, String, Double?)] = []
        for row in rows where !measures.contains(where: { $0.0 == row.measure }) { measures.append((row.measure, row.measureLabel, row.baseline)) }
        var groups: [String] = []
        for row in rows where !groups.contains(row.group) { groups.append(row.group) }
        html.raw("<table class=\"table\">\n")
        html.element("caption", text: "\(questionnaire.title.text()): % satisfied by borough, with the verdict against the national baseline (Benjamini–Hochberg adjusted)")
        html.raw("<thead><tr><th scope=\"col\">Borough</th>")
        for (_, label, baseline) in measures {
            html.open("th", ["scope": "col", "class": "numeric"])
            html.text(label + (baseline.map { " (baseline \(MeasureReport.percent($0, decimals: 0)))" } ?? ""))
            html.close("th")
        }
        html.raw("</tr></thead>\n<tbody>\n")
        for group in groups {
            html.raw("<tr>")
            html.open("th", ["scope": "row"])
            html.text(group)
            html.close("th")
            for (id, _, _) in measures {
                let row = rows.first { $0.measure == id && $0.group == group }
                let cell: String
                if let row, !row.suppressed, let p = row.proportion, let n = row.n {
                    let verdict = row.verdict.map { $0 == .inLine ? "" : ", \($0.rawValue)" } ?? ""
                    cell = "\(MeasureReport.percent(p)) (n \(n)\(row.smallBase ? ", small base" : "")\(verdict))"
                } else {
                    cell = "fewer than 10 respondents"
                }
                html.element("td", ["class": "numeric"], text: cell)
            }
            html.raw("</tr>\n")
        }
        html.raw("</tbody>\n</table>\n")
    }

    /// `GET /analyst/comparison.csv`: the comparison's figures as `canvass measures --format csv` gives them.
    func comparisonCSV(_ request: HTTPRequest, store: SurveyStore) throws -> HTTPResponse {
        guard isAnalyst(request) else { return WebResponses.redirect("/analyst") }
        var query = ComparisonQuery(request)
        let found = try comparisonRows(&query, store: store)
        if let problem = query.problem {
            return HTTPResponse(status: .badRequest, contentType: "text/plain; charset=utf-8", body: problem + "\n")
        }
        guard let (questionnaire, rows) = found else {
            return HTTPResponse(status: .notFound, contentType: "text/plain; charset=utf-8", body: "No questionnaire with measures has responses.\n")
        }
        let csv = MeasureReport(questionnaire: questionnaire.id, method: .wilson, level: 0.95, rows: rows).csv()
        return HTTPResponse(status: .ok, contentType: "text/csv; charset=utf-8", body: csv,
                            headers: [("Content-Disposition", "attachment; filename=\"comparison-\(questionnaire.id).csv\""), ("Cache-Control", "no-store")])
    }
}

extension CanvassWebApp.ComparisonQuery {
    init(questionnaireID: String?, measureID: String?, from: String?, to: String?) {
        self.questionnaireID = questionnaireID
        self.measureID = measureID
        self.from = from
        self.to = to
    }
}
