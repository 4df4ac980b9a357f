/// Where a CSV text stopped making sense. Lines count from 1.
public struct CSVError: Error, Equatable, Sendable {
    public var line: Int
    public var message: String
}

extension String {
    /// The string without leading and trailing spaces and tabs (ASCII only; fast, for CSV cells).
    public var trimmingBlanks: String {
        let utf8 = self.utf8
        guard let first = utf8.first, let last = utf8.last, first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 else { return self }
        return String(Substring(self).drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

/// RFC 4180 CSV: comma-separated fields, double-quoted fields may hold commas, quotes (doubled)
/// and line breaks; CRLF or LF line ends; a UTF-8 byte order mark is ignored.
public struct CSVReader {
    private var bytes: [UInt8]
    private var index = 0
    /// The line the next record starts on.
    public private(set) var line = 1

    public init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    /// Every record of `text`.
    public static func parse(_ text: String) throws(CSVError) -> [[String]] {
        var reader = CSVReader(bytes: Array(text.utf8))
        var records: [[String]] = []
        while let record = try reader.next() { records.append(record) }
        return records
    }

    /// The next record, or nil at the end. Blank lines are skipped.
    public mutating func next() throws(CSVError) -> [String]? {
        while index < bytes.count, bytes[index] == 0x0A || bytes[index] == 0x0D {
            if bytes[index] == 0x0A { line += 1 }
            index += 1
        }
        guard index < bytes.count else { return nil }
        var fields: [String] = []
        while true {
            fields.append(try field())
            guard index < bytes.count else { return fields }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case 0x0D:
                index += 1
                if index < bytes.count, bytes[index] == 0x0A { index += 1 }
                line += 1
                return fields
            case 0x0A:
                index += 1
                line += 1
                return fields
            default:
                throw CSVError(line: line, message: "unexpected character after a quoted field")
            }
        }
    }

    private mutating func field() throws(CSVError) -> String {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: ","), bytes[index] != 0x0A, bytes[index] != 0x0D {
                if bytes[index] == UInt8(ascii: "\"") { throw CSVError(line: line, message: "a quote inside an unquoted field; quote the whole field and double the quote") }
                index += 1
            }
            return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<index]), as: UTF8.self) }
        }
        let startLine = line
        index += 1
        var value: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\"") {
                if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                    value.append(byte)
                    index += 1
                } else {
                    return String(decoding: value, as: UTF8.self)
                }
            } else {
                if byte == 0x0A { line += 1 }
                value.append(byte)
            }
        }
        throw CSVError(line: startLine, message: "a quoted field is not closed")
    }
}
