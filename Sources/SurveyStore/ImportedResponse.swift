import Foundation
import SQLite
import SurveyEngine

/// One response brought in from existing survey data.
public struct ImportedResponse: Sendable {
    public var answers: [String: AnswerValue]
    public var borough: String?
    public var ward: String?
    /// ISO 8601 timestamp of completion.
    public var completedAt: String
    public var weight: Double?
    public var caseRef: String?

    public init(answers: [String: AnswerValue], borough: String? = nil, ward: String? = nil, completedAt: String,
                weight: Double? = nil, caseRef: String? = nil) {
        self.answers = answers
        self.borough = borough
        self.ward = ward
        self.completedAt = completedAt
        self.weight = weight
        self.caseRef = caseRef
    }
}

extension SurveyStore {
    /// Imports responses from `next` (nil at the end) in one transaction, reading and checking on
    /// a second thread while this one writes, so parsing and SQLite overlap on two cores. If
    /// `next` or any insert throws, nothing is stored and the error is rethrown.
    public func importResponses(versionID: Int64, questionnaire: Questionnaire, batchSize: Int = 1_000,
                                next: @escaping @Sendable () throws -> ImportedResponse?,
                                progress: (Int) -> Void = { _ in }) throws -> Int {
        let queue = BoundedQueue<ImportedResponse>(capacity: 8)
        let producer = Thread {
            do {
                var batch: [ImportedResponse] = []
                batch.reserveCapacity(batchSize)
                while let response = try next() {
                    batch.append(response)
                    if batch.count == batchSize {
                        guard queue.send(batch) else { return }
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty { _ = queue.send(batch) }
                queue.close()
            } catch {
                queue.close(error: error)
            }
        }
        producer.start()
        defer { queue.cancel() }
        return try importResponses(versionID: versionID, questionnaire: questionnaire) { add in
            var written = 0
            while let batch = try queue.receive() {
                for response in batch { try add(response) }
                written += batch.count
                progress(written)
            }
        }
    }

    /// Imports responses in one transaction: `produce` is handed a function that stores one
    /// response; if `produce` (or any insert) throws, nothing is stored and the error is rethrown.
    /// Returns the number of responses stored.
    public func importResponses(versionID: Int64, questionnaire: Questionnaire,
                                _ produce: (_ add: (ImportedResponse) throws -> Void) throws -> Void) throws -> Int {
        let fields = Dictionary(questionnaire.questions.compactMap { q in q.responseField.map { ($0, q.id) } }, uniquingKeysWith: { a, _ in a })
        var count = 0
        do {
            // Every answer row refers to the response inserted just before it, so the per-row
            // foreign-key lookup proves nothing here; it is switched off for the bulk insert only.
            try db.execute("PRAGMA cache_size = -262144; PRAGMA foreign_keys = OFF")
            defer { try? db.execute("PRAGMA cache_size = -2000; PRAGMA foreign_keys = ON") }
            try db.transaction {
                let insertResponse = try db.prepare("""
                    INSERT INTO responses(questionnaire_version_id, status, mode, language, case_ref, borough, ward, weight,
                                          started_at, updated_at, completed_at)
                    VALUES (?, 'complete', 'import', ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                var answerInserts: [Int: Statement] = [:]
                let language = questionnaire.languages.first ?? "en"
                try produce { response in
                    let borough = response.borough ?? fields[.borough].flatMap { response.answers[$0]?.storedValues.first }
                    let ward = response.ward ?? fields[.ward].flatMap { response.answers[$0]?.storedValues.first }
                    try insertResponse.execute([versionID, language, response.caseRef, borough, ward, response.weight,
                                                response.completedAt, response.completedAt, response.completedAt])
                    let id = db.lastInsertRowID
                    var values: [SQLValue] = []
                    values.reserveCapacity(response.answers.count * 6)
                    for (questionID, answer) in response.answers {
                        let number: SQLValue = if case .number(let n) = answer { .real(n) } else { .null }
                        for (ordinal, value) in answer.storedValues.enumerated() {
                            values += [.integer(id), .text(questionID), .integer(Int64(ordinal)), .text(value), number]
                        }
                    }
                    let rows = values.count / 5
                    guard rows > 0 else { count += 1; return }
                    // One multi-row INSERT per response: one statement step instead of one per answer.
                    let insert = try answerInserts[rows] ?? db.prepare(
                        "INSERT INTO answers(response_id, question_id, ordinal, value, number) VALUES "
                            + Array(repeating: "(?, ?, ?, ?, ?)", count: rows).joined(separator: ", "))
                    answerInserts[rows] = insert
                    try insert.execute(values: values)
                    count += 1
                }
            }
        } catch let error as SQLiteError {
            throw SurveyStoreError.database(error, action: "import responses (nothing was stored)")
        }
        return count
    }
}
