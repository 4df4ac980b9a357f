/// Fixed-width plain-text tables for terminals (no colour, so screen readers and logs read them as they are).
public enum TextTable {
    /// `rows[0]` is the header; columns in `rightAligned` are aligned right (numbers).
    public static func render(_ rows: [[String]], rightAligned: Set<Int> = []) -> String {
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
}

private extension String {
    var trimmingTrailingSpaces: String { String(reversed().drop { $0 == " " }.reversed()) }
}
