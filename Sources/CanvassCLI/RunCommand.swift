import Foundation
import JSON
import SurveyEngine
import SurveyStore
import Terminal

/// `canvass run`: administers a questionnaire in the terminal, or from an answers file.
struct RunCommand {
    static let spec = CommandSpec(
        name: "run", summary: "Complete a questionnaire in the terminal; the response is stored in SQLite.",
        arguments: "[FILE]",
        options: [
            .init(name: "--db", value: "PATH", help: "SQLite database to store the response in (created if missing). Required.", required: true),
            .init(name: "--questionnaire", value: "ID", help: "Questionnaire id instead of FILE: from the database, else Questionnaires/ID.json."),
            .init(name: "--questionnaires", value: "DIR", help: "Folder to look for ID.json in (default Questionnaires)."),
            .init(name: "--lang", value: "CODE", help: "Language of the questions, e.g. cy for Welsh (default en)."),
            .init(name: "--mode", value: "MODE", help: "self (the respondent types) or interviewer (questions read out). Default self."),
            .init(name: "--resume", value: "ID", help: "Carry on a partial response with this id."),
            .init(name: "--answers", value: "FILE", help: "Answer non-interactively from a JSON object of question id → answer."),
            .init(name: "--token", value: "T", help: "The victim's invitation token (an interviewer calling an invited victim): the response answers that invitation."),
        ],
        maximumArguments: 1,
        details: """
        Answers are saved after every question. Ctrl-D or Ctrl-C stops and keeps a partial response;
        the message says how to resume. With --answers, every answer is validated as in the interview and
        nothing is stored unless all of them fit.
        """)

    let context: CLIContext

    func run(_ arguments: ParsedArguments) throws(CLIError) -> Int32 {
        let dbPath = arguments.required("--db")
        let mode = try parseMode(arguments.value("--mode"))
        if arguments.positionals.first != nil && arguments.value("--questionnaire") != nil {
            throw .conflictingOptions("FILE", "--questionnaire", command: "run")
        }
        if arguments.value("--resume") != nil && arguments.value("--answers") != nil {
            throw .conflictingOptions("--resume", "--answers", command: "run")
        }
        let store = try openStore(dbPath, context: context)
        if let resume = arguments.value("--resume") {
            guard let id = Int64(resume), id > 0 else {
                throw .invalidValue(option: "--resume", value: resume, expected: "a response id (a whole number)", command: "run")
            }
            return try resumeInterview(id, store: store, language: arguments.value("--lang"), mode: mode, dbPath: dbPath)
        }
        let published = try QuestionnaireSource(context: context).resolve(
            path: arguments.positionals.first, id: arguments.value("--questionnaire"),
            directory: arguments.value("--questionnaires"), store: store)
        let language = try checkLanguage(arguments.value("--lang"), published.questionnaire)
        let interview = Interview(questionnaire: published.questionnaire, language: language, today: context.today)
        var origin = ResponseOrigin(mode: .terminal, administration: mode.administration, language: interview.language)
        if let token = arguments.value("--token") {
            origin.invitationID = try invitationToAnswer(token, questionnaireID: published.questionnaire.id, store: store)
        }
        if let answersPath = arguments.value("--answers") {
            return try runFromFile(answersPath, interview: interview, published: published, origin: origin, store: store)
        }
        return try interact(interview, from: interview.start(), mode: mode,
                            session: InterviewSession(store: store, published: published, origin: origin, responseID: nil), dbPath: dbPath)
    }

    /// The invitation behind `token`, if it is for this questionnaire and not answered yet.
    private func invitationToAnswer(_ token: String, questionnaireID: String, store: SurveyStore) throws(CLIError) -> Int64 {
        guard let invitation = try storeCall({ () throws(SurveyStoreError) in try store.invitation(token: token) }) else {
            throw .failure("no invitation has that token (check it against the invitations file)", status: ExitStatus.noInput)
        }
        guard invitation.questionnaireID == questionnaireID else {
            throw .failure("that invitation is to \(invitation.questionnaireID), not \(questionnaireID)", status: ExitStatus.dataError)
        }
        if let responseID = invitation.responseID {
            throw .failure("that invitation already has response \(responseID); to carry on: canvass run --db PATH --resume \(responseID)", status: ExitStatus.dataError)
        }
        return invitation.id
    }

    private func parseMode(_ value: String?) throws(CLIError) -> TerminalInterview.Mode {
        guard let value else { return .selfCompletion }
        guard let mode = TerminalInterview.Mode(rawValue: value) else {
            throw .invalidValue(option: "--mode", value: value, expected: "self or interviewer", command: "run")
        }
        return mode
    }

    private func checkLanguage(_ value: String?, _ questionnaire: Questionnaire) throws(CLIError) -> String {
        guard let value else { return questionnaire.languages.first ?? "en" }
        guard questionnaire.languages.contains(value) else {
            throw .invalidValue(option: "--lang", value: value, expected: "one of the questionnaire's languages (\(questionnaire.languages.joined(separator: ", ")))", command: "run")
        }
        return value
    }

    private func runFromFile(_ path: String, interview: Interview, published: PublishedQuestionnaire,
                             origin: ResponseOrigin, store: SurveyStore) throws(CLIError) -> Int32 {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .failure("\(path): cannot read the answers file (no such file or not readable)", status: ExitStatus.noInput)
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(Array(data))
        } catch {
            throw .failure("\(path):\(error.line):\(error.column): not valid JSON: \(error.message)", status: ExitStatus.dataError)
        }
        guard let members = json.members else {
            throw .failure("\(path): must be one JSON object mapping question id to answer", status: ExitStatus.dataError)
        }
        let given = Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        switch interview.complete(with: given) {
        case .failure(.invalidAnswers(_, let problems)):
            throw .failure("\(path): the answers do not fit \(published.questionnaire.id); nothing was stored:\n" + problems.map { "  - \($0)" }.joined(separator: "\n"), status: ExitStatus.dataError)
        case .failure(let error):
            throw .failure("\(error)", status: ExitStatus.dataError)
        case .success(let state):
            var session = InterviewSession(store: store, published: published, origin: origin, responseID: nil)
            try storeCall { () throws(SurveyStoreError) in try session.save(state, complete: true) }
            context.out("Response \(session.responseID!) stored as complete (\(published.questionnaire.id) version \(published.version)).\n")
            return ExitStatus.ok
        }
    }

    private func resumeInterview(_ id: Int64, store: SurveyStore, language: String?, mode: TerminalInterview.Mode, dbPath: String) throws(CLIError) -> Int32 {
        let stored = try storeCall { () throws(SurveyStoreError) in try store.response(id) }
        guard !stored.isComplete else { throw .failure("response \(id) is already complete; nothing to resume", status: ExitStatus.dataError) }
        let published = try storeCall { () throws(SurveyStoreError) in try store.published(versionID: stored.questionnaireVersionID) }
        let chosen = try checkLanguage(language ?? stored.language, published.questionnaire)
        let interview = Interview(questionnaire: published.questionnaire, language: chosen, today: context.today)
        let state = interview.resume(answers: stored.answers(for: published.questionnaire), at: stored.position)
        let origin = ResponseOrigin(mode: stored.mode, administration: mode.administration, language: chosen)
        context.err("Resuming response \(id) of \(published.questionnaire.id).\n")
        return try interact(interview, from: state, mode: mode,
                            session: InterviewSession(store: store, published: published, origin: origin, responseID: id, revision: stored.revision), dbPath: dbPath)
    }

    private func interact(_ interview: Interview, from state: InterviewState, mode: TerminalInterview.Mode,
                          session start: InterviewSession, dbPath: String) throws(CLIError) -> Int32 {
        var input = context.makeInput()
        var session = start
        let terminal = TerminalInterview(interview: interview, mode: mode, output: context.standardOutput) { state, complete in
            try session.save(state, complete: complete)
        }
        let outcome: TerminalInterview.Outcome
        do {
            outcome = try terminal.run(from: state, input: &input)
        } catch SurveyStoreError.responseChanged(let id, _) {
            throw .failure("response \(id) was changed elsewhere (on the web or in another terminal) while this interview was open; "
                           + "the last answer was not saved and nothing was overwritten.\nTo carry on from the latest answers: canvass run --db \(dbPath) --resume \(id)",
                           status: ExitStatus.temporaryFailure)
        } catch let error as SurveyStoreError {
            throw cliFailure(error)
        } catch {
            throw .failure("\(error)", status: ExitStatus.software)
        }
        switch outcome {
        case .submitted:
            context.out("Response \(session.responseID.map(String.init) ?? "?") stored as complete.\n")
            return ExitStatus.ok
        case .stopped:
            guard let id = session.responseID else {
                context.err("\nStopped before any answer; nothing was stored.\n")
                return context.wasInterrupted() ? ExitStatus.interrupted : ExitStatus.ok
            }
            context.err("\nStopped. Your answers so far are saved as partial response \(id).\nTo carry on: canvass run --db \(dbPath) --resume \(id)\n")
            return context.wasInterrupted() ? ExitStatus.interrupted : ExitStatus.ok
        }
    }
}

extension TerminalInterview.Mode {
    /// Who recorded the answers, as the store keeps it.
    var administration: Administration { self == .interviewer ? .interviewer : .selfCompleted }
}
