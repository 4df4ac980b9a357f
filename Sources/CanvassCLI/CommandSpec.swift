/// The shape of one command: its options and positional arguments, and the help text built from them.
struct CommandSpec {
    struct Option {
        let name: String
        let value: String?
        let help: String
        var takesValue: Bool { value != nil }
    }

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
struct ParsedArguments {
    var positionals: [String] = []
    var values: [String: String] = [:]
    var flags: Set<String> = []

    func value(_ name: String) -> String? { values[name] }
    func has(_ name: String) -> Bool { flags.contains(name) || values[name] != nil }

    /// The whole-number value of option `name` within `range`, nil when the option is absent, or a
    /// usage error naming the value ("`what` from 1 to 120").
    func integer(_ name: String, in range: ClosedRange<Int>, what: String = "a whole number", command: String) throws(CLIError) -> Int? {
        guard let text = values[name] else { return nil }
        guard let value = Int(text), range.contains(value) else {
            let bound = range.upperBound == .max ? "\(range.lowerBound) or more" : "from \(range.lowerBound) to \(range.upperBound)"
            throw .invalidValue(option: name, value: text, expected: "\(what) \(bound)", command: command)
        }
        return value
    }
}

/// Parses `--name value`, `--name=value`, flags and positionals against a `CommandSpec`.
enum ArgumentParser {
    static func parse(_ arguments: [String], spec: CommandSpec) throws(CLIError) -> ParsedArguments {
        var parsed = ParsedArguments()
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
            var name = argument
            var inline: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inline = String(argument[argument.index(after: equals)...])
            }
            guard let option = spec.options.first(where: { $0.name == name }) else {
                throw .unknownOption(name, command: spec.name)
            }
            if option.takesValue {
                if let inline {
                    parsed.values[name] = inline
                } else {
                    guard index < arguments.count else { throw .missingValue(option: name, command: spec.name) }
                    parsed.values[name] = arguments[index]
                    index += 1
                }
            } else {
                if inline != nil { throw .invalidValue(option: name, value: inline!, expected: "no value (it is a flag)", command: spec.name) }
                parsed.flags.insert(name)
            }
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
