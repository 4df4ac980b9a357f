import SurveyStore

/// `canvass reindex`: rebuilds the analysis table from the answers.
struct ReindexCommand {
    static let spec = CommandSpec(
        name: "reindex", summary: "Rebuild the analysis table from the stored answers.",
        options: [.init(name: "--db", value: "PATH", help: "SQLite database. Required.", required: true)],
        details: "The analysis table is derived data, kept in step by every write; reindex rebuilds it, in one transaction.")

    let context: CLIContext

    func run(_ arguments: ParsedArguments) throws(CLIError) -> Int32 {
        let store = try openExistingStore(arguments.required("--db"), context: context)
        let rows = try storeCall { () throws(SurveyStoreError) in try store.reindexAnalysis() }
        context.out("Rebuilt the analysis table: \(rows) responses.\n")
        return ExitStatus.ok
    }
}

/// `canvass verify`: SQLite's own checks, and the analysis table against the answers.
struct VerifyCommand {
    static let spec = CommandSpec(
        name: "verify", summary: "Check the database's integrity and that the analysis table matches the answers.",
        options: [.init(name: "--db", value: "PATH", help: "SQLite database. Required.", required: true)],
        details: "Runs PRAGMA integrity_check and foreign_key_check, recomputes every analysis row from the answers and every analysis cell from the rows. Exit status 65 names each difference; 'canvass reindex' repairs the analysis table.")

    let context: CLIContext

    func run(_ arguments: ParsedArguments) throws(CLIError) -> Int32 {
        let db = arguments.required("--db")
        let store = try openExistingStore(db, context: context)
        let report = try storeCall { () throws(SurveyStoreError) in try store.verify() }
        for problem in report.integrityProblems { context.err("integrity: \(problem)\n") }
        for problem in report.foreignKeyProblems { context.err("foreign key: \(problem)\n") }
        for difference in report.differences.prefix(100) { context.err("analysis: \(difference)\n") }
        if report.differences.count > 100 { context.err("analysis: … and \(report.differences.count - 100) more\n") }
        for difference in report.cellDifferences { context.err("analysis: \(difference)\n") }
        guard report.isClean else {
            context.err("\(db): verification failed. To rebuild the analysis table: canvass reindex --db \(db)\n")
            return ExitStatus.dataError
        }
        context.out("ok: \(db): integrity and foreign keys hold; \(report.rowsChecked) analysis rows match the answers, and the analysis cells match the rows.\n")
        return ExitStatus.ok
    }
}
