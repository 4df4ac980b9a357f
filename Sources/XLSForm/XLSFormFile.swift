import CSV
import Foundation
import SurveyEngine

/// An XLSForm read from disk by either route (an `.xlsx` workbook, or its sheets saved as CSV),
/// converted, and checked by the same loader as `canvass check` before anyone sees it.
public struct XLSFormFile: Sendable {
    /// The questionnaire file's text.
    public var json: String
    /// What could not be translated, line by line.
    public var notes: [String]
    /// The questionnaire's id: the settings sheet's `form_id`, else the file's name.
    public var id: String
    /// The questionnaire as the loader read it back.
    public var questionnaire: Questionnaire

    /// Reads the workbook at `path` (its survey, choices and settings sheets).
    public static func workbook(path: String) throws(XLSFormError) -> XLSFormFile {
        let book = try XLSXWorkbook(bytes: try read(path, sheet: "workbook"))
        guard let survey = book.sheet("survey") else {
            let names = book.sheets.map { "'\($0.name)'" }.joined(separator: ", ")
            throw XLSFormError(sheet: "workbook", line: 0, message: "no sheet called 'survey' (the workbook has \(names.isEmpty ? "no sheets" : names))")
        }
        return try convert(survey: survey, choices: book.sheet("choices"), settings: book.sheet("settings"), path: path)
    }

    /// Reads the sheets saved as CSV files.
    public static func sheets(survey: String, choices: String?, settings: String?) throws(XLSFormError) -> XLSFormFile {
        func sheet(_ path: String?, _ name: String) throws(XLSFormError) -> XLSFormSheet? {
            guard let path else { return nil }
            var reader = CSVReader(bytes: try read(path, sheet: name))
            var rows: [[String]] = []
            do {
                while let row = try reader.next() { rows.append(row) }
            } catch {
                throw XLSFormError(sheet: name, line: reader.line, message: error.message)
            }
            return XLSFormSheet(name: name, rows: rows)
        }
        return try convert(survey: try sheet(survey, "survey")!, choices: try sheet(choices, "choices"),
                           settings: try sheet(settings, "settings"), path: survey)
    }

    static func convert(survey: XLSFormSheet, choices: XLSFormSheet?, settings: XLSFormSheet?, path: String) throws(XLSFormError) -> XLSFormFile {
        let formID = settings.flatMap { sheet in sheet.rows.first.map { sheet.value($0.cells, "form_id") } } ?? ""
        let id = formID.isEmpty ? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent : formID
        let result = try XLSFormConverter(survey: survey, choices: choices, settings: settings).convert(id: id)
        do {
            let questionnaire = try QuestionnaireLoader.load(bytes: Array(result.json.utf8), id: id, source: path)
            return XLSFormFile(json: result.json, notes: result.notes, id: id, questionnaire: questionnaire)
        } catch {
            throw XLSFormError(sheet: "survey", line: 0, message: "the converted questionnaire does not pass the checks of `canvass check`: \(error)")
        }
    }

    static func read(_ path: String, sheet: String) throws(XLSFormError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "permission denied or not a regular file" : "no such file"
            throw XLSFormError(sheet: sheet, line: 0, message: "\(path): cannot read the file (\(reason))")
        }
        return Array(data)
    }
}
