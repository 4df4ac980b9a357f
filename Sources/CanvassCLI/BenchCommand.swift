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
        // On tmpfs where there is one: fsync costs nothing there, so a POST measures CPU alone.
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? URL(fileURLWithPath: "/dev/shm") : FileManager.default.temporaryDirectory
        let directory = base.appendingPathComponent("canvass-bench-\(UUID().uuidString)")
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
        let saving = try saveMeasurement(db: db)
        report(measurements(token: token, app: app) + [saving], iterations: iterations)
        return ExitStatus.ok
    }

    private func prepare(db: String, questionnaireFile: String) throws(CLIError) -> String {
        let store = try openStore(db, context: context)
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
        guard let csrf = Self.csrf(in: entry) else {
            throw .failure("the invitation page had no form (status \(entry.status.code))", status: ExitStatus.software)
        }
        let body = "csrf=\(csrf)"
        let started = app.handle(Self.request("POST /s/\(token)/start HTTP/1.1\r\nHost: bench\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"))
        guard started.status.code == 303 else {
            throw .failure("starting the response answered \(started.status.code)", status: ExitStatus.software)
        }
    }

    private func measurements(token: String, app: CanvassWebApp) -> [Measurement] {
        let get = Array("GET /s/\(token)/q/asb_problem HTTP/1.1\r\nHost: 127.0.0.1:18080\r\n\r\n".utf8)
        let pageRequest = Self.request(String(decoding: get, as: UTF8.self))
        let healthz = Self.request("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:18080\r\n\r\n")
        let page = app.handle(pageRequest)
        // As wrk sends them (Benchmarks/http_post.lua).
        let postTexts = ["yes", "no"].map { Self.answerPost(token: token, csrf: Self.csrf(in: page) ?? "", answer: $0) }
        let posts = postTexts.map(Self.request)
        let postBytes = Array(postTexts[0].utf8)
        var turn = 0
        // One parser for all, as a connection has: its buffer is reused from request to request.
        var parser = HTTPRequestParser()
        return [
            Measurement("parse a GET request") {
                parser.append(get)
                guard case .request(let request) = parser.next() else { return 0 }
                return request.path.utf8.count
            },
            Measurement("parse a POST request") {
                parser.append(postBytes)
                guard case .request(let request) = parser.next() else { return 0 }
                return request.body.count
            },
            Measurement("answer GET /healthz") { app.handle(healthz).body.count },
            Measurement("answer GET question page") { app.handle(pageRequest).body.count },
            Measurement("serialise the page response") { page.serialized(keepAlive: true).count },
            // Alternating answers, so that every save changes what is stored.
            Measurement("answer POST, one at a time", share: 20) {
                turn ^= 1
                return app.handle(posts[turn]).status.code == 303 ? 1 : 0
            },
        ]
    }

    /// The writer thread's share of a POST: saving one changed answer, 64 saves per transaction
    /// as group commit batches them (without savepoints, as a batch first runs), on a second
    /// connection.
    private func saveMeasurement(db: String) throws(CLIError) -> Measurement {
        let store = try openStore(db, context: context)
        var (questionnaire, stored) = try storeCall { () throws(SurveyStoreError) in
            guard let published = try store.latest("rapid-poll-local-asb") else { throw .questionnaireNotPublished("rapid-poll-local-asb") }
            let id = try store.startResponse(versionID: published.versionID, origin: ResponseOrigin(mode: .web))
            return (published.questionnaire, try store.response(id))
        }
        var turn = 0
        return Measurement("save an answer, 64 per commit", share: 4) {
            if turn % 64 == 0 { try? store.connection.execute(turn == 0 ? "BEGIN IMMEDIATE" : "COMMIT; BEGIN IMMEDIATE") }
            turn += 1
            let state = InterviewState(answers: ["asb_problem": .choice(turn % 2 == 0 ? "yes" : "no")], position: .question("asb_kinds"))
            guard let saved = try? store.connection.withoutNestedSavepoints({ try store.save(state, over: stored, questionnaire: questionnaire) })
            else { return 0 }
            stored = saved
            return 1
        }
    }

    /// One thing to time; `work` returns something derived from its result, so it cannot be
    /// optimised away. It runs `iterations / share` times per round.
    private struct Measurement {
        var name: String
        var share = 1
        var work: () -> Int

        init(_ name: String, share: Int = 1, work: @escaping () -> Int) {
            self.name = name
            self.share = share
            self.work = work
        }
    }

    private func report(_ measurements: [Measurement], iterations: Int) {
        context.out("iterations: \(iterations) per round (POST: a twentieth; save: a quarter), best of 3 rounds\n")
        for measurement in measurements {
            let count = max(1, iterations / measurement.share)
            let work = measurement.work
            var best = Double.infinity
            var sink = 0
            for _ in 0..<3 {
                let clock = ContinuousClock()
                let start = clock.now
                for _ in 0..<count { sink &+= work() }
                let elapsed = clock.now - start
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                best = min(best, seconds / Double(count) * 1e6)
            }
            let padded = measurement.name.padding(toLength: 30, withPad: " ", startingAt: 0)
            context.out("\(padded) \(String(format: "%7.2f", best)) µs\(sink == 0 ? " (produced nothing)" : "")\n")
        }
    }

    /// The POST of an answer to the first question.
    private static func answerPost(token: String, csrf: String, answer: String) -> String {
        let body = "csrf=\(csrf)&answer=\(answer)"
        return "POST /s/\(token)/q/asb_problem HTTP/1.1\r\nHost: 127.0.0.1:18080\r\n"
            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    /// The form token in a page, as a browser would send it back.
    private static func csrf(in response: HTTPResponse) -> String? {
        let page = String(decoding: response.body, as: UTF8.self)
        guard let range = page.range(of: "name=\"csrf\" value=\"") else { return nil }
        return String(page[range.upperBound...].prefix { $0 != "\"" })
    }

    private static func request(_ text: String) -> HTTPRequest {
        var parser = HTTPRequestParser()
        parser.append(Array(text.utf8))
        guard case .request(let request) = parser.next() else { preconditionFailure("bench request did not parse: \(text)") }
        return request
    }
}
