import SQLite
import Foundation
import HTTP
import SurveyEngine
import SurveyStore
import WebApp

/// `canvass serve`: the respondent web form, analyst pages and JSON API.
struct ServeCommand {
    static let spec = CommandSpec(
        name: "serve", summary: "Serve the survey web form, analyst pages and JSON API over HTTP.",
        options: [
            .init(name: "--db", value: "PATH", help: "SQLite database (created if missing). Required.", required: true),
            .init(name: "--host", value: "ADDR", help: "IPv4 address to listen on (default 127.0.0.1; 0.0.0.0 for all)."),
            .init(name: "--port", value: "N", help: "Port (default 8080; 0 picks a free one)."),
            .init(name: "--questionnaires", value: "DIR", help: "Publish every questionnaire in DIR at start (default Questionnaires)."),
            .init(name: "--access-log", value: "FILE", help: "Append the access log to FILE instead of standard error."),
            .init(name: "--threads", value: "N", help: "Event-loop threads (default: one per core). Writes never hold one."),
            .init(name: "--max-connections", value: "N", help: "Most open connections (default 4096); 503 beyond."),
            .init(name: "--secure-cookies", value: nil, help: "Mark cookies Secure (when a TLS proxy is in front)."),
            .init(name: "--trusted-proxy", value: "ADDR", help: "A reverse proxy whose X-Forwarded-For names the client (comma-separated list)."),
        ],
        details: """
        Respondents: /s/TOKEN (an invitation from 'canvass invite') and /p/QUESTIONNAIRE (a public poll,
        optionally ?ward=CODE). Analysts: /analyst, with the secret printed the first time the database
        is served; /api/responses/counts takes it as 'Authorization: Bearer SECRET'. /healthz for load
        balancers. Stop with Ctrl-C or SIGTERM: in-flight requests finish first. Put TLS in a reverse proxy.
        """)

    let context: CLIContext

    func run(_ arguments: ParsedArguments) throws(CLIError) -> Int32 {
        let db = arguments.required("--db")
        var http = HTTPServerConfiguration()
        http.host = arguments.value("--host") ?? "127.0.0.1"
        http.port = UInt16(try arguments.integer("--port", in: 0...65535, command: "serve") ?? 8080)
        http.threads = try arguments.integer("--threads", in: 1...256, command: "serve") ?? ProcessInfo.processInfo.activeProcessorCount
        http.maxConnections = try arguments.integer("--max-connections", in: 1...1_000_000, command: "serve") ?? 4096
        let sink = try accessLog(arguments.value("--access-log"))
        let log: @Sendable (String) -> Void = { sink.write($0) }
        http.log = log
        http.accessLog = { sink.writeLines($0) }
        http.redact = CanvassWebApp.redact
        http.defaultHeaders = CanvassWebAppHeaders.security

        var configuration = WebAppConfiguration(databasePath: db)
        configuration.secureCookies = arguments.has("--secure-cookies")
        configuration.maxReaders = http.threads
        configuration.trustedProxies = Set((arguments.value("--trusted-proxy") ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        configuration.log = log
        let app: CanvassWebApp
        do {
            // An upgrade is said at once on standard error, not in the log's next block: the server waits for it.
            app = try CanvassWebApp(configuration: configuration) { context.err($0 + "\n") }
        } catch {
            throw .failure("\(error)", status: ExitStatus.cannotCreate)
        }
        try publishAll(directory: arguments.value("--questionnaires") ?? "Questionnaires", db: db)
        if let secret = app.newAnalystSecret {
            context.out("Analyst secret (shown once; keep it safe): \(secret)\n")
        }
        HTTPServer.keepFreedMemoryForReuse()
        let server = HTTPServer(configuration: http) { app.respond(to: $0, reply: $1) }
        do {
            try server.start()
        } catch {
            app.shutdown()
            throw .failure("\(error)", status: ExitStatus.unavailable)
        }
        context.out("Canvass is listening on http://\(http.host):\(server.port) (Ctrl-C to stop)\n")
        context.out("Dashboard: http://\(http.host == "0.0.0.0" ? "127.0.0.1" : http.host):\(server.port)/analyst\n")
        context.waitForTermination()
        context.err("Stopping: finishing requests in flight…\n")
        server.stop()
        server.waitUntilStopped()
        app.shutdown()
        sink.flush()
        let statistics = app.writerStatistics
        context.err("Stopped. The writer committed \(statistics.commits) transactions (largest batch \(statistics.largestBatch) writes); "
                    + String(format: "SQLite held %.1f MiB at most.\n", Double(SQLiteMemory.highWater) / 1_048_576))
        return ExitStatus.ok
    }

    private func accessLog(_ path: String?) throws(CLIError) -> BlockLog {
        let handle: FileHandle
        if let path {
            if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
            guard let file = FileHandle(forWritingAtPath: path) else {
                throw .failure("\(path): cannot open the access log for writing", status: ExitStatus.cannotCreate)
            }
            file.seekToEndOfFile()
            handle = file
        } else {
            handle = FileHandle.standardError
        }
        return BlockLog(descriptor: handle.fileDescriptor, keeping: handle, clock: { Date().timeIntervalSince1970 },
                        timestamp: DateText.isoTimestamp(unixSeconds:))
    }

    /// Publishes every valid questionnaire file in `directory`; reports (and skips) invalid ones.
    private func publishAll(directory: String, db: String) throws(CLIError) {
        let store = try openStore(db, context: context)
        for (path, result) in QuestionnaireResolver(store: store, directory: directory).publishAll() {
            switch result {
            case .success(let published):
                if published.isNew { context.err("Published \(published.questionnaire.id) as version \(published.version).\n") }
            case .failure(let error):
                context.err("canvass: warning: not serving \(path): \(error)\n")
            }
        }
    }
}
