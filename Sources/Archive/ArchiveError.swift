/// Everything that can be wrong with a zip archive or a deflate stream, with where it was found.
public enum ArchiveError: Error, Equatable, CustomStringConvertible {
    /// The deflate stream is malformed at `offset` (a byte offset into the compressed data).
    case corruptStream(String, offset: Int)
    /// The stream ended before its last block.
    case truncatedStream
    /// Expanding would pass `limit` bytes (a decompression bomb, or a size the archive did not declare).
    case tooLarge(limit: Int)
    /// The file is not a zip archive, or its directory is damaged.
    case notAnArchive(String)
    /// An entry uses what this reader does not handle (encryption, a compression method, zip64).
    case unsupported(entry: String, String)
    /// An entry's checksum does not match its contents.
    case checksumMismatch(entry: String)
    /// The archive has no entry of this name.
    case missingEntry(String)

    public var description: String {
        switch self {
        case .corruptStream(let why, let offset): return "corrupt deflate data at byte \(offset): \(why)"
        case .truncatedStream: return "the deflate data ends before its last block"
        case .tooLarge(let limit): return "the data expands beyond \(limit) bytes"
        case .notAnArchive(let why): return "not a zip archive: \(why)"
        case .unsupported(let entry, let why): return "\(entry): \(why)"
        case .checksumMismatch(let entry): return "\(entry): its CRC-32 does not match its contents (the file is damaged)"
        case .missingEntry(let name): return "the archive has no entry '\(name)'"
        }
    }
}
