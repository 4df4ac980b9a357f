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
    /// How it was collected (`import` for data brought in; the demo says web or terminal).
    public var mode: ResponseMode
    public var administration: Administration
    /// Answers the invitation already made for `caseRef` to this questionnaire (the demo's invited
    /// victims), and so reaches that case; an import of survey data leaves it false.
    public var answersInvitation: Bool

    public init(answers: [String: AnswerValue], borough: String? = nil, ward: String? = nil, completedAt: String,
                weight: Double? = nil, caseRef: String? = nil, mode: ResponseMode = .import, administration: Administration = .selfCompleted,
                answersInvitation: Bool = false) {
        self.answers = answers
        self.answersInvitation = answersInvitation
        self.mode = mode
        self.administration = administration
        self.borough = borough
        self.ward = ward
        self.completedAt = completedAt
        self.weight = weight
        self.caseRef = caseRef
    }
}

/// The parameter values of one imported response's rows, built off the writer thread.
struct ImportRows: Sendable {
    var response: [SQLValue]
    var answers: [SQLValue]
    /// The response's analysis row (labels still as text: the writer gives them ids).
    var analysis: AnalysisRow
    /// The case whose invitation this response answers, if any (the writer finds the invitation).
    var invitationCase: String?
    var answerCount: Int { answers.count / 5 }

    /// The rows for `imported`, stored as response `id` of questionnaire version `versionID`.
    init(_ imported: ImportedResponse, id: Int64, versionID: Int64, questionnaireID: String, language: String,
         fields: [ResponseField: String], layout: MeasureLayout) {
        let borough = imported.borough ?? fields[.borough].flatMap { imported.answers[$0]?.storedValues.first }
        let ward = imported.ward ?? fields[.ward].flatMap { imported.answers[$0]?.storedValues.first }
        func text(_ s: String?) -> SQLValue { s.map { .text($0) } ?? .null }
        response = [.integer(id), .integer(versionID), .text(language), text(imported.caseRef), text(borough), text(ward),
                    imported.weight.map { .real($0) } ?? .null, .text(imported.completedAt), .text(imported.mode.rawValue),
                    .text(imported.administration.rawValue), .null]
        invitationCase = imported.answersInvitation ? imported.caseRef : nil
        answers = []
        answers.reserveCapacity(imported.answers.count * 5)
        for (questionID, answer) in imported.answers.sorted(by: { $0.key < $1.key }) {
            let number: SQLValue = if case .number(let n) = answer { .real(n) } else { .null }
            for (ordinal, value) in answer.storedValues.enumerated() {
                answers += [.integer(id), .text(questionID), .integer(Int64(ordinal)), .text(value), number]
            }
        }
        analysis = AnalysisRow(responseID: id, questionnaireID: questionnaireID, versionID: versionID, complete: true,
                               day: DateText.dayNumber(imported.completedAt), borough: borough, ward: ward, mode: imported.mode,
                               administration: imported.administration, language: language, weight: imported.weight, invited: false,
                               repeatVictim: nil, vulnerable: nil, states: layout.states { imported.answers[$0]?.storedValues }, caseAttributes: nil)
    }
}

extension SurveyStore {
    /// Imports responses from `next` (nil at the end) in one transaction. A second thread reads,
    /// checks and prepares rows while this one writes, so parsing and SQLite overlap on two cores.
    /// If `next` or any insert throws, nothing is stored and the error is rethrown. Returns the
    /// number of responses stored.
    public func importResponses(versionID: Int64, questionnaire: Questionnaire, batchSize: Int = 1_000,
                                next: @escaping @Sendable () throws -> ImportedResponse?,
                                progress: (Int) -> Void = { _ in }) throws -> Int {
        try bulkWrite { writer in
            let queue = BoundedQueue<ImportRows>(capacity: 4)
            let build = rowBuilder(versionID: versionID, questionnaire: questionnaire, firstID: writer.firstID)
            let producer = Thread {
                do {
                    var batch: [ImportRows] = []
                    batch.reserveCapacity(batchSize)
                    while let response = try next() {
                        batch.append(build(response))
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
            while let batch = try queue.receive() {
                for rows in batch { try writer.write(rows) }
                progress(writer.count)
            }
        }
    }

    /// Imports responses handed to `add` by `produce`, on this thread, in one transaction; if
    /// `produce` (or any insert) throws, nothing is stored and the error is rethrown.
    public func importResponses(versionID: Int64, questionnaire: Questionnaire,
                                _ produce: (_ add: (ImportedResponse) throws -> Void) throws -> Void) throws -> Int {
        try bulkWrite { writer in
            let build = rowBuilder(versionID: versionID, questionnaire: questionnaire, firstID: writer.firstID)
            try produce { try writer.write(build($0)) }
        }
    }

    /// A function that turns the n-th imported response into rows with id `firstID + n`.
    private func rowBuilder(versionID: Int64, questionnaire: Questionnaire, firstID: Int64) -> @Sendable (ImportedResponse) -> ImportRows {
        let fields = Dictionary(questionnaire.questions.compactMap { q in q.responseField.map { ($0, q.id) } }, uniquingKeysWith: { a, _ in a })
        let language = questionnaire.languages.first ?? "en"
        let counter = IDCounter(firstID)
        let layout = MeasureLayout(questionnaire)
        let id = questionnaire.id
        return { ImportRows($0, id: counter.next(), versionID: versionID, questionnaireID: id, language: language, fields: fields, layout: layout) }
    }

    /// Runs `body` with a page cache of 32 MiB for a bulk write, then gives the default back: with
    /// the default 2 MiB, a million cases or invitations spilled and re-read B-tree pages, a fifth
    /// of the time (rows are appended in key order, so a larger one bought nothing but memory).
    func withBulkCache<T>(mebibytes: Int = 32, _ body: () throws -> T) throws -> T {
        try db.execute("PRAGMA cache_size = -\(mebibytes * 1024)")
        defer { try? db.execute("PRAGMA cache_size = -2000") }
        return try body()
    }

    /// Runs `body` with a writer inside one transaction, with the bulk page cache and without the per-row
    /// foreign-key lookups (every answer row refers to the response written just before it). The
    /// analysis table's insert triggers stand aside: what they would add (cells, totals, the
    /// generation) is added up as rows go and written once at the end.
    private func bulkWrite(_ body: (BulkWriter) throws -> Void) throws -> Int {
        do {
            try db.execute("PRAGMA foreign_keys = OFF")
            defer { try? db.execute("PRAGMA foreign_keys = ON") }
            return try withBulkCache { try db.transaction {
                let triggers = try BulkInsertTriggers.setAside(in: db)
                let writer = try BulkWriter(db: db, analysisValues: analysisValues)
                try body(writer)
                try writer.cells.write(to: db)
                try triggers.restore(in: db)
                return writer.count
            } }
        } catch let error as SQLiteError {
            throw SurveyStoreError.database(error, action: "import responses (nothing was stored)")
        }
    }
}

/// Hands out consecutive response ids; used by one producer thread at a time.
final class IDCounter: @unchecked Sendable {
    private var value: Int64

    init(_ first: Int64) { value = first }

    func next() -> Int64 {
        defer { value += 1 }
        return value
    }
}

/// Writes prepared rows with cached statements (one multi-row INSERT per response's answers).
final class BulkWriter {
    private lazy var findInvitation = try? db.prepare("""
        SELECT i.id, coalesce(c.repeat_victim, i.repeat_victim) AS repeat_victim, coalesce(c.vulnerable_victim, i.vulnerable) AS vulnerable,
               c.highest_stage, c.outcome, c.channel, c.case_review, c.complaints_6m, c.days_to_first_action
        FROM invitations i LEFT JOIN cases c ON c.case_ref = i.case_ref
        WHERE i.case_ref = ? AND i.questionnaire_id = ? AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.invitation_id = i.id)
        """)

    /// Attaches the response to the unanswered invitation of case `ref`, with its case's attributes.
    private func link(_ rows: inout ImportRows, toInvitationOf ref: String) throws {
        guard let statement = findInvitation else { throw SQLiteError(code: 1, message: "cannot prepare the invitation lookup") }
        var found: Row?
        try statement.forEach([ref, rows.analysis.questionnaireID]) { found = $0.row() }
        guard let row = found else {
            throw SurveyStoreError.invitationNotFound
        }
        rows.response[10] = .integer(try row.get("id"))
        rows.analysis.invited = true
        rows.analysis.repeatVictim = try row.get("repeat_victim")
        rows.analysis.vulnerable = try row.get("vulnerable")
        rows.analysis.caseAttributes = try SurveyStore.caseAttributes(row)
    }

    private let db: Connection
    private let insertResponse: Statement
    private var insertAnswers: [Int: Statement] = [:]
    private let insertAnalysis: Statement
    /// The analysis row's parameter values, labels given ids (`SurveyStore.analysisValues`).
    private let analysisValues: (AnalysisRow) throws -> [SQLValue]
    /// The id the first written response gets (the write lock is held, so nobody else takes it).
    let firstID: Int64
    private(set) var count = 0
    /// The analysis cells of the rows written so far, for `bulkWrite` to write at the end.
    private(set) var cells = CellSums()

    init(db: Connection, analysisValues: @escaping (AnalysisRow) throws -> [SQLValue]) throws {
        self.db = db
        self.analysisValues = analysisValues
        insertAnalysis = try db.prepare("""
            INSERT INTO analysis_responses(\(SurveyStore.analysisColumns))
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        firstID = (try db.scalar("SELECT max(id) FROM responses").int64 ?? 0) + 1
        insertResponse = try db.prepare("""
            INSERT INTO responses(id, questionnaire_version_id, status, mode, administration, language, case_ref, borough, ward, weight,
                                  started_at, updated_at, completed_at, invitation_id)
            VALUES (?1, ?2, 'complete', ?9, ?10, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?8, ?11)
            """)
    }

    func write(_ rows: ImportRows) throws {
        var rows = rows
        if let ref = rows.invitationCase { try link(&rows, toInvitationOf: ref) }
        try insertResponse.execute(values: rows.response)
        let analysis = try analysisValues(rows.analysis)
        try insertAnalysis.execute(values: analysis)
        cells.add(analysis)
        count += 1
        let n = rows.answerCount
        guard n > 0 else { return }
        if insertAnswers[n] == nil {
            insertAnswers[n] = try db.prepare("INSERT INTO answers(response_id, question_id, ordinal, value, number) VALUES "
                                              + Array(repeating: "(?, ?, ?, ?, ?)", count: n).joined(separator: ", "))
        }
        try insertAnswers[n]!.execute(values: rows.answers)
    }
}
