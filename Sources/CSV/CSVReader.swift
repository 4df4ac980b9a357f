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
    /// Where more bytes come from when the text is read in chunks (nil once it has ended).
    private var source: (() throws(CSVError) -> [UInt8]?)?
    /// The line the next record starts on.
    public private(set) var line = 1

    public init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    /// Reads the text in chunks from `source` (nil at the end): memory holds a chunk and the
    /// record being read, however long the text.
    public init(chunks source: @escaping () throws(CSVError) -> [UInt8]?) throws(CSVError) {
        bytes = []
        self.source = source
        while bytes.count < 3, let chunk = try source() { bytes += chunk }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    /// Reads the file at `path` in chunks of `chunkSize` bytes.
    public init(path: String, chunkSize: Int = 1 << 20) throws(CSVError) {
        let file = try CSVFile(path: path)
        try self.init(chunks: { () throws(CSVError) -> [UInt8]? in try file.read(chunkSize) })
    }

    /// With a chunked source, reads until the buffer holds the whole of the next record (up to a
    /// line end outside quotes), dropping the records already read.
    private mutating func fillRecord() throws(CSVError) {
        guard source != nil else { return }
        var scan = index
        var quoted = false
        while true {
            while scan < bytes.count {
                let byte = bytes[scan]
                if byte == UInt8(ascii: "\"") { quoted.toggle() } else if byte == 0x0A && !quoted { return }
                scan += 1
            }
            guard let chunk = try source?() else {
                source = nil
                return
            }
            if index > 0 {
                bytes.removeFirst(index)
                scan -= index
                index = 0
            }
            bytes += chunk
        }
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
        try fillRecord()
        while index < bytes.count, bytes[index] == 0x0A || bytes[index] == 0x0D {
            if bytes[index] == 0x0A { line += 1 }
            index += 1
            if index == bytes.count { try fillRecord() }
        }
        try fillRecord()
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
