import Foundation
import Statistics

/// A seeded generator for fuzz and property tests (SplitMix64, from `Statistics`), which prints
/// its seed so that a failure can be replayed exactly.
public struct SeededRandom: RandomNumberGenerator {
    private var generator: SplitMix64
    /// The seed this generator started from.
    public let seed: UInt64

    public init(seed: UInt64) {
        self.seed = seed
        generator = SplitMix64(seed: seed)
    }

    /// A generator for the test `name`: seeded from `CANVASS_TEST_SEED` when set (to replay a
    /// failure), else from `defaultSeed`. Prints the seed, so every failure log carries it.
    public static func forTest(_ name: String, defaultSeed: UInt64) -> SeededRandom {
        let environment = ProcessInfo.processInfo.environment["CANVASS_TEST_SEED"].flatMap { UInt64($0) }
        let seed = environment ?? defaultSeed
        print("\(name): seed \(seed) (replay with CANVASS_TEST_SEED=\(seed))")
        return SeededRandom(seed: seed)
    }

    public mutating func next() -> UInt64 { generator.next() }
}
