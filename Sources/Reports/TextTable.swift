/// Fixed-width plain-text tables for terminals (no colour, so screen readers and logs read them as they are).
public enum TextTable {
    /// `rows[0]` is the header; columns in `rightAligned` are aligned right (numbers). Every cell
    /// goes through ``visible(_:)``, so a value from data cannot move the cursor, recolour or
    /// clear the terminal, or break the table's lines.
    public static func render(_ rows: [[String]], rightAligned: Set<Int> = []) -> String {
        let rows = rows.map { $0.map(visible) }
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        var out = ""
        for (index, row) in rows.enumerated() {
            let cells = (0..<columns).map { i -> String in
                let cell = i < row.count ? row[i] : ""
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return rightAligned.contains(i) ? pad + cell : cell + pad
            }
            out += cells.joined(separator: "  ").trimmingTrailingSpaces + "\n"
            if index == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        return out
    }

    /// `text` with every control character (C0, DEL, C1: escape sequences, bells, carriage
    /// returns, line breaks) and every bidirectional override or isolate (U+202A–U+202E,
    /// U+2066–U+2069, which reorder what a terminal shows) written out as `\u{…}`: what a
    /// terminal prints is then exactly the text, visible.
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}

private extension String {
    var trimmingTrailingSpaces: String { String(reversed().drop { $0 == " " }.reversed()) }
}
