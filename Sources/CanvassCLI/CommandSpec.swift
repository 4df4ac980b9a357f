/// The shape of one command: its options and positional arguments, and the help text built from them.
struct CommandSpec {
    /// One option, declared once: its name, the placeholder of its value (nil for a flag),
    /// whether it must be given, and whether it may be given more than once.
    struct Option {
        let name: String
        let value: String?
        let help: String
        var required = false
        var repeatable = false
        var takesValue: Bool { value != nil }

        init(name: String, value: String?, help: String, required: Bool = false, repeatable: Bool = false) {
            self.name = name
            self.value = value
            self.help = help
            self.required = required
            self.repeatable = repeatable
        }

        /// `--name PLACEHOLDER`, as usage and errors show it.
        var synopsis: String { value.map { "\(name) \($0)" } ?? name }
    }

    /// The declared option called `name`, if any.
    func option(_ name: String) -> Option? { options.first { $0.name == name } }

    let name: String
    let summary: String
    let arguments: String
    let options: [Option]
    let minimumArguments: Int
    let maximumArguments: Int
    let details: String

    init(name: String, summary: String, arguments: String = "", options: [Option] = [],
         minimumArguments: Int = 0, maximumArguments: Int = 0, details: String = "") {
        self.name = name
        self.summary = summary
        self.arguments = arguments
        self.options = options
        self.minimumArguments = minimumArguments
        self.maximumArguments = maximumArguments
        self.details = details
    }

    var usage: String {
        var parts = ["canvass", name]
        if !arguments.isEmpty { parts.append(arguments) }
        if !options.isEmpty { parts.append("[options]") }
        return parts.joined(separator: " ")
    }

    var help: String {
        var lines = ["Usage: \(usage)", "", summary]
        if !options.isEmpty {
            lines.append("")
            lines.append("Options:")
            let width = options.map { $0.name.count + ($0.value.map { $0.count + 1 } ?? 0) }.max() ?? 0
            for option in options {
                let left = option.name + (option.value.map { " " + $0 } ?? "")
                lines.append("  " + left + String(repeating: " ", count: width - left.count + 2) + option.help)
            }
        }
        if !details.isEmpty { lines.append(""); lines.append(details) }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The arguments of one command after parsing: positionals in order, option values by name.
/// Reading an option the command did not declare is a programming error and stops at once (a
/// misspelt name would otherwise read as "not given").
struct ParsedArguments {
    let spec: CommandSpec
    var positionals: [String] = []
    private(set) var values: [String: [String]] = [:]
    private(set) var flags: Set<String> = []
    /// `--help` or `-h` was given where an option can stand.
    var helpRequested = false

    init(spec: CommandSpec) { self.spec = spec }

    private func declared(_ name: String, file: StaticString = #file, line: UInt = #line) -> CommandSpec.Option {
        guard let option = spec.option(name) else { preconditionFailure("'\(spec.name)' reads \(name), which it does not declare", file: file, line: line) }
        return option
    }

    /// The value of option `name`, nil when it was not given.
    func value(_ name: String) -> String? {
        let option = declared(name)
        precondition(option.takesValue && !option.repeatable, "\(name) is a flag or repeatable: use has() or values()")
        return values[name]?.first
    }

    /// The value of a required option (the parser has checked it was given).
    func required(_ name: String) -> String {
        precondition(declared(name).required, "\(name) is not declared required")
        return values[name]!.first!
    }

    /// Every value of a repeatable option, in the order given.
    func values(_ name: String) -> [String] {
        precondition(declared(name).repeatable, "\(name) is not declared repeatable")
        return values[name] ?? []
    }

    /// True when flag (or option) `name` was given.
    func has(_ name: String) -> Bool {
        _ = declared(name)
        return flags.contains(name) || values[name] != nil
    }

    /// The whole-number value of option `name` within `range`, nil when the option is absent, or a
    /// usage error naming the value ("`what` from 1 to 120").
    func integer(_ name: String, in range: ClosedRange<Int>, what: String = "a whole number", command: String) throws(CLIError) -> Int? {
        guard let text = value(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            let bound = range.upperBound == .max ? "\(range.lowerBound) or more" : "from \(range.lowerBound) to \(range.upperBound)"
            throw .invalidValue(option: name, value: text, expected: "\(what) \(bound)", command: command)
        }
        return value
    }

    fileprivate mutating func add(_ option: CommandSpec.Option, value: String?) throws(CLIError) {
        if !option.repeatable, values[option.name] != nil || flags.contains(option.name) {
            throw .repeatedOption(option.name, command: spec.name)
        }
        if let value { values[option.name, default: []].append(value) } else { flags.insert(option.name) }
    }
}

/// Parses `--name value`, `--name=value`, flags, `--` and positionals against a `CommandSpec`,
/// once: unknown options, repeats of an option that is not repeatable, missing values and
/// missing required options are usage errors that name them. `--help` counts only where an
/// option can stand: as the value of another option it is that option's missing value.
enum ArgumentParser {
    static func parse(_ arguments: [String], spec: CommandSpec) throws(CLIError) -> ParsedArguments {
        var parsed = ParsedArguments(spec: spec)
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositionals || !argument.hasPrefix("-") || argument == "-" {
                parsed.positionals.append(argument)
                continue
            }
            if argument == "--" { onlyPositionals = true; continue }
            if argument == "--help" || argument == "-h" { parsed.helpRequested = true; continue }
            var name = argument
            var inline: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inline = String(argument[argument.index(after: equals)...])
            }
            guard let option = spec.option(name) else {
                throw .unknownOption(name, command: spec.name)
            }
            if option.takesValue {
                if let inline {
                    try parsed.add(option, value: inline)
                } else {
                    // The next word is the value unless it is itself an option (`--db --help`):
                    // a value that starts with "--" can still be given as --name=--value.
                    guard index < arguments.count, !arguments[index].hasPrefix("--") else {
                        throw .missingValue(option: option.synopsis, command: spec.name)
                    }
                    try parsed.add(option, value: arguments[index])
                    index += 1
                }
            } else {
                if let inline { throw .invalidValue(option: name, value: inline, expected: "no value (it is a flag)", command: spec.name) }
                try parsed.add(option, value: nil)
            }
        }
        if parsed.helpRequested { return parsed }
        if let missing = spec.options.first(where: { $0.required && !parsed.has($0.name) }) {
            throw .missingArgument(missing.synopsis, command: spec.name)
        }
        if parsed.positionals.count < spec.minimumArguments {
            throw .missingArgument(spec.arguments.isEmpty ? "an argument" : spec.arguments, command: spec.name)
        }
        if parsed.positionals.count > spec.maximumArguments {
            throw .unexpectedArgument(parsed.positionals[spec.maximumArguments], command: spec.name)
        }
        return parsed
    }
}
