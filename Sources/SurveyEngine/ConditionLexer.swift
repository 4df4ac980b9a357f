/// Splits expression text into tokens, each with its 1-based character offset.
enum ConditionLexer {
    static func tokens(_ text: String) throws(ConditionSyntaxError) -> [(token: ConditionParser.Token, offset: Int)] {
        let chars = Array(text)
        var result: [(ConditionParser.Token, Int)] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            let start = i + 1
            if c.isWhitespace { i += 1; continue }
            if c == "$" {
                guard i + 1 < chars.count, chars[i + 1] == "{" else {
                    throw ConditionSyntaxError(message: "'$' must start a reference like ${question_id}", offset: start)
                }
                guard let close = chars[(i + 2)...].firstIndex(of: "}") else {
                    throw ConditionSyntaxError(message: "reference is not closed: missing '}'", offset: start)
                }
                let name = String(chars[(i + 2)..<close])
                guard QuestionnaireLoader.isValidIdentifier(name) else {
                    throw ConditionSyntaxError(message: "'${\(name)}' is not a question id (letters, digits and _ only, starting with a letter)", offset: start)
                }
                result.append((.reference(name), start))
                i = close + 1
            } else if c == "'" || c == "\"" {
                guard let close = chars[(i + 1)...].firstIndex(of: c) else {
                    throw ConditionSyntaxError(message: "text is not closed: missing \(c)", offset: start)
                }
                result.append((.string(String(chars[(i + 1)..<close])), start))
                i = close + 1
            } else if c.isASCII && c.isNumber {
                var j = i
                while j < chars.count, chars[j].isASCII, chars[j].isNumber || chars[j] == "." { j += 1 }
                let literal = String(chars[i..<j])
                guard let value = Double(literal) else {
                    throw ConditionSyntaxError(message: "'\(literal)' is not a number", offset: start)
                }
                result.append((.number(value), start))
                i = j
            } else if c.isASCII && c.isLetter {
                var j = i
                while j < chars.count, chars[j].isASCII, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == "-" { j += 1 }
                // A hyphen belongs to a name only inside function names like count-selected(...).
                var word = String(chars[i..<j])
                if word.contains("-"), !(j < chars.count && chars[j] == "(") {
                    word = String(word.prefix { $0 != "-" })
                    j = i + word.count
                }
                result.append((.identifier(word), start))
                i = j
            } else if let symbol = symbol(at: i, in: chars) {
                result.append((symbol == "." ? .dot : .symbol(symbol), start))
                i += symbol.count
            } else {
                throw ConditionSyntaxError(message: "unexpected character '\(c)'", offset: start)
            }
        }
        result.append((.end, chars.count + 1))
        return result
    }

    private static func symbol(at i: Int, in chars: [Character]) -> String? {
        let two = i + 1 < chars.count ? String(chars[i...(i + 1)]) : ""
        if ["!=", "<=", ">=", "=="].contains(two) { return two == "==" ? "=" : two }
        let one = String(chars[i])
        if ["=", "<", ">", "+", "-", "*", "/", "(", ")", ",", "."].contains(one) { return one }
        return nil
    }
}
