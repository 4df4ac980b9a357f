import CSV
import JSON
import SurveyStore

/// Writes responses as CSV (RFC 4180, UTF-8: one row per response, one column per question,
/// codes as values, a `multiple` question's codes joined by `;`), as JSON, or as a codebook of
/// question and value labels. Each response is written as it is read, so memory stays flat
/// whatever the number of responses. Spreadsheet formulas in text are neutralised (`CSVWriter`).
public struct ResponseExporter {
    public let layout: ExportLayout

    public init(layout: ExportLayout) { self.layout = layout }

    /// The CSV header line.
    public var csvHeader: String { CSVWriter.line(layout.metadata + layout.variables.map(\.questionID)) + "\r\n" }

    /// One response as a CSV line (with its CRLF line end).
    public func csvLine(_ response: ExportedResponse) -> String {
        CSVWriter.line(metadataValues(response).map { $0 ?? "" } + layout.variables.map { (response.answers[$0.questionID] ?? []).joined(separator: ";") }) + "\r\n"
    }

    /// The metadata values in `layout.metadata` order (nil where empty).
    public func metadataValues(_ response: ExportedResponse) -> [String?] {
        var values: [String?] = [String(response.id), String(response.version), response.status.rawValue, response.mode, response.administration,
                                 response.language, response.borough, response.ward, response.weight.map(JSONWriter.format), response.startedAt,
                                 response.completedAt]
        if layout.metadata.last == "case_ref" || layout.metadata.last == "response_case_ref" { values.append(response.caseRef) }
        return values
    }

    /// The codebook: `variable,label,type,value,value_label,missing`, a line per question, then
    /// a line per choice; the metadata columns first.
    public func codebook() -> String {
        var lines = [CSVWriter.line(["variable", "label", "type", "value", "value_label", "missing"])]
        let meta: [(String, String)] = [
            ("response_id", "Response number"), ("questionnaire_version", "Stored questionnaire version answered"),
            ("status", "complete or partial"), ("mode", "How it was collected: terminal, web or import"),
            ("administration", "self or interviewer"), ("language", "Language answered in"), ("borough", "Borough"), ("ward", "Ward"),
            ("weight", "Survey weight (empty: 1)"), ("started_at", "Started (UTC)"), ("completed_at", "Completed (UTC)"),
            ("case_ref", "Case reference (exported only when asked for)"),
        ]
        for (name, label) in meta {
            guard let column = layout.metadata.first(where: { $0 == name || $0 == "response_" + name }) else { continue }
            lines.append(CSVWriter.line([column, label, "metadata", "", "", ""]))
        }
        for variable in layout.variables {
            lines.append(CSVWriter.line([variable.questionID, variable.label, variable.type.rawValue, "", "", ""]))
            for choice in variable.choices {
                lines.append(CSVWriter.line([variable.questionID, "", "", choice.code, choice.label, variable.missingCodes.contains(choice.code) ? "missing" : ""]))
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// The JSON document's opening, up to the responses array.
    public func jsonOpening(questionnaire: String) -> String {
        "{\n  \"questionnaire\": \(JSONWriter(pretty: false).string(.string(questionnaire))),\n  \"language\": \(JSONWriter(pretty: false).string(.string(layout.language))),\n  \"responses\": [\n"
    }

    /// One response as a JSON object on one line, `first` saying whether a comma goes before it.
    public func jsonResponse(_ response: ExportedResponse, first: Bool) -> String {
        var members: [JSONMember] = []
        for (name, value) in zip(layout.metadata, metadataValues(response)) {
            switch name {
            case "response_id", "questionnaire_version", "response_questionnaire_version": members.append(JSONMember(name, .number(Double(value ?? "0") ?? 0)))
            case "weight", "response_weight": members.append(JSONMember(name, response.weight.map(JSONValue.number) ?? .null))
            default: members.append(JSONMember(name, value.map(JSONValue.string) ?? .null))
            }
        }
        let answers = layout.variables.compactMap { variable -> JSONMember? in
            guard let values = response.answers[variable.questionID] else { return nil }
            switch variable.type {
            case .multiple: return JSONMember(variable.questionID, .array(values.map(JSONValue.string)))
            case .number: return JSONMember(variable.questionID, Double(values[0]).map(JSONValue.number) ?? .string(values[0]))
            default: return JSONMember(variable.questionID, .string(values[0]))
            }
        }
        members.append(JSONMember("answers", .object(answers)))
        return (first ? "    " : ",\n    ") + JSONWriter(pretty: false).string(.object(members))
    }

    /// The JSON document's end.
    public var jsonClosing: String { "\n  ]\n}\n" }
}
