import CSV
import Foundation
import JSON
import SurveyEngine

/// Why a row of a responses CSV was refused: the line, the column and the value.
public struct ImportProblem: Error, Equatable, CustomStringConvertible, Sendable {
    public var line: Int
    public var column: String?
    public var value: String?
    public var message: String

    /// "line 3, column 'x', value 'y': message"; a problem with the file as a whole (line 0) is just its message.
    public var description: String {
        guard line > 0 else { return message }
        var place = "line \(line)"
        if let column { place += ", column '\(column)'" }
        if let value { place += ", value '\(value)'" }
        return "\(place): \(message)"
    }
}

/// Reads a responses CSV (one row per respondent, one column per question id, plus optional
/// `borough`, `ward`, `completed_at`, `weight`, `case_ref`) and checks each row with the interview
/// engine, exactly as if the respondent had answered it. Multiple-choice cells list codes separated by `;`.
public struct CSVResponseReader {
    public static let extraColumns = ["borough", "ward", "completed_at", "weight", "case_ref"]

    private var reader: CSVReader
    private let interview: Interview
    private let header: [String]
    /// The question of each column (nil for the extra columns), looked up once.
    private let columnQuestions: [Question?]
    /// The position of each extra column that is not also a question id.
    private let extraPositions: [String: Int]
    private let defaultCompletion: String

    /// Reads the header and checks every column is a question id or one of the extra columns.
    public init(bytes: [UInt8], interview: Interview, defaultCompletion: String) throws(ImportProblem) {
        try self.init(reader: CSVReader(bytes: bytes), interview: interview, defaultCompletion: defaultCompletion)
    }

    /// Reads the file at `path` in chunks, so memory stays flat however long the file.
    public init(path: String, interview: Interview, defaultCompletion: String) throws(ImportProblem) {
        let reader: CSVReader
        do { reader = try CSVReader(path: path) } catch { throw ImportProblem(line: error.line, message: error.message) }
        try self.init(reader: reader, interview: interview, defaultCompletion: defaultCompletion)
    }

    /// Reads the header from `reader` and checks every column is a question id or one of the extra columns.
    public init(reader: CSVReader, interview: Interview, defaultCompletion: String) throws(ImportProblem) {
        var reader = reader
        self.interview = interview
        self.defaultCompletion = defaultCompletion
        let first: [String]?
        do { first = try reader.next() } catch { throw ImportProblem(line: error.line, message: error.message) }
        self.reader = reader
        guard let first else { throw ImportProblem(line: 1, message: "the file is empty; the first line must name the columns") }
        header = first.map { $0.trimmingBlanks }
        var seen = Set<String>()
        for name in header {
            guard seen.insert(name).inserted else { throw ImportProblem(line: 1, column: name, message: "the column appears twice") }
            if interview.questionnaire.question(name) == nil && !Self.extraColumns.contains(name) {
                throw ImportProblem(line: 1, column: name, message: "unknown column: not a question of \(interview.questionnaire.id) nor one of \(Self.extraColumns.joined(separator: ", "))")
            }
        }
        let questions = header.map { interview.questionnaire.question($0) }
        columnQuestions = questions
        extraPositions = Dictionary(uniqueKeysWithValues: header.enumerated().filter { questions[$0.offset] == nil }.map { ($1, $0) })
    }

    /// The next response, checked; nil at the end of the file.
    public mutating func next() throws(ImportProblem) -> ImportedResponse? {
        let line = reader.line
        let record: [String]?
        do { record = try reader.next() } catch { throw ImportProblem(line: error.line, message: error.message) }
        guard let record else { return nil }
        guard record.count == header.count else {
            throw ImportProblem(line: line, message: "has \(record.count) fields but the header has \(header.count)")
        }
        var given: [String: JSONValue] = [:]
        let cells = record.map { $0.trimmingBlanks }
        for (column, question) in columnQuestions.enumerated() {
            guard let question, !cells[column].isEmpty else { continue }
            given[question.id] = try json(cells[column], for: question, line: line)
        }
        let state: InterviewState
        switch interview.complete(with: given) {
        case .success(let s): state = s
        case .failure(.invalidAnswers(_, let problems)):
            let first = problems.first ?? AnswerProblem(questionID: "", message: "invalid")
            let value = header.firstIndex(of: first.questionID).map { cells[$0] }.flatMap { $0.isEmpty ? nil : $0 }
            throw ImportProblem(line: line, column: first.questionID, value: value, message: first.message)
        case .failure(let error): throw ImportProblem(line: line, message: "\(error)")
        }
        return ImportedResponse(answers: state.answers, borough: extra("borough", cells), ward: extra("ward", cells),
                                completedAt: try completion(extra("completed_at", cells), line: line),
                                weight: try weight(extra("weight", cells), line: line), caseRef: extra("case_ref", cells))
    }

    private func extra(_ name: String, _ cells: [String]) -> String? {
        guard let position = extraPositions[name], !cells[position].isEmpty else { return nil }
        return cells[position]
    }

    private func json(_ value: String, for question: Question, line: Int) throws(ImportProblem) -> JSONValue {
        switch question.type {
        case .multiple:
            return .array(value.split(separator: ";").map { .string(String($0).trimmingBlanks) })
        case .number:
            guard let n = Double(value), n.isFinite else { throw ImportProblem(line: line, column: question.id, value: value, message: "expected a number") }
            return .number(n)
        default:
            return .string(value)
        }
    }

    private func completion(_ value: String?, line: Int) throws(ImportProblem) -> String {
        guard let value else { return defaultCompletion }
        if DateText.isValidISODate(value) { return value + "T00:00:00.000Z" }
        let datePart = String(value.prefix(10))
        guard value.count >= 19, DateText.isValidISODate(datePart), value.dropFirst(10).first == "T" else {
            throw ImportProblem(line: line, column: "completed_at", value: value, message: "expected a date YYYY-MM-DD or a timestamp YYYY-MM-DDTHH:MM:SSZ")
        }
        return value
    }

    private func weight(_ value: String?, line: Int) throws(ImportProblem) -> Double? {
        guard let value else { return nil }
        guard let w = Double(value), w > 0, w.isFinite else {
            throw ImportProblem(line: line, column: "weight", value: value, message: "a weight must be a positive number")
        }
        return w
    }
}
