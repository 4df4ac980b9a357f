/// Errors of the command line, kept apart from how they are shown: usage errors (exit 64, with
/// the command's usage) and failures of the work itself (their own exit status).
public enum CLIError: Error, Equatable, CustomStringConvertible {
    case unknownCommand(String)
    case unknownOption(String, command: String)
    case missingValue(option: String, command: String)
    /// An option that may be given once was given again.
    case repeatedOption(String, command: String)
    case missingArgument(String, command: String)
    case unexpectedArgument(String, command: String)
    case invalidValue(option: String, value: String, expected: String, command: String)
    case conflictingOptions(String, String, command: String)
    /// An option that only means something beside another one was given without it.
    case requiresOption(String, String, command: String)
    /// The command ran but failed: `message` for stderr, `status` as exit code.
    case failure(String, status: Int32)

    /// The command whose usage should follow the message, if it is a usage error.
    public var command: String? {
        switch self {
        case .unknownCommand: return ""
        case .unknownOption(_, let c), .missingValue(_, let c), .missingArgument(_, let c), .repeatedOption(_, let c),
             .unexpectedArgument(_, let c), .invalidValue(_, _, _, let c), .conflictingOptions(_, _, let c),
             .requiresOption(_, _, let c): return c
        case .failure: return nil
        }
    }

    /// The exit status: 64 (EX_USAGE) for usage errors, else the failure's own.
    public var status: Int32 {
        if case .failure(_, let status) = self { return status }
        return ExitStatus.usage
    }

    public var description: String {
        switch self {
        case .unknownCommand(let name): return "unknown command '\(name)'"
        case .unknownOption(let option, let command): return "unknown option '\(option)' for '\(command)'"
        case .missingValue(let option, _): return "option '\(option)' needs a value"
        case .repeatedOption(let option, _): return "option '\(option)' was given more than once; give it once"
        case .missingArgument(let name, let command): return "'\(command)' needs \(name)"
        case .unexpectedArgument(let value, let command): return "unexpected argument '\(value)' for '\(command)'"
        case .invalidValue(let option, let value, let expected, _): return "invalid value '\(value)' for \(option): expected \(expected)"
        case .conflictingOptions(let a, let b, _): return "\(a) and \(b) cannot be used together"
        case .requiresOption(let a, let b, _): return "\(a) works only with \(b): add \(b), or leave \(a) out"
        case .failure(let message, _): return message
        }
    }
}

/// Exit statuses, after BSD sysexits.h.
public enum ExitStatus {
    public static let ok: Int32 = 0
    public static let failure: Int32 = 1
    public static let usage: Int32 = 64
    public static let dataError: Int32 = 65
    public static let noInput: Int32 = 66
    public static let software: Int32 = 70
    public static let cannotCreate: Int32 = 73
    public static let ioError: Int32 = 74
    /// EX_TEMPFAIL: try again (after reading the latest state).
    public static let temporaryFailure: Int32 = 75
    public static let unavailable: Int32 = 69
    public static let interrupted: Int32 = 130
}
