import Foundation
import SurveyEngine
import SurveyStore

/// `canvass erase`: deletes one respondent's data, leaving an audit entry.
struct EraseCommand {
    static let spec = CommandSpec(
        name: "erase", summary: "Delete a respondent's answers and responses (a right-to-erasure request), with an audit entry.",
        options: [
            .init(name: "--db", value: "PATH", help: "SQLite database. Required.", required: true),
            .init(name: "--case", value: "REF", help: "Every response reached through the case's invitations, the invitations and the case record."),
            .init(name: "--response", value: "ID", help: "One response (its number, as exports and verify give it)."),
            .init(name: "--token", value: "T", help: "The response behind an invitation link's or a poll's token."),
        ],
        details: """
        Give exactly one of --case, --response and --token. Complete and partial responses go, with
        their answers, analysis rows, web sessions and invitations, in one transaction with SQLite's
        secure_delete on; a checkpoint then empties the write-ahead log. The audit log records who,
        when and what kind, never the content. Stop 'canvass serve' first for the checkpoint to
        finish at once; otherwise the old pages leave the log at the next checkpoint.
        """)

    let context: CLIContext

    func run(_ arguments: ParsedArguments) throws(CLIError) -> Int32 {
        let given = ["--case", "--response", "--token"].filter { arguments.has($0) }
        guard given.count == 1 else {
            throw .invalidValue(option: given.first ?? "--case", value: given.joined(separator: " "), expected: "exactly one of --case REF, --response ID or --token T", command: "erase")
        }
        let target: ErasureTarget
        if let ref = arguments.value("--case") {
            target = .caseRef(ref)
        } else if let token = arguments.value("--token") {
            target = .token(token)
        } else {
            target = .response(Int64(try arguments.integer("--response", in: 1...Int.max, what: "a response number", command: "erase") ?? 0))
        }
        let store = try openExistingStore(arguments.required("--db"), context: context)
        let report = try storeCall { () throws(SurveyStoreError) in try store.erase(target, actor: context.actor) }
        guard !report.isEmpty else {
            context.err("Nothing to erase: no response, invitation or case matches \(target). Nothing was changed.\n")
            return ExitStatus.noInput
        }
        context.out("Erased \(target): \(report).\n")
        context.out(checkpointLine(report))
        return ExitStatus.ok
    }
}

/// The sentence about the write-ahead log after an erasure.
func checkpointLine(_ report: ErasureReport) -> String {
    guard let checkpoint = report.checkpoint else { return "" }
    return checkpoint.busy
        ? "The write-ahead log is still held by another connection (a running server?): old pages leave it at the next checkpoint, or run this again with the server stopped.\n"
        : "The write-ahead log was checkpointed and emptied: no copy of the removed pages is left in it.\n"
}

/// `canvass retain`: applies the retention period.
struct RetainCommand {
    static let spec = CommandSpec(
        name: "retain", summary: "Delete everything older than the retention period (responses, invitations, closed cases).",
        options: [
            .init(name: "--db", value: "PATH", help: "SQLite database. Required.", required: true),
            .init(name: "--older-than", value: "AGE", help: "The retention period: months (24m), years (2y) or days (730d). Required.", required: true),
            .init(name: "--dry-run", value: nil, help: "Say what would go, and change nothing."),
        ],
        details: """
        Responses completed (partial ones: last saved) before the cut-off go, as with 'canvass erase',
        and so do cases closed before it that no later response reaches. A dry run does the same work
        in a transaction and rolls it back, so it reports exactly what the real run removes.
        """)

    let context: CLIContext

    func run(_ arguments: ParsedArguments) throws(CLIError) -> Int32 {
        let age = arguments.required("--older-than")
        guard let cutoff = Self.cutoff(age, today: context.today) else {
            throw .invalidValue(option: "--older-than", value: age, expected: "a number of months, years or days, like 24m, 2y or 730d", command: "retain")
        }
        let dryRun = arguments.has("--dry-run")
        let store = try openExistingStore(arguments.required("--db"), context: context)
        let report = try storeCall { () throws(SurveyStoreError) in try store.retain(before: cutoff, dryRun: dryRun, actor: context.actor) }
        if dryRun {
            context.out("Dry run: before \(cutoff) (older than \(age)) the retention run would remove \(report). Nothing was changed.\n")
        } else {
            context.out("Removed everything before \(cutoff) (older than \(age)): \(report).\n")
            context.out(checkpointLine(report))
        }
        return ExitStatus.ok
    }

    /// The first day kept: `today` less the age (`24m`, `2y`, `730d`), or nil when the age is malformed.
    static func cutoff(_ age: String, today: String) -> String? {
        guard let unit = age.last, let count = Int(age.dropLast()), count > 0, count <= 1200,
              let (year, month, day) = DateText.components(today) else { return nil }
        switch unit {
        case "d":
            guard let number = DateText.dayNumber(today) else { return nil }
            let date = DateText.civilDate(days: number - count)
            return String(format: "%04d-%02d-%02d", date.year, date.month, date.day)
        case "m", "y":
            let months = unit == "y" ? count * 12 : count
            let index = year * 12 + month - 1 - months
            let y = index / 12, m = index % 12 + 1
            let last = [31, (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
            return String(format: "%04d-%02d-%02d", y, m, min(day, last))
        default:
            return nil
        }
    }
}

/// `canvass audit`: lists the audit log.
struct AuditCommand {
    static let spec = CommandSpec(
        name: "audit", summary: "List the audit log: imports, exports, erasures, retention, invitations, sign-ins and backups.",
        options: [
            .init(name: "--db", value: "PATH", help: "SQLite database. Required.", required: true),
            .init(name: "--since", value: "DATE", help: "Only entries on or after YYYY-MM-DD."),
        ])

    let context: CLIContext

    func run(_ arguments: ParsedArguments) throws(CLIError) -> Int32 {
        let since = try MeasureArguments.date(arguments, "--since", "audit")
        let store = try openExistingStore(arguments.required("--db"), context: context)
        let entries = try storeCall { () throws(SurveyStoreError) in try store.auditEntries(since: since) }
        guard !entries.isEmpty else {
            context.out("No audit entries\(since.map { " since \($0)" } ?? "").\n")
            return ExitStatus.ok
        }
        for entry in entries {
            context.out("\(entry.at)  \(entry.action.rawValue)  \(entry.actor)  \(entry.subject): \(entry.detail)\n")
        }
        return ExitStatus.ok
    }
}

/// `canvass backup`: a consistent online copy.
struct BackupCommand {
    static let spec = CommandSpec(
        name: "backup", summary: "Write a consistent copy of the database while it is in use (SQLite's online backup).",
        options: [
            .init(name: "--db", value: "PATH", help: "SQLite database. Required.", required: true),
            .init(name: "--out", value: "FILE", help: "The copy to write; it must not exist. Required.", required: true),
        ],
        details: "Safe while 'canvass serve' writes: the copy is one snapshot. Check it with 'canvass verify --db FILE'.")

    let context: CLIContext

    func run(_ arguments: ParsedArguments) throws(CLIError) -> Int32 {
        let out = arguments.required("--out")
        guard !FileManager.default.fileExists(atPath: out) else {
            throw .failure("\(out) already exists; a backup is never written over a file. Give a new --out.", status: ExitStatus.cannotCreate)
        }
        let store = try openExistingStore(arguments.required("--db"), context: context)
        do {
            try store.backup(to: out, actor: context.actor)
        } catch {
            try? FileManager.default.removeItem(atPath: out)
            throw .failure("\(error). Nothing was kept at \(out).", status: ExitStatus.ioError)
        }
        context.out("Backed up to \(out). Check it with: canvass verify --db \(out)\n")
        return ExitStatus.ok
    }
}
