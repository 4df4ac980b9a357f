import Foundation
import XCTest
@testable import Reports
import TestSupport

/// The fast fixed-point writer gives exactly the digits `String(format:)` gives, ties, negative
/// zero, huge and tiny values included (seeded random values; replay with the printed seed).
final class FixedPointTests: XCTestCase {
    func testDigitsAreThoseOfStringFormat() {
        let edge: [Double] = [0, -0.0, 0.5, 1.5, 2.5, 0.125, 0.285, 0.045, 99.95, 43.25, -12.345, 1e21, 1e-9, .infinity, -.infinity, .nan, 123456789.987654321,
                              -0.3, -0.0004, 0.999999, 9.9999995, 1e14 + 0.5, 999_999_999_999.5, 0.0000005, 2.675, 1.005]
        var random = SeededRandom.forTest("FixedPointTests", defaultSeed: 0xF1ED)
        let values = edge + (0..<20_000).map { _ in Double.random(in: -1000...1000, using: &random) } + (0..<5_000).map { _ in Double(Int.random(in: 0...100_000, using: &random)) / 1000 }
            + (0..<5_000).map { _ in Double(Int.random(in: -2_000_000...2_000_000, using: &random)) / 2_000_000 }
            + (0..<5_000).map { _ in Double.random(in: 0...1, using: &random) * 100 }
        for value in values {
            for decimals in 0...7 {
                XCTAssertEqual(FixedPoint.string(value, decimals: decimals), String(format: "%.\(decimals)f", value), "\(value) to \(decimals) decimals (seed \(random.seed))")
            }
        }
    }
}
