import Reports

/// The `canvass` command line: parses arguments into a command, runs it, and returns the exit status.
/// Never exits, never reads `CommandLine` itself.
public struct Canvass {
    public static let version = "0.1.0"

    let context: CLIContext

    public init(context: CLIContext) { self.context = context }

    static let commands: [CommandSpec] = [
        DemoCommand.spec, CheckCommand.spec, RunCommand.spec, ImportCommand.spec, MeasuresCommand.spec, TrendCommand.spec, OutcomesCommand.spec, ReportCommand.spec, StatsCommand.spec,
        InviteCommand.spec, ServeCommand.spec, ReindexCommand.spec, VerifyCommand.spec, ExportCommand.spec, EraseCommand.spec, RetainCommand.spec, AuditCommand.spec, BackupCommand.spec, BenchCommand.spec,
    ]

    /// Runs the command named by `arguments` (without the program name) and returns its exit status.
    public func run(_ arguments: [String]) -> Int32 {
        do {
            return try dispatch(arguments)
        } catch {
            report(error)
            return error.status
        }
    }

    private func dispatch(_ arguments: [String]) throws(CLIError) -> Int32 {
        guard let first = arguments.first else {
            context.err(Self.overview)
            return ExitStatus.usage
        }
        let rest = Array(arguments.dropFirst())
        switch first {
        case "--version", "version":
            context.out("canvass \(Self.version)\n")
            return ExitStatus.ok
        case "help", "--help", "-h":
            return try help(rest)
        default:
            guard let spec = Self.commands.first(where: { $0.name == first }) else { throw .unknownCommand(first) }
            let parsed = try ArgumentParser.parse(rest, spec: spec)
            if parsed.helpRequested {
                context.out(spec.help)
                return ExitStatus.ok
            }
            return try execute(spec.name, parsed)
        }
    }

    private func execute(_ name: String, _ arguments: ParsedArguments) throws(CLIError) -> Int32 {
        switch name {
        case DemoCommand.spec.name: return try DemoCommand(context: context).run(arguments)
        case CheckCommand.spec.name: return CheckCommand(context: context).run(arguments)
        case RunCommand.spec.name: return try RunCommand(context: context).run(arguments)
        case ImportCommand.spec.name: return try ImportCommand(context: context).run(arguments)
        case MeasuresCommand.spec.name: return try MeasuresCommand(context: context).run(arguments)
        case TrendCommand.spec.name: return try TrendCommand(context: context).run(arguments)
        case OutcomesCommand.spec.name: return try OutcomesCommand(context: context).run(arguments)
        case ReportCommand.spec.name: return try ReportCommand(context: context).run(arguments)
        case StatsCommand.spec.name: return try StatsCommand(context: context).run(arguments)
        case InviteCommand.spec.name: return try InviteCommand(context: context).run(arguments)
        case ServeCommand.spec.name: return try ServeCommand(context: context).run(arguments)
        case ReindexCommand.spec.name: return try ReindexCommand(context: context).run(arguments)
        case VerifyCommand.spec.name: return try VerifyCommand(context: context).run(arguments)
        case ExportCommand.spec.name: return try ExportCommand(context: context).run(arguments)
        case EraseCommand.spec.name: return try EraseCommand(context: context).run(arguments)
        case RetainCommand.spec.name: return try RetainCommand(context: context).run(arguments)
        case AuditCommand.spec.name: return try AuditCommand(context: context).run(arguments)
        case BackupCommand.spec.name: return try BackupCommand(context: context).run(arguments)
        case BenchCommand.spec.name: return try BenchCommand(context: context).run(arguments)
        default: throw .unknownCommand(name)
        }
    }

    private func help(_ arguments: [String]) throws(CLIError) -> Int32 {
        guard let name = arguments.first else {
            context.out(Self.overview)
            return ExitStatus.ok
        }
        guard let spec = Self.commands.first(where: { $0.name == name }) else { throw .unknownCommand(name) }
        context.out(spec.help)
        return ExitStatus.ok
    }

    private func report(_ error: CLIError) {
        // An error may quote a value from a file (a borough, an answer): shown, never obeyed.
        let text = "\(error)".split(separator: "\n", omittingEmptySubsequences: false).map { TextTable.visible(String($0)) }.joined(separator: "\n")
        context.err("canvass: error: \(text)\n")
        guard let command = error.command else { return }
        if let spec = Self.commands.first(where: { $0.name == command }) {
            context.err("Usage: \(spec.usage)\nSee 'canvass help \(spec.name)'.\n")
        } else {
            context.err(Self.overview)
        }
    }

    static var overview: String {
        var lines = ["Canvass \(version): survey and satisfaction insight for teams tackling anti-social behaviour.", "",
                     "Usage: canvass COMMAND [options]", "", "Commands:"]
        let width = commands.map(\.name.count).max() ?? 0
        for spec in commands {
            lines.append("  \(spec.name)" + String(repeating: " ", count: width - spec.name.count + 2) + spec.summary)
        }
        lines.append("  help" + String(repeating: " ", count: width - 2) + "Show help for a command: canvass help COMMAND")
        lines.append("")
        lines.append("Run 'canvass help COMMAND' for a command's options. Documentation: README.md and docs/.")
        return lines.joined(separator: "\n") + "\n"
    }
}
