import Foundation
import HTTP
import SurveyEngine
import SurveyStore
import WebApp

/// `canvass bench web`: the web form's CPU cost per request, in-process and without sockets, so
/// a change to parsing, routing or rendering can be measured in seconds and steadily (wrk runs on
/// two shared cores swing by a quarter). `Benchmarks/http.sh` measures the whole server.
struct BenchCommand {
    static let spec = CommandSpec(
        name: "bench", summary: "Measure the web form's CPU time per request, in-process (no sockets).",
        arguments: "web",
        options: [
            .init(name: "--iterations", value: "N", help: "Requests per measurement (default 200000)."),
            .init(name: "--questionnaires", value: "DIR", help: "Where rapid-poll-local-asb.json is (default Questionnaires)."),
        ],
        minimumArguments: 1, maximumArguments: 1,
        details: """
        Starts one invited response to the rapid poll in a temporary database, then times: parsing a
        GET as wrk sends it, answering it with the first question's page, serialising the response,
        and /healthz for scale. Prints microseconds per request (best of three rounds).
        """)

    let context: CLIContext

    func run(_ arguments: ParsedArguments) throws(CLIError) -> Int32 {
        guard arguments.positionals.first == "web" else {
            throw .invalidValue(option: "what to measure", value: arguments.positionals.first ?? "", expected: "'web'", command: "bench")
        }
        let iterations = try arguments.integer("--iterations", in: 1...100_000_000, command: "bench") ?? 200_000
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("canvass-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .failure("cannot create \(directory.path): \(error.localizedDescription)", status: ExitStatus.cannotCreate)
        }
        let db = directory.appendingPathComponent("bench.sqlite").path
        let file = (arguments.value("--questionnaires") ?? "Questionnaires") + "/rapid-poll-local-asb.json"
        let token = try prepare(db: db, questionnaireFile: file)
        let app: CanvassWebApp
        do {
            app = try CanvassWebApp(configuration: WebAppConfiguration(databasePath: db))
        } catch {
            throw .failure("\(error)", status: ExitStatus.cannotCreate)
        }
        defer { app.shutdown() }
        try start(token, app: app)
        report(measurements(token: token, app: app), iterations: iterations)
        return ExitStatus.ok
    }

    private func prepare(db: String, questionnaireFile: String) throws(CLIError) -> String {
        let store = try openStore(db, clock: context.clock)
        let questionnaire: Questionnaire
        do {
            questionnaire = try QuestionnaireLoader.load(path: questionnaireFile)
        } catch {
            throw .failure("\(questionnaireFile): \(error)", status: ExitStatus.dataError)
        }
        return try storeCall { () throws(SurveyStoreError) in
            _ = try store.publish(questionnaire)
            return try store.createInvitation(Invitation(questionnaireID: questionnaire.id, caseRef: "BENCH-1", borough: "Bench"))
        }
    }

    /// Opens the invitation and presses "Start", as a respondent would.
    private func start(_ token: String, app: CanvassWebApp) throws(CLIError) {
        let entry = app.handle(Self.request("GET /s/\(token) HTTP/1.1\r\nHost: bench\r\n\r\n"))
        let page = String(decoding: entry.body, as: UTF8.self)
        guard let range = page.range(of: "name=\"csrf\" value=\"") else {
            throw .failure("the invitation page had no form (status \(entry.status.code))", status: ExitStatus.software)
        }
        let csrf = page[range.upperBound...].prefix { $0 != "\"" }
        let body = "csrf=\(csrf)"
        let started = app.handle(Self.request("POST /s/\(token)/start HTTP/1.1\r\nHost: bench\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"))
        guard started.status.code == 303 else {
            throw .failure("starting the response answered \(started.status.code)", status: ExitStatus.software)
        }
    }

    private func measurements(token: String, app: CanvassWebApp) -> [(String, () -> Int)] {
        let get = Array("GET /s/\(token)/q/asb_problem HTTP/1.1\r\nHost: 127.0.0.1:18080\r\n\r\n".utf8)
        let pageRequest = Self.request(String(decoding: get, as: UTF8.self))
        let healthz = Self.request("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:18080\r\n\r\n")
        let page = app.handle(pageRequest)
        // One parser for all, as a connection has: its buffer is reused from request to request.
        var parser = HTTPRequestParser()
        return [
            ("parse a GET request", {
                parser.append(get)
                guard case .request(let request) = parser.next() else { return 0 }
                return request.path.utf8.count
            }),
            ("answer GET /healthz", { app.handle(healthz).body.count }),
            ("answer GET question page", { app.handle(pageRequest).body.count }),
            ("serialise the page response", { page.serialized(keepAlive: true).count }),
        ]
    }

    private func report(_ measurements: [(String, () -> Int)], iterations: Int) {
        context.out("iterations: \(iterations) per round, best of 3 rounds\n")
        for (name, work) in measurements {
            var best = Double.infinity
            var sink = 0
            for _ in 0..<3 {
                let clock = ContinuousClock()
                let start = clock.now
                for _ in 0..<iterations { sink &+= work() }
                let elapsed = clock.now - start
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                best = min(best, seconds / Double(iterations) * 1e6)
            }
            let padded = name.padding(toLength: 30, withPad: " ", startingAt: 0)
            context.out("\(padded) \(String(format: "%7.2f", best)) µs\(sink == 0 ? " (produced nothing)" : "")\n")
        }
    }

    private static func request(_ text: String) -> HTTPRequest {
        var parser = HTTPRequestParser()
        parser.append(Array(text.utf8))
        guard case .request(let request) = parser.next() else { preconditionFailure("bench request did not parse: \(text)") }
        return request
    }
}
