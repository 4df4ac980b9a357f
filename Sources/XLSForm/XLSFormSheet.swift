/// One sheet of an XLSForm as rows of cells, the first row naming the columns. Both routes (the
/// `.xlsx` workbook and the sheets saved as CSV) come to this.
public struct XLSFormSheet: Sendable {
    public var name: String
    public var header: [String]
    /// The rows after the header, each with its line number in the sheet.
    public var rows: [(line: Int, cells: [String])]

    public init(name: String, rows: [[String]]) {
        self.name = name
        header = (rows.first ?? []).map { $0.trimmingCharacters(in: .whitespaces) }
        self.rows = rows.enumerated().dropFirst().map { ($0.offset + 1, $0.element) }
            .filter { !$0.1.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
    }

    /// The cell of `column` in `cells`, trimmed ("" when the column or the cell is missing).
    public func value(_ cells: [String], _ column: String) -> String {
        guard let index = header.firstIndex(where: { $0.caseInsensitiveCompare(column) == .orderedSame }), index < cells.count else { return "" }
        return cells[index].trimmingCharacters(in: .whitespaces)
    }

    /// The translated columns of `base` (`label`, `label::English (en)`, …): language code → column name.
    public func translations(of base: String, defaultLanguage: String) -> [(language: String, column: String)] {
        header.compactMap { column in
            if column.caseInsensitiveCompare(base) == .orderedSame { return (defaultLanguage, column) }
            let prefix = base + "::"
            guard column.lowercased().hasPrefix(prefix.lowercased()) else { return nil }
            return (XLSFormConverter.languageCode(String(column.dropFirst(prefix.count))), column)
        }
    }
}

import Foundation
