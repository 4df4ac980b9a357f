import CSystem

/// Unguessable tokens for invitation links and secrets.
public enum RandomToken {
    /// `bytes` random bytes from `generator`, as lowercase hex (16 bytes = 128 bits), eight
    /// bytes from each of its numbers.
    public static func hex<Generator: RandomNumberGenerator>(bytes: Int = 16, using generator: inout Generator) -> String {
        var random: [UInt8] = []
        random.reserveCapacity(bytes + 7)
        while random.count < bytes {
            let number = generator.next()
            for shift in stride(from: 0, to: 64, by: 8) { random.append(UInt8(truncatingIfNeeded: number >> UInt64(shift))) }
        }
        return Hex.encode(Array(random.prefix(bytes)))
    }

    /// `bytes` random bytes from the kernel's generator (`getrandom(2)`, one call for the lot;
    /// a byte at a time it was a system call per byte), as lowercase hex.
    public static func hex(bytes: Int = 16) -> String {
        var random = [UInt8](repeating: 0, count: bytes)
        if random.withUnsafeMutableBytes({ canvass_random_bytes($0.baseAddress, UInt($0.count)) }) == 0 { return Hex.encode(random) }
        var generator = SystemRandomNumberGenerator()
        return hex(bytes: bytes, using: &generator)
    }
}
