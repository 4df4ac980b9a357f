import SurveyEngine
import CSV
import Foundation
import SurveyStore

/// `canvass invite`: one invitation link for one ASB case.
struct InviteCommand {
    static let spec = CommandSpec(
        name: "invite", summary: "Create an invitation link (one-time token) for one ASB case.",
        options: [
            .init(name: "--db", value: "PATH", help: "SQLite database. Required.", required: true),
            .init(name: "--questionnaire", value: "ID", help: "Questionnaire the victim is invited to. Required.", required: true),
            .init(name: "--questionnaires", value: "DIR", help: "Folder with ID.json if it is not in the database (default Questionnaires)."),
            .init(name: "--case", value: "REF", help: "Case reference (kept with the response, never shown to the victim). Required for one invitation."),
            .init(name: "--borough", value: "B", help: "Borough of the case. Required for one invitation."),
            .init(name: "--ward", value: "W", help: "Ward of the case."),
            .init(name: "--repeat", value: nil, help: "The victim is a repeat victim."),
            .init(name: "--vulnerable", value: nil, help: "The victim was assessed as vulnerable."),
            .init(name: "--base-url", value: "URL", help: "Start of the link (default http://127.0.0.1:8080)."),
            .init(name: "--cases-closed-since", value: "DATE", help: "Invite every imported case closed on or after DATE that has no invitation yet (not those marked do_not_contact)."),
            .init(name: "--out", value: "FILE", help: "With --cases-closed-since: write case_ref,token,link to FILE (it must not exist)."),
        ],
        details: "Prints the token and the link. The token is 128 random bits; only its SHA-256 is stored.")

    let context: CLIContext

    func run(_ arguments: ParsedArguments) throws(CLIError) -> Int32 {
        let db = arguments.required("--db")
        let id = arguments.required("--questionnaire")
        if let since = arguments.value("--cases-closed-since") { return try inviteClosed(since: since, db: db, id: id, arguments) }
        guard let caseRef = arguments.value("--case"), !caseRef.isEmpty else { throw .missingArgument("--case REF (or --cases-closed-since DATE)", command: "invite") }
        guard let borough = arguments.value("--borough"), !borough.isEmpty else { throw .missingArgument("--borough B", command: "invite") }
        let base = arguments.value("--base-url") ?? "http://127.0.0.1:8080"
        guard base.hasPrefix("http://") || base.hasPrefix("https://") else {
            throw .invalidValue(option: "--base-url", value: base, expected: "an http:// or https:// address", command: "invite")
        }
        let store = try openStore(db, context: context)
        _ = try QuestionnaireSource(context: context).resolve(path: nil, id: id, directory: arguments.value("--questionnaires"), store: store)
        let invitation = Invitation(questionnaireID: id, caseRef: caseRef, borough: borough, ward: arguments.value("--ward"),
                                    repeatVictim: arguments.has("--repeat"), vulnerable: arguments.has("--vulnerable"))
        let token = try storeCall { () throws(SurveyStoreError) in try store.createInvitation(invitation) }
        context.out("token: \(token)\nlink: \(Self.link(base, token))\n")
        context.audit(store, .invitations, subject: "questionnaire \(id)", detail: "1 invitation")
        return ExitStatus.ok
    }

    static func link(_ base: String, _ token: String) -> String {
        (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/s/" + token
    }

    /// `--cases-closed-since DATE --out FILE`: one invitation per closed case that has none yet.
    private func inviteClosed(since: String, db: String, id: String, _ arguments: ParsedArguments) throws(CLIError) -> Int32 {
        guard DateText.isValidISODate(since) else {
            throw .invalidValue(option: "--cases-closed-since", value: since, expected: "a date written YYYY-MM-DD", command: "invite")
        }
        guard let out = arguments.value("--out") else { throw .missingArgument("--out FILE (where the links go)", command: "invite") }
        guard !FileManager.default.fileExists(atPath: out) else {
            throw .failure("\(out) already exists; the tokens are shown only once, so give a new file", status: ExitStatus.cannotCreate)
        }
        let base = arguments.value("--base-url") ?? "http://127.0.0.1:8080"
        guard base.hasPrefix("http://") || base.hasPrefix("https://") else {
            throw .invalidValue(option: "--base-url", value: base, expected: "an http:// or https:// address", command: "invite")
        }
        let store = try openExistingStore(db, context: context)
        _ = try QuestionnaireSource(context: context).resolve(path: nil, id: id, directory: arguments.value("--questionnaires"), store: store)
        // The file first (empty), so a failure to write it comes before any invitation is made.
        guard FileManager.default.createFile(atPath: out, contents: Data(), attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: out) else {
            throw .failure("\(out): cannot create the file", status: ExitStatus.cannotCreate)
        }
        defer { try? handle.close() }
        // Each line is written as its invitation is made, in the invitations' transaction: if the
        // file cannot take it (a full disk), no invitation is kept.
        var count = 0
        do {
            try handle.write(contentsOf: Data((CSVWriter.line(["case_ref", "token", "link"]) + "\n").utf8))
            // The file is on disk before the invitations commit, so no case is left with an
            // invitation whose token is lost.
            try store.inviteClosedCases(questionnaireID: id, closedSince: since, beforeCommit: {
                try handle.synchronize()
                try store.recordAudit(.invitations, actor: context.actor, subject: "questionnaire \(id)", detail: "\(count) invitations for cases closed since \(since)")
            }) { ref, token in
                try handle.write(contentsOf: Data((CSVWriter.line([ref, token, Self.link(base, token)]) + "\n").utf8))
                count += 1
            }
        } catch let error as SurveyStoreError {
            throw cliFailure(error)
        } catch {
            throw .failure("\(out): \(error); no invitation was made", status: ExitStatus.ioError)
        }
        context.out("Created \(count) invitations for cases closed since \(since) (\(out)).\n")
        return ExitStatus.ok
    }
}
