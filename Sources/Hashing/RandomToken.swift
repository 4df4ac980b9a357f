/// Unguessable tokens for invitation links and secrets.
public enum RandomToken {
    /// `bytes` random bytes from the system generator, as lowercase hex (16 bytes = 128 bits).
    public static func hex<Generator: RandomNumberGenerator>(bytes: Int = 16, using generator: inout Generator) -> String {
        Hex.encode((0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// `bytes` random bytes from `SystemRandomNumberGenerator`, as lowercase hex.
    public static func hex(bytes: Int = 16) -> String {
        var generator = SystemRandomNumberGenerator()
        return hex(bytes: bytes, using: &generator)
    }
}
