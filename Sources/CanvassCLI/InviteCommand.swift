import SurveyStore

/// `canvass invite`: one invitation link for one ASB case.
struct InviteCommand {
    static let spec = CommandSpec(
        name: "invite", summary: "Create an invitation link (one-time token) for one ASB case.",
        options: [
            .init(name: "--db", value: "PATH", help: "SQLite database. Required.", required: true),
            .init(name: "--questionnaire", value: "ID", help: "Questionnaire the victim is invited to. Required.", required: true),
            .init(name: "--questionnaires", value: "DIR", help: "Folder with ID.json if it is not in the database (default Questionnaires)."),
            .init(name: "--case", value: "REF", help: "Case reference (kept with the response, never shown to the victim). Required.", required: true),
            .init(name: "--borough", value: "B", help: "Borough of the case. Required.", required: true),
            .init(name: "--ward", value: "W", help: "Ward of the case."),
            .init(name: "--repeat", value: nil, help: "The victim is a repeat victim."),
            .init(name: "--vulnerable", value: nil, help: "The victim was assessed as vulnerable."),
            .init(name: "--base-url", value: "URL", help: "Start of the link (default http://127.0.0.1:8080)."),
        ],
        details: "Prints the token and the link. The token is 128 random bits; only its SHA-256 is stored.")

    let context: CLIContext

    func run(_ arguments: ParsedArguments) throws(CLIError) -> Int32 {
        let db = arguments.required("--db")
        let id = arguments.required("--questionnaire")
        let caseRef = arguments.required("--case")
        guard !caseRef.isEmpty else { throw .invalidValue(option: "--case", value: caseRef, expected: "a value that is not empty", command: "invite") }
        let borough = arguments.required("--borough")
        guard !borough.isEmpty else { throw .invalidValue(option: "--borough", value: borough, expected: "a value that is not empty", command: "invite") }
        let base = arguments.value("--base-url") ?? "http://127.0.0.1:8080"
        guard base.hasPrefix("http://") || base.hasPrefix("https://") else {
            throw .invalidValue(option: "--base-url", value: base, expected: "an http:// or https:// address", command: "invite")
        }
        let store = try openStore(db, clock: context.clock)
        _ = try QuestionnaireSource(context: context).resolve(path: nil, id: id, directory: arguments.value("--questionnaires"), store: store)
        let invitation = Invitation(questionnaireID: id, caseRef: caseRef, borough: borough, ward: arguments.value("--ward"),
                                    repeatVictim: arguments.has("--repeat"), vulnerable: arguments.has("--vulnerable"))
        let token = try storeCall { () throws(SurveyStoreError) in try store.createInvitation(invitation) }
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        context.out("token: \(token)\nlink: \(trimmed)/s/\(token)\n")
        return ExitStatus.ok
    }
}
