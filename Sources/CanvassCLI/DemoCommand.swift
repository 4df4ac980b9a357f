import Demo
import Foundation
import Insight
import Reports
import SurveyStore

/// `canvass demo`: builds the synthetic data set and shows the borough comparison.
struct DemoCommand {
    static let spec = CommandSpec(
        name: "demo", summary: "Build a synthetic, reproducible data set for the 33 London boroughs and show the borough comparison.",
        options: [
            .init(name: "--db", value: "PATH", help: "Database to create (default demo.sqlite); it must not exist yet."),
            .init(name: "--responses", value: "N", help: "Victim-satisfaction responses in all (default 26000: about 400 per borough per year)."),
            .init(name: "--seed", value: "S", help: "Seed (default 2026): the same seed gives the same data."),
            .init(name: "--fixtures", value: "DIR", help: "Folder with boroughs.csv (default Fixtures)."),
            .init(name: "--questionnaires", value: "DIR", help: "Folder with the questionnaires (default Questionnaires)."),
            .init(name: "--serve", value: nil, help: "Then serve it: prints the dashboard's address and the analyst secret."),
            .init(name: "--port", value: "N", help: "With --serve: the port (default 8080; 0 picks a free one)."),
            .init(name: "--host", value: "ADDR", help: "With --serve: the address to listen on (default 127.0.0.1)."),
        ],
        details: """
        Two years of responses to asb-victim-satisfaction for every borough (wards are synthetic) and
        rapid-poll-local-asb responses by ward, with effects built in (docs/demo.md): three boroughs
        well below the national baseline, one above, one falling, the rest in line. Every response is
        checked by the interview engine and stored through the import path.
        """)

    let context: CLIContext

    func run(_ arguments: ParsedArguments) throws(CLIError) -> Int32 {
        let db = arguments.value("--db") ?? "demo.sqlite"
        var options = DemoOptions()
        options.responses = try arguments.integer("--responses", in: 100...50_000_000, what: "a number of responses", command: "demo") ?? options.responses
        if let seed = arguments.value("--seed") {
            guard let value = UInt64(seed) else { throw .invalidValue(option: "--seed", value: seed, expected: "a whole number from 0 to \(UInt64.max)", command: "demo") }
            options.seed = value
        }
        if !arguments.has("--serve") {
            for name in ["--port", "--host"] where arguments.has(name) {
                throw .invalidValue(option: name, value: arguments.value(name) ?? "", expected: "used only with --serve", command: "demo")
            }
        }
        guard !FileManager.default.fileExists(atPath: db) else {
            throw .failure("\(db) already exists; the demo builds a new database and never adds to one. Remove it, or give --db NEW.sqlite", status: ExitStatus.cannotCreate)
        }
        let boroughsFile = (arguments.value("--fixtures") ?? "Fixtures") + "/boroughs.csv"
        let boroughs: [Borough]
        do { boroughs = try Borough.load(path: boroughsFile) } catch { throw .failure("\(error)", status: ExitStatus.noInput) }
        let store = try openStore(db, context: context)
        let source = QuestionnaireSource(context: context)
        let directory = arguments.value("--questionnaires")
        let victim = try source.resolve(path: nil, id: "asb-victim-satisfaction", directory: directory, store: store)
        let poll = try source.resolve(path: nil, id: "rapid-poll-local-asb", directory: directory, store: store)
        let builder = DemoBuilder(boroughs: boroughs, options: options)
        context.err("Building \(options.responses) synthetic victim responses for \(boroughs.count) boroughs in \(db) (seed \(options.seed))…\n")
        let started = Date()
        var shown = 0
        let summary: DemoSummary
        do {
            summary = try builder.build(in: store, victim: victim, poll: poll) { count in
                if count - shown >= 100_000 { context.err("  \(count) stored\n"); shown = count }
            }
        } catch {
            try? FileManager.default.removeItem(atPath: db)
            throw .failure("\(error)\nNothing was kept: \(db) was removed.", status: ExitStatus.software)
        }
        let seconds = Date().timeIntervalSince(started)
        context.out("Built \(db): \(summary.victimResponses) victim responses (\(summary.from) to \(summary.to)) and \(summary.pollResponses) rapid-poll responses in \(summary.wards) synthetic wards, in \(String(format: "%.1f", seconds)) s.\n")
        context.out("Built-in effects (synthetic data; they say nothing about the real boroughs):\n")
        for line in builder.effects.describe(boroughs) { context.out("  - \(line)\n") }
        let calculator = MeasureCalculator(store: store, questionnaire: victim.questionnaire, options: MeasureOptions())
        let rows: [MeasureRow]
        do {
            rows = try calculator.rows(measures: victim.questionnaire.measures, grouping: .borough, filter: ResponseFilter())
        } catch {
            throw .failure("\(error)", status: ExitStatus.software)
        }
        context.out("\nBorough comparison, \(summary.from) to \(summary.to): % satisfied (national baseline in brackets); below/above = significantly, after Benjamini–Hochberg; * small base.\n")
        let comparison = GroupComparison(rows: rows)
        context.out(comparison.table())
        context.out(comparison.key())
        context.out("""

        Next:
          canvass measures --db \(db) --questionnaire asb-victim-satisfaction --by borough --measure local_area
          canvass trend --db \(db) --questionnaire asb-victim-satisfaction --by quarter --measure local_area
          canvass outcomes --db \(db) --questionnaire asb-victim-satisfaction --measure local_area --by stage
          canvass outcomes --db \(db) --questionnaire asb-victim-satisfaction --measure local_area --model --borough-effects --adjust-for kept_informed
          canvass report --db \(db) --questionnaire asb-victim-satisfaction --borough Newham --out newham.html
          canvass serve --db \(db)        (then open http://127.0.0.1:8080/analyst with the secret it prints)

        """)
        guard arguments.has("--serve") else { return ExitStatus.ok }
        // The same server as `canvass serve`, on the database just built.
        var serve = ["--db", db]
        for name in ["--port", "--host", "--questionnaires"] {
            if let value = arguments.value(name) { serve += [name, value] }
        }
        context.out("\nServing the demo. Open the dashboard below and sign in with the analyst secret.\n")
        return try ServeCommand(context: context).run(try ArgumentParser.parse(serve, spec: ServeCommand.spec))
    }
}
