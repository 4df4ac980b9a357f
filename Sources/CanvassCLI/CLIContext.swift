import Foundation
import SurveyEngine
import SurveyStore
import Terminal

/// Everything a command touches outside itself, injected so commands run the same in tests.
public struct CLIContext {
    public var standardOutput: TextSink
    public var standardError: TextSink
    /// Makes the line source for interactive interviews (standard input in the real program).
    public var makeInput: () -> any LineSource
    /// True once the user has pressed Ctrl-C.
    public var wasInterrupted: () -> Bool
    /// Blocks until the process is asked to stop (SIGINT or SIGTERM).
    public var waitForTermination: () -> Void
    public var environment: [String: String]
    public var clock: () -> Date

    public init(standardOutput: TextSink, standardError: TextSink, makeInput: @escaping () -> any LineSource,
                wasInterrupted: @escaping () -> Bool = { false }, waitForTermination: @escaping () -> Void = {},
                environment: [String: String] = [:],
                clock: @escaping () -> Date = Date.init) {
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.makeInput = makeInput
        self.wasInterrupted = wasInterrupted
        self.waitForTermination = waitForTermination
        self.environment = environment
        self.clock = clock
    }

    func out(_ text: String) { standardOutput.write(text) }
    func err(_ text: String) { standardError.write(text) }

    /// Who is running the command, for the audit log: the operating-system user (`USER`, else
    /// `LOGNAME`), as the environment gives it.
    var actor: String { environment["USER"] ?? environment["LOGNAME"] ?? "unknown user" }

    /// Records an action that has already been committed in the audit log; a failure to record
    /// it is said, not hidden, and does not undo the action.
    func audit(_ store: SurveyStore, _ action: AuditAction, subject: String, detail: String) {
        do { try store.recordAudit(action, actor: actor, subject: subject, detail: detail) } catch {
            err("warning: could not write the audit log entry (\(action.rawValue), \(subject)): \(error)\n")
        }
    }

    /// Today's date (UTC) as `YYYY-MM-DD`.
    var today: String { DateText.isoDate(unixSeconds: clock().timeIntervalSince1970) }
}
