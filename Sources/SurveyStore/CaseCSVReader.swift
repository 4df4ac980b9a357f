import CSV
import SurveyEngine

/// Reads a case export (`docs/cases.md`): one row per case, checked as it is read. Every
/// problem names the line, the column and the value.
public struct CaseCSVReader {
    public static let requiredColumns = ["case_ref", "borough", "ward", "opened", "closed", "channel", "repeat_victim",
                                         "vulnerable_victim", "highest_stage", "outcome"]
    public static let optionalColumns = ["complaints_6m", "case_review", "do_not_contact"]

    private var reader: CSVReader
    private let boroughs: BoroughDirectory
    private let position: [String: Int]
    private var seen = Set<String>()

    public init(reader: CSVReader, boroughs: BoroughDirectory) throws(ImportProblem) {
        var reader = reader
        let header: [String]?
        do { header = try reader.next() } catch { throw ImportProblem(line: error.line, message: error.message) }
        guard let header else { throw ImportProblem(line: 1, message: "the file is empty; the first line must name the columns") }
        var position: [String: Int] = [:]
        for (index, raw) in header.enumerated() {
            let name = raw.trimmingBlanks
            guard Self.requiredColumns.contains(name) || Self.optionalColumns.contains(name) else {
                throw ImportProblem(line: 1, column: name, message: "unknown column; the columns are \((Self.requiredColumns + Self.optionalColumns).joined(separator: ", "))")
            }
            guard position[name] == nil else { throw ImportProblem(line: 1, column: name, message: "the column appears twice") }
            position[name] = index
        }
        if let missing = Self.requiredColumns.first(where: { position[$0] == nil }) {
            throw ImportProblem(line: 1, column: missing, message: "this column is required")
        }
        self.reader = reader
        self.boroughs = boroughs
        self.position = position
    }

    /// The next case, checked; nil at the end.
    public mutating func next() throws(ImportProblem) -> CaseRecord? {
        let line = reader.line
        let record: [String]?
        do { record = try reader.next() } catch { throw ImportProblem(line: error.line, message: error.message) }
        guard let record else { return nil }
        guard record.count == position.count else {
            throw ImportProblem(line: line, message: "has \(record.count) fields but the header has \(position.count)")
        }
        func cell(_ name: String) -> String? {
            guard let index = position[name] else { return nil }
            let value = record[index].trimmingBlanks
            return value.isEmpty ? nil : value
        }
        func required(_ name: String) throws(ImportProblem) -> String {
            guard let value = cell(name) else { throw ImportProblem(line: line, column: name, message: "a value is required") }
            return value
        }
        func choice<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type) throws(ImportProblem) -> E where E.RawValue == String {
            let value = try required(name)
            guard let parsed = E(rawValue: value) else {
                throw ImportProblem(line: line, column: name, value: value, message: "expected one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return parsed
        }
        func flag(_ name: String, default fallback: Bool? = nil) throws(ImportProblem) -> Bool {
            guard let value = cell(name) else {
                if let fallback { return fallback }
                throw ImportProblem(line: line, column: name, message: "a value is required (true or false)")
            }
            switch value.lowercased() {
            case "true": return true
            case "false": return false
            default: throw ImportProblem(line: line, column: name, value: value, message: "expected true or false")
            }
        }
        func date(_ name: String) throws(ImportProblem) -> String? {
            guard let value = cell(name) else { return nil }
            guard DateText.isValidISODate(value) else { throw ImportProblem(line: line, column: name, value: value, message: "expected a date written YYYY-MM-DD") }
            return value
        }
        let caseRef = try required("case_ref")
        guard caseRef.count <= 64 else { throw ImportProblem(line: line, column: "case_ref", value: caseRef, message: "at most 64 characters") }
        guard seen.insert(caseRef).inserted else { throw ImportProblem(line: line, column: "case_ref", value: caseRef, message: "this case appears twice in the file") }
        let boroughText = try required("borough")
        guard let borough = boroughs.resolve(boroughText) else {
            throw ImportProblem(line: line, column: "borough", value: boroughText, message: "not a borough name or ONS code of the borough list")
        }
        guard let opened = try date("opened") else { throw ImportProblem(line: line, column: "opened", message: "a value is required") }
        let closed = try date("closed")
        if let closed, closed < opened {
            throw ImportProblem(line: line, column: "closed", value: closed, message: "the case closed before it opened (\(opened))")
        }
        var complaints: Int?
        if let text = cell("complaints_6m") {
            guard let value = Int(text), (0...10_000).contains(value) else {
                throw ImportProblem(line: line, column: "complaints_6m", value: text, message: "expected a whole number of complaints, 0 or more")
            }
            complaints = value
        }
        let review = cell("case_review") == nil ? nil : try choice("case_review", CaseReviewState.self)
        return CaseRecord(caseRef: caseRef, boroughCode: borough.code, borough: borough.name, ward: cell("ward"), opened: opened, closed: closed,
                          channel: try choice("channel", CaseChannel.self), repeatVictim: try flag("repeat_victim"),
                          vulnerableVictim: try flag("vulnerable_victim"), highestStage: try choice("highest_stage", EscalationStage.self),
                          outcome: try choice("outcome", CaseOutcome.self), complaints6m: complaints, caseReview: review,
                          doNotContact: try flag("do_not_contact", default: false))
    }

    /// Reads a case events file (`case_ref,date,action`), every event checked.
    public static func events(_ reader: CSVReader) throws(ImportProblem) -> [CaseEvent] {
        var reader = reader
        var events: [CaseEvent] = []
        do {
            guard let header = try reader.next()?.map(\.trimmingBlanks), header == ["case_ref", "date", "action"] else {
                throw ImportProblem(line: 1, message: "the events file's columns must be case_ref,date,action")
            }
            while true {
                let line = reader.line
                guard let record = try reader.next()?.map(\.trimmingBlanks) else { break }
                guard record.count == 3 else { throw ImportProblem(line: line, message: "has \(record.count) fields but the header has 3") }
                guard !record[0].isEmpty else { throw ImportProblem(line: line, column: "case_ref", message: "a value is required") }
                guard DateText.isValidISODate(record[1]) else { throw ImportProblem(line: line, column: "date", value: record[1], message: "expected a date written YYYY-MM-DD") }
                guard !record[2].isEmpty else { throw ImportProblem(line: line, column: "action", message: "a value is required") }
                events.append(CaseEvent(caseRef: record[0], date: record[1], action: record[2]))
            }
        } catch let problem as ImportProblem {
            throw problem
        } catch let error as CSVError {
            throw ImportProblem(line: error.line, message: error.message)
        } catch {
            throw ImportProblem(line: 0, message: "\(error)")
        }
        return events
    }
}
