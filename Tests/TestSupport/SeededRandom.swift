import Foundation

/// SplitMix64 (Steele, Lea and Flood 2014): a small, fast generator whose whole state is its seed,
/// so a fuzz or property test that prints its seed can be replayed exactly.
public struct SeededRandom: RandomNumberGenerator {
    public private(set) var state: UInt64
    /// The seed this generator started from.
    public let seed: UInt64

    public init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    /// A generator for the test `name`: seeded from `CANVASS_TEST_SEED` when set (to replay a
    /// failure), else from `defaultSeed`. Prints the seed, so every failure log carries it.
    public static func forTest(_ name: String, defaultSeed: UInt64) -> SeededRandom {
        let environment = ProcessInfo.processInfo.environment["CANVASS_TEST_SEED"].flatMap { UInt64($0) }
        let seed = environment ?? defaultSeed
        print("\(name): seed \(seed) (replay with CANVASS_TEST_SEED=\(seed))")
        return SeededRandom(seed: seed)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
