/// Serialises `JSONValue`s. Numbers that are whole print without a fraction; strings are escaped per RFC 8259.
public struct JSONWriter: Sendable {
    /// Sort object keys (for canonical forms that are hashed) instead of keeping their order.
    public var sortKeys: Bool
    /// Indent nested values by two spaces per level.
    public var pretty: Bool

    public init(sortKeys: Bool = false, pretty: Bool = false) {
        self.sortKeys = sortKeys
        self.pretty = pretty
    }

    /// The JSON text of `value`.
    public func string(_ value: JSONValue) -> String {
        var out = ""
        write(value, into: &out, level: 0)
        return out
    }

    private func write(_ value: JSONValue, into out: inout String, level: Int) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += Self.format(n)
        case .string(let s): Self.escape(s, into: &out)
        case .array(let items):
            writeList(items.map { (nil, $0) }, open: "[", close: "]", into: &out, level: level)
        case .object(let members):
            let ordered = sortKeys ? members.sorted { $0.key < $1.key } : members
            writeList(ordered.map { ($0.key, $0.value) }, open: "{", close: "}", into: &out, level: level)
        }
    }

    private func writeList(_ items: [(String?, JSONValue)], open: String, close: String, into out: inout String, level: Int) {
        out += open
        if items.isEmpty { out += close; return }
        let indent = pretty ? "\n" + String(repeating: "  ", count: level + 1) : ""
        for (offset, (key, value)) in items.enumerated() {
            if offset > 0 { out += "," }
            out += indent
            if let key {
                Self.escape(key, into: &out)
                out += pretty ? ": " : ":"
            }
            write(value, into: &out, level: level + 1)
        }
        if pretty { out += "\n" + String(repeating: "  ", count: level) }
        out += close
    }

    /// A number as JSON text: integers without a decimal point, others with up to 17 significant digits.
    public static func format(_ n: Double) -> String {
        guard n.isFinite else { return "null" }
        if n.rounded() == n && abs(n) < 1e15 { return String(Int64(n)) }
        return "\(n)"
    }

    /// Appends `s` as a quoted JSON string.
    public static func escape(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
