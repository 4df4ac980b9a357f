/// A zip archive read from memory: its central directory, and each entry's contents on demand.
///
/// Follows PKWARE's APPNOTE (sections 4.3.7 local file header, 4.3.12 central directory header,
/// 4.3.16 end of central directory record). Stored (method 0) and deflated (method 8) entries are
/// read; encrypted entries, zip64 and other methods are refused by name. Sizes are taken from the
/// central directory, every offset is bounds-checked, and each entry's CRC-32 is verified.
public struct ZipArchive: Sendable {
    /// One file in the archive, as the central directory describes it.
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var method: UInt16
        public var flags: UInt16
        public var crc: UInt32
        public var compressedSize: Int
        public var size: Int
        public var localHeaderOffset: Int
    }

    public let entries: [Entry]
    private let bytes: [UInt8]
    /// The most any one entry may expand to.
    public let entryLimit: Int

    /// Reads the directory of the archive in `bytes`. Throws if it is not a zip archive.
    public init(bytes: [UInt8], entryLimit: Int = 256 << 20) throws(ArchiveError) {
        self.bytes = bytes
        self.entryLimit = entryLimit
        let end = try Self.endOfDirectory(bytes)
        let count = Int(Self.u16(bytes, end + 10))
        let directorySize = Int(Self.u32(bytes, end + 12))
        let directoryOffset = Int(Self.u32(bytes, end + 16))
        if count == 0xFFFF || directoryOffset == 0xFFFF_FFFF {
            throw .unsupported(entry: "archive", "zip64 archives are not supported; save the workbook again as a normal .xlsx")
        }
        guard directoryOffset + directorySize <= end else { throw .notAnArchive("the central directory lies outside the file") }
        var entries: [Entry] = []
        var at = directoryOffset
        for index in 0..<count {
            guard at + 46 <= end, Self.u32(bytes, at) == 0x0201_4B50 else {
                throw .notAnArchive("central directory entry \(index + 1) of \(count) is damaged")
            }
            let nameLength = Int(Self.u16(bytes, at + 28))
            let extraLength = Int(Self.u16(bytes, at + 30))
            let commentLength = Int(Self.u16(bytes, at + 32))
            guard at + 46 + nameLength <= end else { throw .notAnArchive("central directory entry \(index + 1) runs past the directory") }
            let name = String(decoding: bytes[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            entries.append(Entry(name: name, method: Self.u16(bytes, at + 10), flags: Self.u16(bytes, at + 8),
                                 crc: Self.u32(bytes, at + 16), compressedSize: Int(Self.u32(bytes, at + 20)),
                                 size: Int(Self.u32(bytes, at + 24)), localHeaderOffset: Int(Self.u32(bytes, at + 42))))
            at += 46 + nameLength + extraLength + commentLength
        }
        self.entries = entries
    }

    /// The entry called `name`, if the archive has one.
    public func entry(_ name: String) -> Entry? { entries.first { $0.name == name } }

    /// The contents of the entry called `name`, expanded and checked.
    public func contents(of name: String) throws(ArchiveError) -> [UInt8] {
        guard let entry = entry(name) else { throw .missingEntry(name) }
        return try contents(of: entry)
    }

    /// The contents of `entry`, expanded and checked against its size and CRC-32.
    public func contents(of entry: Entry) throws(ArchiveError) -> [UInt8] {
        if entry.flags & 1 != 0 { throw .unsupported(entry: entry.name, "the entry is encrypted; save the workbook without a password") }
        if entry.size == 0xFFFF_FFFF || entry.compressedSize == 0xFFFF_FFFF {
            throw .unsupported(entry: entry.name, "zip64 entries are not supported")
        }
        guard entry.size <= entryLimit else { throw .tooLarge(limit: entryLimit) }
        let header = entry.localHeaderOffset
        guard header + 30 <= bytes.count, Self.u32(bytes, header) == 0x0403_4B50 else {
            throw .notAnArchive("the local header of \(entry.name) is missing or damaged")
        }
        let start = header + 30 + Int(Self.u16(bytes, header + 26)) + Int(Self.u16(bytes, header + 28))
        guard start + entry.compressedSize <= bytes.count else { throw .notAnArchive("\(entry.name) runs past the end of the file") }
        let data = Array(bytes[start..<(start + entry.compressedSize)])
        let expanded: [UInt8]
        switch entry.method {
        case 0: expanded = data
        case 8: expanded = try Inflater.inflate(data, limit: entry.size)
        default: throw .unsupported(entry: entry.name, "compression method \(entry.method) is not supported (only stored and deflate)")
        }
        guard expanded.count == entry.size else {
            throw .notAnArchive("\(entry.name) expands to \(expanded.count) bytes, but the directory says \(entry.size)")
        }
        guard CRC32.checksum(expanded) == entry.crc else { throw .checksumMismatch(entry: entry.name) }
        return expanded
    }

    /// Where the end of central directory record starts: searched backwards over the longest
    /// possible comment (65,535 bytes).
    static func endOfDirectory(_ bytes: [UInt8]) throws(ArchiveError) -> Int {
        guard bytes.count >= 22 else { throw .notAnArchive("the file is too short (\(bytes.count) bytes)") }
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        var at = bytes.count - 22
        while at >= lowest {
            if u32(bytes, at) == 0x0605_4B50 { return at }
            at -= 1
        }
        throw .notAnArchive("no end of central directory record was found")
    }

    static func u16(_ bytes: [UInt8], _ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }

    static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }
}
