import CSV

import Foundation

/// Baselines from a CSV file with the header `questionnaire,measure,baseline,source`, where
/// `baseline` is a fraction 0–1 or a percentage written with `%`.
public enum BaselineFile {
    /// The baselines for `questionnaireID`, by measure id.
    public static func load(path: String, questionnaireID: String) throws(InsightError) -> [String: Double] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalidBaselineFile(path: path, line: 0, reason: "cannot read the file")
        }
        let records: [[String]]
        do {
            records = try CSVReader.parse(String(decoding: data, as: UTF8.self))
        } catch {
            throw .invalidBaselineFile(path: path, line: error.line, reason: error.message)
        }
        guard let header = records.first else { throw .invalidBaselineFile(path: path, line: 1, reason: "the file is empty") }
        guard let q = header.firstIndex(of: "questionnaire"), let m = header.firstIndex(of: "measure"),
              let b = header.firstIndex(of: "baseline") else {
            throw .invalidBaselineFile(path: path, line: 1, reason: "the header must name the columns questionnaire, measure and baseline")
        }
        var baselines: [String: Double] = [:]
        for (offset, record) in records.dropFirst().enumerated() where record.count > max(q, m, b) {
            guard record[q] == questionnaireID else { continue }
            let text = record[b].trimmingCharacters(in: .whitespaces)
            let value = text.hasSuffix("%") ? Double(text.dropLast()).map { $0 / 100 } : Double(text)
            guard let value, value > 0, value < 1 else {
                throw .invalidBaselineFile(path: path, line: offset + 2, reason: "baseline '\(text)' must be a fraction between 0 and 1, or a percentage such as 55%")
            }
            baselines[record[m]] = value
        }
        return baselines
    }
}
