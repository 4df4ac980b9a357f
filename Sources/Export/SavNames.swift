/// Variable names valid in SPSS: a letter first, then letters, digits, `_` and `.`; at most 64
/// bytes; not ending in `.`; not a reserved word; unique ignoring case.
struct SavNames {
    private var used = Set<String>()
    static let reserved: Set<String> = ["ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"]

    /// A valid, unused name made from `wanted`.
    mutating func make(_ wanted: String) -> String {
        var name = String(wanted.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(Character(scalar)) || scalar == "_" || scalar == ".") ? Character(scalar) : "_"
        })
        if name.first.map({ !($0.isLetter) }) ?? true { name = "V" + name }
        while name.hasSuffix(".") { name.removeLast() }
        if name.utf8.count > 64 { name = String(name.prefix(64)) }
        if Self.reserved.contains(name.uppercased()) { name += "_" }
        var candidate = name
        var suffix = 2
        while used.contains(candidate.uppercased()) {
            let tail = "_\(suffix)"
            candidate = String(name.prefix(64 - tail.count)) + tail
            suffix += 1
        }
        used.insert(candidate.uppercased())
        return candidate
    }
}
