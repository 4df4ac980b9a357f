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
            app = try CanvassWebApp(configuration: configuration)
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
        context.waitForTermination()
        context.err("Stopping: finishing requests in flight…\n")
        server.stop()
        server.waitUntilStopped()
        app.shutdown()
        sink.flush()
        let statistics = app.writerStatistics
        context.err("Stopped. The writer committed \(statistics.commits) transactions (largest batch \(statistics.largestBatch) writes).\n")
        return ExitStatus.ok
    }

    private func accessLog(_ path: String?) throws(CLIError) -> LogSink {
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
        return LogSink(handle: handle)
    }

    /// Publishes every valid questionnaire file in `directory`; reports (and skips) invalid ones.
    private func publishAll(directory: String, db: String) throws(CLIError) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        let store = try openStore(db, clock: context.clock)
        for name in names.sorted() where name.hasSuffix(".json") {
            let path = directory + "/" + name
            do {
                let published = try store.publish(try QuestionnaireLoader.load(path: path))
                if published.isNew { context.err("Published \(published.questionnaire.id) as version \(published.version).\n") }
            } catch {
                context.err("canvass: warning: not serving \(path): \(error)\n")
            }
        }
    }
}

/// Collects log lines from many threads, each with a UTC timestamp, and writes them in blocks:
/// when 32 KiB have gathered, every quarter second, and on `flush` (at shutdown). One `write` per
/// request showed as 3–4% of a busy server's time; a line reaches the file within 0.25 s.
final class LogSink: @unchecked Sendable {
    private let handle: FileHandle
    private let descriptor: Int32
    private let lock = NSLock()
    private var buffer: [UInt8] = []
    private var stampSecond = -1
    private var stamp = ""

    init(handle: FileHandle) {
        self.handle = handle
        descriptor = handle.fileDescriptor
        buffer.reserveCapacity(64 * 1024)
        // Holds the sink only while flushing, and ends once the sink is gone.
        let thread = Thread { [weak self] in
            while true {
                Thread.sleep(forTimeInterval: 0.25)
                guard let sink = self else { return }
                sink.flush()
            }
        }
        thread.name = "log-flush"
        thread.start()
    }

    func write(_ line: String) {
        let now = Date().timeIntervalSince1970
        lock.lock()
        defer { lock.unlock() }
        appendStamp(now)
        buffer.append(contentsOf: line.utf8)
        buffer.append(10)
        if buffer.count >= 32 * 1024 { writeBuffer() }
    }

    /// Takes a block of lines (each ending in a newline), stamping each with the time now.
    func writeLines(_ block: [UInt8]) {
        let now = Date().timeIntervalSince1970
        lock.lock()
        defer { lock.unlock() }
        var start = 0
        while start < block.count {
            let end = block[start...].firstIndex(of: 10).map { $0 + 1 } ?? block.count
            appendStamp(now)
            buffer.append(contentsOf: block[start..<end])
            if block[end - 1] != 10 { buffer.append(10) }
            start = end
        }
        if buffer.count >= 32 * 1024 { writeBuffer() }
    }

    /// Appends the UTC timestamp for `now` and a space (the text is made once a second).
    private func appendStamp(_ now: Double) {
        let second = Int(now.rounded(.down))
        if second != stampSecond {
            stampSecond = second
            stamp = DateText.isoTimestamp(unixSeconds: now)
        }
        buffer.append(contentsOf: stamp.utf8)
        buffer.append(32)
    }

    /// Writes what has gathered.
    func flush() {
        lock.lock()
        defer { lock.unlock() }
        writeBuffer()
    }

    private func writeBuffer() {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 && errno == EINTR { continue }
            // A log that cannot be written (disk full) must not stop the server: drop the block.
            guard written > 0 else { break }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
