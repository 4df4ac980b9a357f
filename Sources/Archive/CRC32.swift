/// CRC-32 as zip and gzip use it (ISO 3309; reflected polynomial 0xEDB88320, initial and final
/// value 0xFFFFFFFF), table-driven. Reference: RFC 1952 section 8.
public struct CRC32: Sendable {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    public private(set) var value: UInt32 = 0

    public init() {}

    /// Folds `bytes` into the running checksum.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        var c = ~value
        let table = Self.table
        for byte in bytes { c = table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        value = ~c
    }

    /// The CRC-32 of `bytes`.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }
}
