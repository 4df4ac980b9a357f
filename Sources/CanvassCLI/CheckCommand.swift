import SurveyEngine

/// `canvass check FILE...`: validates questionnaire files.
struct CheckCommand {
    static let spec = CommandSpec(
        name: "check", summary: "Check questionnaire files and report every problem with its question and field.",
        arguments: "FILE...", minimumArguments: 1, maximumArguments: .max,
        details: "Exit status: 0 when every file is valid, 65 when a file is invalid, 66 when a file cannot be read.")

    let context: CLIContext

    func run(_ arguments: ParsedArguments) -> Int32 {
        var status = ExitStatus.ok
        for path in arguments.positionals {
            do {
                let questionnaire = try QuestionnaireLoader.load(path: path)
                context.out("ok: \(path): \(Self.summary(questionnaire))\n")
            } catch {
                context.err("canvass: error: \(error)\n")
                if case .unreadableFile = error {
                    if status == ExitStatus.ok { status = ExitStatus.noInput }
                } else {
                    status = ExitStatus.dataError
                }
            }
        }
        return status
    }

    static func summary(_ q: Questionnaire) -> String {
        let questions = q.questions.count == 1 ? "1 question" : "\(q.questions.count) questions"
        let measures = q.measures.count == 1 ? "1 measure" : "\(q.measures.count) measures"
        return "\(q.id) version \(q.declaredVersion), \(questions), \(measures), languages \(q.languages.joined(separator: ", "))"
    }
}
