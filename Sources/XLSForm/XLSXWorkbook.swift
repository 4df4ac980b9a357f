import Archive
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The sheets of an Excel workbook (`.xlsx`: a zip of SpreadsheetML, ECMA-376 part 1 §18), read
/// as rows of text. Row numbers are kept (missing rows become empty rows), so that errors name the
/// line Excel shows. Shared strings, inline strings, booleans and numbers are read as their text;
/// formulas give their cached value.
public struct XLSXWorkbook: Sendable {
    /// Sheet names in workbook order, and their rows.
    public let sheets: [(name: String, rows: [[String]])]

    /// Reads the workbook in `bytes`. Throws ``XLSFormError`` naming the part that is wrong.
    public init(bytes: [UInt8]) throws(XLSFormError) {
        let archive: ZipArchive
        do { archive = try ZipArchive(bytes: bytes, entryLimit: 64 << 20) } catch {
            throw XLSFormError(sheet: "workbook", line: 0, message: "\(error) (is it an .xlsx file? older .xls files must be saved as .xlsx)")
        }
        func part(_ name: String) throws(XLSFormError) -> [UInt8]? {
            guard archive.entry(name) != nil else { return nil }
            do { return try archive.contents(of: name) } catch {
                throw XLSFormError(sheet: "workbook", line: 0, message: "\(error)")
            }
        }
        guard let workbook = try part("xl/workbook.xml") else {
            throw XLSFormError(sheet: "workbook", line: 0, message: "the file has no xl/workbook.xml: it is a zip archive but not an Excel workbook")
        }
        var relations: [String: String] = [:]
        if let xml = try part("xl/_rels/workbook.xml.rels") { relations = try Self.relations(xml) }
        var strings: [String] = []
        if let xml = try part("xl/sharedStrings.xml") { strings = try Self.sharedStrings(xml) }
        var sheets: [(String, [[String]])] = []
        for (name, relation) in try Self.sheetList(workbook) {
            guard let target = relations[relation] else {
                throw XLSFormError(sheet: name, line: 0, message: "the workbook names sheet '\(name)' but not where it is stored")
            }
            let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            guard let data = try part(path) else {
                throw XLSFormError(sheet: name, line: 0, message: "the workbook's part \(path) for sheet '\(name)' is missing")
            }
            sheets.append((name, try Self.rows(data, sheet: name, strings: strings)))
        }
        self.sheets = sheets
    }

    /// The sheet called `name` (any case), if there is one.
    public func sheet(_ name: String) -> XLSFormSheet? {
        sheets.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map { XLSFormSheet(name: name, rows: $0.rows) }
    }

    /// `<sheet name="…" r:id="…"/>` in workbook order.
    static func sheetList(_ xml: [UInt8]) throws(XLSFormError) -> [(String, String)] {
        let events = try XMLEvents.parse(xml, part: "xl/workbook.xml")
        return events.compactMap { event in
            guard case .start("sheet", let attributes) = event, let name = attributes["name"] else { return nil }
            let id = attributes.first { $0.key == "id" || $0.key.hasSuffix(":id") }?.value ?? ""
            return (name, id)
        }
    }

    /// Relationship id → target path.
    static func relations(_ xml: [UInt8]) throws(XLSFormError) -> [String: String] {
        var map: [String: String] = [:]
        for case .start("Relationship", let attributes) in try XMLEvents.parse(xml, part: "xl/_rels/workbook.xml.rels") {
            if let id = attributes["Id"], let target = attributes["Target"] { map[id] = target }
        }
        return map
    }

    /// The shared string table: each `<si>`'s text runs joined, phonetic runs (`<rPh>`) left out.
    static func sharedStrings(_ xml: [UInt8]) throws(XLSFormError) -> [String] {
        var strings: [String] = []
        var current = "", inText = false, phonetic = 0
        for event in try XMLEvents.parse(xml, part: "xl/sharedStrings.xml") {
            switch event {
            case .start("si", _): current = ""
            case .end("si"): strings.append(current)
            case .start("rPh", _): phonetic += 1
            case .end("rPh"): phonetic -= 1
            case .start("t", _): inText = phonetic == 0
            case .end("t"): inText = false
            case .text(let text) where inText: current += text
            default: break
            }
        }
        return strings
    }

    /// The cells of one worksheet as rows of text, row `n` at index `n - 1`.
    static func rows(_ xml: [UInt8], sheet: String, strings: [String]) throws(XLSFormError) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var rowNumber = 0
        var cellType = "", cellColumn = 0, value = "", inValue = false
        for event in try XMLEvents.parse(xml, part: sheet + " sheet") {
            switch event {
            case .start("row", let attributes):
                rowNumber = attributes["r"].flatMap { Int($0) } ?? rowNumber + 1
                guard rowNumber > rows.count, rowNumber <= 1_048_576 else {
                    throw XLSFormError(sheet: sheet, line: rowNumber, message: "row numbers are out of order or out of range")
                }
                row = []
                cellColumn = 0
            case .end("row"):
                while rows.count < rowNumber - 1 { rows.append([]) }
                rows.append(row)
            case .start("c", let attributes):
                cellType = attributes["t"] ?? "n"
                if let reference = attributes["r"] {
                    guard let column = columnIndex(reference), column <= 16_384 else {
                        throw XLSFormError(sheet: sheet, line: rowNumber, message: "cell reference '\(reference)' is not valid")
                    }
                    cellColumn = column
                } else {
                    cellColumn += 1
                }
                value = ""
            case .end("c"):
                let text: String
                switch cellType {
                case "s":
                    guard let index = Int(value.trimmingCharacters(in: .whitespaces)), strings.indices.contains(index) else {
                        throw XLSFormError(sheet: sheet, line: rowNumber, message: "a cell refers to shared string '\(value)', which the workbook does not have")
                    }
                    text = strings[index]
                case "b": text = value == "1" ? "TRUE" : "FALSE"
                default: text = value
                }
                while row.count < cellColumn - 1 { row.append("") }
                if row.count == cellColumn - 1 { row.append(text) } else if cellColumn >= 1 { row[cellColumn - 1] = text }
            case .start("v", _), .start("t", _): inValue = true
            case .end("v"), .end("t"): inValue = false
            case .text(let text) where inValue: value += text
            default: break
            }
        }
        return rows
    }

    /// "C12" → 3 (1-based column of a cell reference).
    static func columnIndex(_ reference: String) -> Int? {
        var column = 0
        for scalar in reference.unicodeScalars {
            switch scalar {
            case "A"..."Z": column = column * 26 + Int(scalar.value - 64)
            case "a"..."z": column = column * 26 + Int(scalar.value - 96)
            case "0"..."9": return column > 0 ? column : nil
            default: return nil
            }
            if column > 16_384 { return nil }
        }
        return nil
    }
}

/// The start, end and text events of one XML part, collected by Foundation's `XMLParser`
/// (external entities are never resolved).
enum XMLEvents: Equatable {
    case start(String, [String: String])
    case end(String)
    case text(String)

    static func parse(_ xml: [UInt8], part: String) throws(XLSFormError) -> [XMLEvents] {
        let collector = Collector()
        let parser = XMLParser(data: Data(xml))
        parser.shouldResolveExternalEntities = false
        parser.delegate = collector
        guard parser.parse() else {
            let reason = parser.parserError.map { "\($0.localizedDescription)" } ?? "not well-formed XML"
            throw XLSFormError(sheet: part, line: 0, message: "the workbook's XML is damaged at line \(parser.lineNumber), column \(parser.columnNumber) (\(reason))")
        }
        return collector.events
    }

    /// `XMLParser`'s delegate must be a class; it only appends.
    final class Collector: NSObject, XMLParserDelegate {
        var events: [XMLEvents] = []

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            events.append(.start(Self.local(elementName), attributes))
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            events.append(.end(Self.local(elementName)))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { events.append(.text(string)) }

        /// "x:row" → "row": some writers prefix SpreadsheetML's elements.
        static func local(_ name: String) -> String {
            name.firstIndex(of: ":").map { String(name[name.index(after: $0)...]) } ?? name
        }
    }
}
