/// Why an expression could not be parsed; `offset` counts characters from 1.
public struct ConditionSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var offset: Int
    public var description: String { "at character \(offset): \(message)" }
}

/// Parses expression text into a `Condition` by recursive descent:
/// or → and → not → comparison → sum → product → unary → primary.
public struct ConditionParser {
    enum Token: Equatable {
        case string(String), number(Double), reference(String), identifier(String)
        case symbol(String), dot, end
    }

    private var tokens: [(token: Token, offset: Int)] = []
    private var position = 0
    private var depth = 0
    /// Deeper nesting than this is refused, so no expression can exhaust the stack.
    static let maximumDepth = 64

    /// Parses `text`, or throws with the character offset of the problem.
    public static func parse(_ text: String) throws(ConditionSyntaxError) -> Condition {
        var parser = ConditionParser()
        parser.tokens = try ConditionLexer.tokens(text)
        let condition = try parser.parseOr()
        guard parser.peek == .end else { throw parser.unexpected("the end of the expression") }
        return condition
    }

    private var peek: Token { tokens[position].token }
    private var offset: Int { tokens[position].offset }

    private mutating func advance() -> Token {
        let token = tokens[position].token
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func unexpected(_ expected: String) -> ConditionSyntaxError {
        let found: String
        switch peek {
        case .end: found = "the end of the expression"
        case .string(let s): found = "'\(s)'"
        case .number(let n): found = AnswerValue.format(n)
        case .reference(let r): found = "${\(r)}"
        case .identifier(let i): found = "'\(i)'"
        case .symbol(let s): found = "'\(s)'"
        case .dot: found = "'.'"
        }
        return ConditionSyntaxError(message: "expected \(expected) but found \(found)", offset: offset)
    }

    private mutating func parseOr() throws(ConditionSyntaxError) -> Condition {
        try enterNesting()
        defer { depth -= 1 }
        var left = try parseAnd()
        while peek == .identifier("or") {
            _ = advance()
            left = .binary(.or, left, try parseAnd())
        }
        return left
    }

    /// One level deeper; refused beyond `maximumDepth` so no expression can exhaust the stack.
    private mutating func enterNesting() throws(ConditionSyntaxError) {
        depth += 1
        guard depth <= Self.maximumDepth else {
            throw ConditionSyntaxError(message: "nested more than \(Self.maximumDepth) levels deep; simplify the expression", offset: offset)
        }
    }

    private mutating func parseAnd() throws(ConditionSyntaxError) -> Condition {
        var left = try parseNot()
        while peek == .identifier("and") {
            _ = advance()
            left = .binary(.and, left, try parseNot())
        }
        return left
    }

    private mutating func parseNot() throws(ConditionSyntaxError) -> Condition {
        if peek == .identifier("not") {
            _ = advance()
            try enterNesting()
            defer { depth -= 1 }
            return .not(try parseNot())
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(ConditionSyntaxError) -> Condition {
        let left = try parseSum()
        let comparisons: [Condition.BinaryOperator] = [.equal, .notEqual, .lessOrEqual, .greaterOrEqual, .less, .greater]
        for op in comparisons where peek == .symbol(op.rawValue) {
            _ = advance()
            let right = try parseSum()
            if case .symbol(let s) = peek, comparisons.map(\.rawValue).contains(s) {
                throw ConditionSyntaxError(message: "comparisons cannot be chained; join them with 'and'", offset: offset)
            }
            return .binary(op, left, right)
        }
        return left
    }

    private mutating func parseSum() throws(ConditionSyntaxError) -> Condition {
        var left = try parseProduct()
        while case .symbol(let s) = peek, s == "+" || s == "-" {
            _ = advance()
            left = .binary(s == "+" ? .add : .subtract, left, try parseProduct())
        }
        return left
    }

    private mutating func parseProduct() throws(ConditionSyntaxError) -> Condition {
        var left = try parseUnary()
        while case .symbol(let s) = peek, s == "*" || s == "/" {
            _ = advance()
            left = .binary(s == "*" ? .multiply : .divide, left, try parseUnary())
        }
        return left
    }

    private mutating func parseUnary() throws(ConditionSyntaxError) -> Condition {
        if peek == .symbol("-") {
            _ = advance()
            try enterNesting()
            defer { depth -= 1 }
            return .negate(try parseUnary())
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(ConditionSyntaxError) -> Condition {
        let start = offset
        switch peek {
        case .string(let s): _ = advance(); return .string(s)
        case .number(let n): _ = advance(); return .number(n)
        case .reference(let r): _ = advance(); return .reference(r)
        case .dot: _ = advance(); return .current
        case .symbol("("):
            _ = advance()
            let inner = try parseOr()
            guard peek == .symbol(")") else { throw unexpected("')'") }
            _ = advance()
            return inner
        case .identifier("true"): _ = advance(); return .boolean(true)
        case .identifier("false"): _ = advance(); return .boolean(false)
        case .identifier(let name):
            _ = advance()
            return try parseCall(name, start: start)
        default:
            throw unexpected("a value, ${question}, '.' or a function")
        }
    }

    private mutating func parseCall(_ name: String, start: Int) throws(ConditionSyntaxError) -> Condition {
        let canonical = String(name.map { $0 == "-" ? "_" : $0 })
        guard let arity = Condition.functions[canonical] else {
            let known = Condition.functions.keys.sorted().joined(separator: ", ")
            throw ConditionSyntaxError(message: "unknown function or word '\(name)' (functions: \(known); strings need quotes)", offset: start)
        }
        guard peek == .symbol("(") else { throw unexpected("'(' after \(name)") }
        _ = advance()
        var arguments: [Condition] = []
        if peek != .symbol(")") {
            arguments.append(try parseOr())
            while peek == .symbol(",") {
                _ = advance()
                arguments.append(try parseOr())
            }
        }
        guard peek == .symbol(")") else { throw unexpected("',' or ')'") }
        _ = advance()
        guard arguments.count == arity else {
            throw ConditionSyntaxError(message: "\(name)() takes \(arity) argument\(arity == 1 ? "" : "s"), not \(arguments.count)", offset: start)
        }
        return .call(canonical, arguments)
    }
}
