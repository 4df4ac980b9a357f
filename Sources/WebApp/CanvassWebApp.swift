import Foundation
import Hashing
import Synchronization
import HTTP
import Reports
import SQLite
import SurveyEngine
import SurveyStore

/// The respondent pages, the analyst pages and the JSON API, as one `HTTPServer` handler.
/// Respondents' reads use pooled read connections; analysis reads go through their own lane
/// (`AnalysisLane`); every write is a `WebWrite` on one group-commit writer and is acknowledged
/// (the redirect is sent) only after its transaction has committed.
public final class CanvassWebApp: @unchecked Sendable {
    let configuration: WebAppConfiguration
    let readers: ReaderPool
    /// Analysis reads, on threads and read-only connections of their own.
    let analysis: AnalysisLane
    let writer: GroupCommitQueue<SurveyStore>
    /// Replies to committed writes, sent together after each batch.
    let replies: PendingReplies
    let csrfSecret: String
    let analystSecretDigest: String
    /// The analyst secret when this start created it (to be shown once), else nil.
    public let newAnalystSecret: String?
    let pollLimiter: RateLimiter
    let loginLimiter: RateLimiter
    /// Guards the questionnaire and interview caches, read by every page view on every loop.
    private let cacheLock = ReadWriteLock()
    private var questionnaires: [Int64: Questionnaire] = [:]
    private var interviews: [InterviewKey: Interview] = [:]
    /// Respondents seen recently (see `RespondentCache`).
    let respondents: RespondentCache
    /// Question pages as templates (see `PageTemplates`).
    let templates: PageTemplates
    let sessionLock = NSLock()
    var analystSessions: [String: Double] = [:]
    /// Dashboard sections and reports, kept until the data changes.
    let figures = FigureCache()

    /// Opens the database (creating it if needed), starts the writer and prepares the secrets.
    /// `upgrading` is told, before it runs, of each schema upgrade the opening takes (minutes on
    /// millions of responses, before the server listens).
    public init(configuration: WebAppConfiguration, upgrading: (String) -> Void = { _ in }) throws(SurveyStoreError) {
        self.configuration = configuration
        let writerStore = try SurveyStore(path: configuration.databasePath, clock: configuration.clock, upgrading: upgrading)
        csrfSecret = try writerStore.settingIfAbsent("csrf_secret", RandomToken.hex(bytes: 32))
        let candidate = RandomToken.hex(bytes: 32)
        analystSecretDigest = try writerStore.settingIfAbsent("analyst_secret_sha256", SHA256.hex(candidate))
        newAnalystSecret = analystSecretDigest == SHA256.hex(candidate) ? candidate : nil
        let replies = PendingReplies()
        self.replies = replies
        writer = GroupCommitQueue(resource: writerStore, connection: writerStore.connection) { replies.send() }
        readers = ReaderPool(path: configuration.databasePath, limit: configuration.maxReaders, clock: configuration.clock)
        analysis = AnalysisLane(path: configuration.databasePath, workers: configuration.analysisWorkers,
                                capacity: configuration.analysisQueue, clock: configuration.clock, log: configuration.log)
        respondents = RespondentCache(capacity: configuration.respondentCacheSize, lifetime: configuration.respondentCacheSeconds)
        templates = PageTemplates(capacity: configuration.pageTemplates)
        pollLimiter = RateLimiter(perMinute: configuration.pollStartsPerMinute)
        loginLimiter = RateLimiter(perMinute: configuration.loginAttemptsPerMinute)
    }

    /// Stops the analysis lane and the writer after the queued work is done.
    public func shutdown() {
        analysis.stop()
        writer.stop()
    }

    /// Group-commit statistics: transactions committed and the largest batch seen.
    public var writerStatistics: (commits: Int, largestBatch: Int) { (writer.commits, writer.largestBatch) }

    /// The non-empty segments of a path, found on its contiguous bytes.
    static func segments(_ path: String) -> [Substring] {
        var path = path
        let ranges = path.withUTF8 { bytes -> [Range<Int>] in
            var ranges: [Range<Int>] = []
            var start = 0
            for index in 0..<bytes.count where bytes[index] == UInt8(ascii: "/") {
                if index > start { ranges.append(start..<index) }
                start = index + 1
            }
            if bytes.count > start { ranges.append(start..<bytes.count) }
            return ranges
        }
        let utf8 = path.utf8
        return ranges.map { range in
            path[utf8.index(utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: range.upperBound)]
        }
    }

    /// Hides secrets in logged paths: `/s/<token>/…` becomes `/s/…/…`.
    public static func redact(_ path: String) -> String {
        let bytes = path.utf8
        guard bytes.starts(with: "/s/".utf8) else { return path }
        let rest = bytes.dropFirst(3)
        guard let slash = rest.firstIndex(of: UInt8(ascii: "/")) else { return "/s/…" }
        return "/s/…" + String(Substring(path.utf8[slash...]))
    }

    /// Answers one request for an `HTTPServer` event loop: at once, or nil, and the response goes
    /// to `reply` later: from the writer once a write has committed (so the loop never waits on a
    /// commit), or from the analysis lane. Never shows internals: unexpected failures are logged
    /// and answered with a plain "problem with the service" page.
    public func respond(to request: HTTPRequest, reply: HTTPReply) -> HTTPResponse? {
        switch outcome(request) {
        case .response(let response):
            return response
        case .analysis(let work):
            return analysis.submit(work, reply: reply) ? nil : AnalysisLane.unavailable
        case .write(let write):
            write.submit(writer, replies, reply)
            return nil
        }
    }

    /// Answers one request through `respond(to:reply:)`, exactly as the server does, waiting
    /// for a deferred response (for tools and tests that call the app directly).
    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        let waiter = ReplyWaiter()
        if let response = respond(to: request, reply: HTTPReply { waiter.receive($0) }) { return response }
        return waiter.wait()
    }

    private func outcome(_ request: HTTPRequest) -> WebOutcome {
        do {
            return try route(request)
        } catch {
            return .response(failure(error, request: request))
        }
    }

    /// The page for an unexpected error: 503 when storage failed (try again), else 500; logged.
    func failure(_ error: any Error, request: HTTPRequest, language: String? = nil) -> HTTPResponse {
        let lang = language ?? self.language(request, available: ["en", "cy"])
        if let error = error as? SurveyStoreError, error.isStorageFailure {
            configuration.log("storage failure on \(request.method) \(Self.redact(request.path)): \(error)")
            return serviceProblem(status: .serviceUnavailable, language: lang)
        }
        configuration.log("error on \(request.method) \(Self.redact(request.path)): \(error)")
        return serviceProblem(status: .internalServerError, language: lang)
    }

    private func route(_ request: HTTPRequest) throws -> WebOutcome {
        // Split on the bytes: splitting a String by Character walks grapheme clusters, which showed
        // as 6% of serving a page.
        let parts = Self.segments(request.path)
        let get = request.method == "GET" || request.method == "HEAD"
        let post = request.method == "POST"
        switch (parts.first, parts.count) {
        case ("healthz", 1) where get:
            return .response(HTTPResponse(status: .ok, contentType: "text/plain; charset=utf-8", body: "ok\n", headers: [("Cache-Control", "no-store")]))
        case ("assets", 2) where get && parts[1] == "canvass.css":
            return .response(HTTPResponse(status: .ok, contentType: "text/css; charset=utf-8", body: Stylesheet.css, headers: [("Cache-Control", "public, max-age=3600")]))
        case ("assets", 2) where get && parts[1] == "report.css":
            return .response(HTTPResponse(status: .ok, contentType: "text/css; charset=utf-8", body: InspectionReport.stylesheet, headers: [("Cache-Control", "public, max-age=3600")]))
        case ("s", 2...4):
            return try respondent(request, token: String(parts[1]), rest: parts.dropFirst(2).map(String.init), get: get, post: post)
        case ("p", 2) where get || post:
            return try poll(request, questionnaireID: String(parts[1]), post: post)
        case ("analyst", 1) where get, ("analyst", 2) where post && (parts[1] == "login" || parts[1] == "logout"):
            return .analysis { [self] store in
                do { return try analyst(request, action: parts.count == 2 ? String(parts[1]) : nil, store: store) } catch { return failure(error, request: request) }
            }
        case ("analyst", 2) where get && parts[1] == "polls.csv":
            return .analysis { [self] store in
                do { return try pollsCSV(request, store: store) } catch { return failure(error, request: request) }
            }
        case ("analyst", 2) where get && parts[1] == "comparison.csv":
            return .analysis { [self] store in
                do { return try comparisonCSV(request, store: store) } catch { return failure(error, request: request) }
            }
        case ("analyst", 2) where get && parts[1] == "report":
            return .analysis { [self] store in
                do { return try report(request, store: store) } catch { return failure(error, request: request) }
            }
        case ("api", 3) where get && parts[1] == "responses" && parts[2] == "counts":
            return .analysis { [self] store in
                do { return try apiCounts(request, store: store) } catch { return failure(error, request: request) }
            }
        default:
            if ["healthz", "assets", "p", "analyst", "api"].contains(parts.first.map(String.init) ?? "") && !get && !post {
                return .response(HTTPResponse(status: .methodNotAllowed, headers: [("Allow", "GET, HEAD, POST")]))
            }
            return .response(notFound(language: language(request, available: ["en", "cy"])))
        }
    }

    // MARK: - Shared helpers

    /// The interview for a questionnaire version in a language, today: made once a day, not per page.
    func interview(versionID: Int64, _ questionnaire: Questionnaire, language: String) -> Interview {
        let day = Int((now() / 86_400).rounded(.down))
        let key = InterviewKey(versionID: versionID, language: language, day: day)
        if let cached = cacheLock.reading({ interviews[key] }) { return cached }
        let made = Interview(questionnaire: questionnaire, language: language, today: DateText.isoDate(unixSeconds: Double(day) * 86_400))
        cacheLock.writing {
            if interviews.count >= 256 { interviews.removeAll() }
            interviews[key] = made
        }
        return made
    }

    /// The published questionnaire version `versionID`, loaded once (borrowing a reader if needed).
    func questionnaire(versionID: Int64) throws -> Questionnaire {
        if let cached = cacheLock.reading({ questionnaires[versionID] }) { return cached }
        return try readers.with { try questionnaire(versionID: versionID, store: $0) }
    }

    /// The published questionnaire version `versionID`, loaded once, reading through `store`.
    func questionnaire(versionID: Int64, store: SurveyStore) throws -> Questionnaire {
        if let cached = cacheLock.reading({ questionnaires[versionID] }) { return cached }
        let loaded = try store.published(versionID: versionID).questionnaire
        cacheLock.writing { questionnaires[versionID] = loaded }
        return loaded
    }

    /// The page language: `?lang=` if offered, else the `lang` cookie, else the first available.
    func language(_ request: HTTPRequest, available: [String], stored: String? = nil) -> String {
        if let asked = request.queryItems["lang"], available.contains(asked) { return asked }
        if let cookie = request.cookies["lang"], available.contains(cookie) { return cookie }
        if let stored, available.contains(stored) { return stored }
        return available.first ?? "en"
    }

    /// A `lang` cookie when the request switched language.
    func languageCookie(_ request: HTTPRequest, _ language: String) -> [String] {
        request.queryItems["lang"] == language ? [WebResponses.cookie("lang", language, maxAge: 31_536_000, secure: configuration.secureCookies)] : []
    }

    /// The CSRF token for forms reached through `token`: SHA-256 of the server secret and the token.
    func csrf(for token: String) -> String { SHA256.hex(csrfSecret + ":" + token) }

    /// True when the submitted form's `csrf` field matches (compared in constant time). Takes the
    /// form already decoded, so a request body is decoded once.
    func validCSRF(_ form: [(name: String, value: String)], expected: String) -> Bool {
        guard let sent = form.first(where: { $0.name == "csrf" })?.value else { return false }
        return Hex.constantTimeEqual(sent, expected)
    }

    /// The client's address for rate limits: the peer, or behind a trusted proxy the address it forwarded.
    func clientAddress(_ request: HTTPRequest) -> String {
        guard configuration.trustedProxies.contains(request.remoteAddress),
              let forwarded = request.headerValues("X-Forwarded-For").last?.split(separator: ",").last else { return request.remoteAddress }
        let address = forwarded.trimmingCharacters(in: .whitespaces)
        return address.isEmpty ? request.remoteAddress : address
    }

    func now() -> Double { configuration.clock().timeIntervalSince1970 }

    func notFound(language: String) -> HTTPResponse {
        let ui = UIText(language: language)
        let layout = PageLayout(title: ui.pageNotFound, serviceName: "Canvass", language: language)
        return WebResponses.page(layout.render(RespondentPages.message(title: ui.pageNotFound, body: ui.pageNotFoundBody)), status: .notFound)
    }

    func serviceProblem(status: HTTPStatus, language: String) -> HTTPResponse {
        let ui = UIText(language: language)
        let layout = PageLayout(title: ui.serviceProblem, serviceName: "Canvass", language: language)
        var response = WebResponses.page(layout.render(RespondentPages.message(title: ui.serviceProblem, body: ui.tryLater)), status: status)
        if status == .serviceUnavailable { response.headers.append(("Retry-After", "30")) }
        return response
    }
}

/// Waits for a deferred response handed to an `HTTPReply(receiver:)`.
private final class ReplyWaiter: Sendable {
    private let response = Mutex<HTTPResponse?>(nil)
    private let ready = DispatchSemaphore(value: 0)

    func receive(_ response: HTTPResponse) {
        self.response.withLock { $0 = response }
        ready.signal()
    }

    func wait() -> HTTPResponse {
        ready.wait()
        return response.withLock { $0! }
    }
}

/// Which interview: questionnaire version, language and the day (since 1970, UTC) the engine's `today()` means.
struct InterviewKey: Hashable {
    var versionID: Int64
    var language: String
    var day: Int
}
