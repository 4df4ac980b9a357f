import Insight
import JSON

extension InspectionReport {
    /// The report's figures as JSON: rows in the shape `canvass measures --format json` gives
    /// them (fractions, nulls where suppressed), the sentences as written.
    public func json() -> String {
        func number(_ v: Double?) -> JSONValue { v.map(JSONValue.number) ?? .null }
        let findingValues = findings.map { finding in
            JSONValue.object([
                JSONMember("measure", .string(finding.id)), JSONMember("label", .string(finding.label)),
                JSONMember("baseline", number(finding.baseline)), JSONMember("baseline_source", finding.baselineSource.map(JSONValue.string) ?? .null),
                JSONMember("headline", .string(finding.headline)),
                JSONMember("current", MeasureReport.jsonRow(finding.current)), JSONMember("year_before", MeasureReport.jsonRow(finding.yearBefore)),
                JSONMember("change", number(finding.change)), JSONMember("p_change", number(finding.changeP)),
                JSONMember("boroughs", .array(finding.boroughs.map(MeasureReport.jsonRow))),
                JSONMember("trend", .array(finding.trend.map { row in
                    .object([JSONMember("period", .string(row.period)), JSONMember("current", MeasureReport.jsonRow(row.current)),
                             JSONMember("rolling", MeasureReport.jsonRow(row.rolling))])
                })),
            ])
        }
        let outcomeValues = outcomes.map { section in
            JSONValue.object([
                JSONMember("by", .string(section.grouping.rawValue)), JSONMember("title", .string(section.title)),
                JSONMember("rows", .array(section.rows.map(MeasureReport.categoryRow))),
                JSONMember("tests", .object(findings.compactMap { finding in
                    section.tests[finding.id].map { test in
                        JSONMember(finding.id, .object([
                            JSONMember("test", .string("chi-square")), JSONMember("statistic", number(test.statistic)),
                            JSONMember("df", test.degreesOfFreedom.map { .number(Double($0)) } ?? .null), JSONMember("p_value", number(test.pValue)),
                            JSONMember("merged", .array(test.merged.map(JSONValue.string))), JSONMember("note", .string(test.note)),
                        ]))
                    }
                })),
            ])
        }
        let r = responseRates
        let object = JSONValue.object([
            JSONMember("questionnaire", .string(questionnaireID)), JSONMember("title", .string(questionnaireTitle)),
            JSONMember("scope", .string(scope.name)), JSONMember("borough", scope.borough.map(JSONValue.string) ?? .null),
            JSONMember("period", .object([JSONMember("label", .string(period.label)), JSONMember("from", .string(period.from)), JSONMember("to", .string(period.to))])),
            JSONMember("produced_at", .string(producedAt)), JSONMember("method", .string(method.rawValue)), JSONMember("level", .number(level)),
            JSONMember("suppress_below", .number(Double(suppressBelow))), JSONMember("weighted", .bool(weighted)), JSONMember("overdispersion", .bool(overdispersion)),
            JSONMember("headlines", .array(findings.map { .string($0.headline) })),
            JSONMember("areas_for_improvement", .array(improvements.map(JSONValue.string))),
            JSONMember("measures", .array(findingValues)), JSONMember("case_outcomes", .array(outcomeValues)),
            JSONMember("wards", .array(wards.map(MeasureReport.jsonRow))),
            JSONMember("response_rates", .object([
                JSONMember("invitations", .number(Double(r.invitations))), JSONMember("partial", .number(Double(r.partial))),
                JSONMember("complete", .number(Double(r.complete))), JSONMember("rr1", number(r.rr1)), JSONMember("rr2", number(r.rr2)),
            ])),
            JSONMember("versions", .array(versions.map { .object([JSONMember("version", .number(Double($0.version))), JSONMember("declared", .string($0.declaredVersion)),
                                                                   JSONMember("responses", .number(Double($0.responses)))]) })),
            JSONMember("method_notes", .array(methodLines.map(JSONValue.string))),
        ])
        return JSONWriter(pretty: true).string(object) + "\n"
    }
}
