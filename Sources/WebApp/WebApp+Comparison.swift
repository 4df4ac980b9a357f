import Foundation
import HTTP
import Insight
import Markup
import Reports
import SurveyEngine
import SurveyStore

/// The borough comparison on the analyst dashboard: every measure of a questionnaire by borough
/// for a period, as a funnel plot and a table with the verdict against the baseline, each
/// borough one click from its report, and the same figures as CSV. Computed on the analysis
/// lane by the same calculator as `canvass measures`, and cached until the data changes.
extension CanvassWebApp {
    /// What the comparison is asked for, from the query string, checked.
    struct ComparisonQuery {
        var questionnaireID: String?
        var measureID: String?
        /// A year, quarter or month (`2025`, `2025-Q3`, `2025-07`), instead of from/to.
        var period: String?
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
            if let text = text("period") {
                if let parsed = try? ReportPeriod.parse(text) {
                    period = text
                    if from != nil || to != nil { problem = "Give a period or from and to dates, not both." }
                    from = parsed.from
                    to = parsed.to
                } else {
                    problem = "The period must be a year, quarter or month, like 2025, 2025-Q3 or 2025-07."
                }
            }
        }

        /// The query string that asks for the same again.
        var queryString: String {
            let dates: [(String, String?)] = period != nil ? [("period", period)] : [("from", from), ("to", to)]
            return ([("questionnaire", questionnaireID), ("measure", measureID)] + dates)
                .compactMap { name, value in value.map { "\(name)=\(FormDecoder.percentEncode($0))" } }.joined(separator: "&")
        }
    }

    /// The comparison's figures: the questionnaire, the period they cover and every borough's rows.
    struct Comparison {
        var questionnaire: Questionnaire
        var period: ReportPeriod?
        var rows: [MeasureRow]
    }

    /// The questionnaire asked for, or the first of `candidates` (the questionnaires with
    /// responses; counted here when not given) whose definition has measures.
    func analysedQuestionnaire(_ id: String?, store: SurveyStore, candidates: [String]? = nil) throws -> Questionnaire? {
        var id = id
        if id == nil {
            id = try (candidates ?? store.responseCounts().map(\.questionnaire)).first { ((try? store.latest($0))??.questionnaire.measures.isEmpty) == false }
        }
        guard let id, let published = try? store.latest(id), !published.questionnaire.measures.isEmpty else { return nil }
        return published.questionnaire
    }

    /// The rows of the comparison, or nil when no questionnaire with measures is stored. Without
    /// dates it covers the 12 months to the latest response, as reports do. A measure the
    /// questionnaire does not have becomes the query's problem (said on the page), not an error.
    func comparison(_ query: inout ComparisonQuery, store: SurveyStore, candidates: [String]? = nil) throws -> Comparison? {
        guard let questionnaire = try analysedQuestionnaire(query.questionnaireID, store: store, candidates: candidates) else { return nil }
        query.questionnaireID = questionnaire.id
        if let measure = query.measureID, !questionnaire.measures.contains(where: { $0.id == measure }) {
            query.problem = "\(questionnaire.title.text()) has no measure called \(measure). Choose one from the list."
            query.measureID = nil
        }
        guard query.problem == nil else { return Comparison(questionnaire: questionnaire, period: nil, rows: []) }
        let calculator = MeasureCalculator(store: store, questionnaire: questionnaire, options: MeasureOptions())
        var period: ReportPeriod?
        if let from = query.from, let to = query.to {
            period = ReportPeriod(label: query.period ?? "\(from) to \(to)", from: from, to: to)
        } else if query.from == nil, query.to == nil, let latest = try calculator.latestCompletionDate() {
            period = ReportPeriod.twelveMonths(endingWith: latest)
        }
        let filter = ResponseFilter(from: period?.from ?? query.from, to: period?.to ?? query.to)
        let measures = try calculator.selectMeasures(query.measureID.map { [$0] } ?? [])
        return Comparison(questionnaire: questionnaire, period: period, rows: try calculator.rows(measures: measures, grouping: .borough, filter: filter))
    }

    /// Writes the comparison section of the dashboard: the filter form, then per measure a
    /// funnel plot and its table.
    func writeComparison(_ html: inout HTMLWriter, _ query: ComparisonQuery, _ found: Comparison?) {
        html.raw("<h2>Borough comparison</h2>\n")
        guard let found else {
            html.element("p", text: "No questionnaire with measures has responses yet. Try canvass demo for a data set to look at.")
            return
        }
        let questionnaire = found.questionnaire
        writeComparisonForm(&html, query, questionnaire)
        if let problem = query.problem {
            html.raw("<div class=\"error-summary\" role=\"alert\"><h2>There is a problem</h2><ul>")
            html.element("li", text: problem)
            html.raw("</ul></div>\n")
            return
        }
        if let period = found.period {
            html.element("p", text: "\(questionnaire.title.text()), \(period.label) (\(period.from) to \(period.to)). Choose a borough for its inspection-readiness report.")
        }
        var csvQuery = query
        csvQuery.questionnaireID = questionnaire.id
        html.raw("<p>")
        html.open("a", ["href": "/analyst/comparison.csv?" + csvQuery.queryString])
        html.text("Download these figures as CSV")
        html.raw("</a> · ")
        html.open("a", ["href": "/analyst/report?" + reportQuery(questionnaire.id, borough: nil, found.period)])
        html.text("Report for all boroughs")
        html.raw("</a></p>\n")
        var measureIDs: [String] = []
        for row in found.rows where !measureIDs.contains(row.measure) { measureIDs.append(row.measure) }
        for (index, id) in measureIDs.enumerated() {
            let rows = found.rows.filter { $0.measure == id }
            guard let first = rows.first else { continue }
            html.element("h3", text: first.measureLabel + (first.baseline.map { " (baseline \(ReportText.percent($0)))" } ?? ""))
            if let baseline = first.baseline,
               let plot = try? FunnelPlot(id: "funnel-\(index)", title: "\(first.measureLabel): funnel plot of boroughs", rows: rows, baseline: baseline,
                                          highlight: nil, overdispersion: false) {
                html.raw("<figure class=\"chart\">\n")
                plot.write(&html)
                html.raw("\n</figure>\n")
            }
            html.raw("<table class=\"table\">\n")
            html.element("caption", text: "\(first.measureLabel) by borough, with the verdict against the national baseline (Benjamini–Hochberg adjusted)")
            html.raw("<thead><tr><th scope=\"col\">Borough</th><th scope=\"col\" class=\"numeric\">n</th><th scope=\"col\" class=\"numeric\">% satisfied</th>")
            html.raw("<th scope=\"col\" class=\"numeric\">95% interval</th><th scope=\"col\">Against the baseline</th></tr></thead>\n<tbody>\n")
            for row in rows {
                html.raw("<tr><th scope=\"row\">")
                html.open("a", ["href": "/analyst/report?" + reportQuery(questionnaire.id, borough: row.group, found.period)])
                html.text(row.group)
                html.raw("</a></th>")
                if !row.suppressed, let p = row.proportion, let n = row.n {
                    html.element("td", ["class": "numeric"], text: "\(n)\(row.smallBase ? " (small base)" : "")")
                    html.element("td", ["class": "numeric"], text: MeasureReport.percent(p))
                    html.element("td", ["class": "numeric"], text: row.lower.flatMap { l in row.upper.map { "\(MeasureReport.percent(l))–\(MeasureReport.percent($0))" } } ?? "")
                    html.element("td", text: row.verdict?.rawValue ?? "")
                } else {
                    html.element("td", ["class": "numeric"], text: "fewer than 10")
                    html.element("td", ["class": "numeric"], text: "suppressed")
                    html.raw("<td></td><td></td>")
                }
                html.raw("</tr>\n")
            }
            html.raw("</tbody>\n</table>\n")
        }
    }

    private func writeComparisonForm(_ html: inout HTMLWriter, _ query: ComparisonQuery, _ questionnaire: Questionnaire) {
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
        html.raw("<div class=\"form-group\"><label class=\"label\" for=\"period\">Period</label><div id=\"period-hint\" class=\"hint\">A year, quarter or month, like 2025, 2025-Q3 or 2025-07. Leave it and the dates empty for the 12 months to the latest response.</div>")
        html.open("input", ["class": "input input--width-10", "id": "period", "name": "period", "type": "text", "value": query.period ?? "", "aria-describedby": "period-hint"])
        html.raw("</div>\n")
        for (name, label, value) in [("from", "Or from (YYYY-MM-DD)", query.period == nil ? query.from : nil), ("to", "To (YYYY-MM-DD)", query.period == nil ? query.to : nil)] {
            html.raw("<div class=\"form-group\">")
            html.open("label", ["class": "label", "for": name])
            html.text(label)
            html.close("label")
            html.open("input", ["class": "input input--width-10", "id": name, "name": name, "type": "text", "value": value ?? ""])
            html.raw("</div>\n")
        }
        html.raw("<button type=\"submit\" class=\"button\">Show</button>\n</form>\n")
    }

    /// The query string of a borough's report (all boroughs when nil) for the same period.
    func reportQuery(_ questionnaireID: String, borough: String?, _ period: ReportPeriod?) -> String {
        var items = [("questionnaire", questionnaireID)]
        if let borough { items.append(("borough", borough)) }
        if let period { items += [("from", period.from), ("to", period.to)] }
        return items.map { "\($0)=\(FormDecoder.percentEncode($1))" }.joined(separator: "&")
    }

    /// `GET /analyst/comparison.csv`: the comparison's figures as `canvass measures --format csv` gives them.
    func comparisonCSV(_ request: HTTPRequest, store: SurveyStore) throws -> HTTPResponse {
        guard isAnalyst(request) else { return WebResponses.redirect("/analyst") }
        var query = ComparisonQuery(request)
        let found = try comparison(&query, store: store)
        if let problem = query.problem {
            return HTTPResponse(status: .badRequest, contentType: "text/plain; charset=utf-8", body: problem + "\n")
        }
        guard let found else {
            return HTTPResponse(status: .notFound, contentType: "text/plain; charset=utf-8", body: "No questionnaire with measures has responses.\n")
        }
        let csv = MeasureReport(questionnaire: found.questionnaire.id, method: .wilson, level: 0.95, rows: found.rows).csv()
        return HTTPResponse(status: .ok, contentType: "text/csv; charset=utf-8", body: csv,
                            headers: [("Content-Disposition", "attachment; filename=\"comparison-\(found.questionnaire.id).csv\""), ("Cache-Control", "no-store")])
    }

    /// `GET /analyst/report?questionnaire=&borough=&period=|from=&to=&format=html|md|json`: the
    /// inspection-readiness report `canvass report` writes, for the same figures.
    func report(_ request: HTTPRequest, store: SurveyStore) throws -> HTTPResponse {
        guard isAnalyst(request) else { return WebResponses.redirect("/analyst") }
        let items = request.queryItems
        let query = ComparisonQuery(request)
        let format = items["format"].flatMap { $0.isEmpty ? nil : $0 } ?? "html"
        guard ["html", "md", "json"].contains(format) else { return badReport("The format must be html, md or json.") }
        if let problem = query.problem { return badReport(problem) }
        guard let questionnaire = try analysedQuestionnaire(query.questionnaireID, store: store) else {
            return HTTPResponse(status: .notFound, contentType: "text/plain; charset=utf-8", body: "No questionnaire with measures has responses.\n")
        }
        let borough = items["borough"].flatMap { $0.isEmpty ? nil : $0 }
        var period: ReportPeriod?
        if let from = query.from, let to = query.to { period = ReportPeriod(label: query.period ?? "\(from) to \(to)", from: from, to: to) }
        let key = "report\u{0}\(questionnaire.id)\u{0}\(borough ?? "")\u{0}\(period?.from ?? "")\u{0}\(period?.to ?? "")\u{0}\(format)"
        let body: String
        do {
            body = try figures.value(key, store: store) {
                let builder = InspectionReportBuilder(stores: [store], questionnaire: questionnaire, options: MeasureOptions())
                let report = try builder.build(scope: borough.map(ReportScope.borough) ?? .all, period: period, overdispersion: items["overdispersion"] == "1",
                                               producedAt: DateText.isoTimestamp(unixSeconds: now()))
                switch format {
                case "md": return report.markdown()
                case "json": return report.json()
                default: return report.html(stylesheet: .linked("/assets/report.css"))
                }
            }
        } catch let error as ReportError {
            return badReport("\(error)")
        }
        let type = format == "json" ? "application/json" : format == "md" ? "text/markdown; charset=utf-8" : "text/html; charset=utf-8"
        return HTTPResponse(status: .ok, contentType: type, body: body, headers: [("Cache-Control", "no-store")])
    }

    private func badReport(_ problem: String) -> HTTPResponse {
        HTTPResponse(status: .badRequest, contentType: "text/plain; charset=utf-8", body: problem + "\n")
    }
}
