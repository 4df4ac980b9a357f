import XCTest
@testable import WebApp

/// The limiter limits each address, and forgets addresses idle for a minute (their buckets are
/// full again), so a public poll seen by many addresses does not grow the server's memory.
final class RateLimiterTests: XCTestCase {
    func testEachAddressIsLimitedAndIdleAddressesAreForgotten() {
        let limiter = RateLimiter(perMinute: 3)
        XCTAssertEqual((0..<4).map { _ in limiter.allow("10.0.0.1", now: 0) }, [true, true, true, false])
        XCTAssertTrue(limiter.allow("10.0.0.1", now: 20), "a token is back after 20 s")
        for i in 0..<2000 { _ = limiter.allow("10.1.\(i / 256).\(i % 256)", now: 30 + Double(i) * 0.001) }
        XCTAssertGreaterThan(limiter.tracked, 1000, "addresses seen in the last minute are kept")
        // A minute later, a new address's event sweeps the idle ones away.
        for i in 0..<1024 { _ = limiter.allow("10.2.\(i / 256).\(i % 256)", now: 200) }
        XCTAssertLessThanOrEqual(limiter.tracked, 1024, "only the last minute's addresses are tracked")
        XCTAssertTrue(limiter.allow("10.0.0.1", now: 200), "a forgotten address starts with a full bucket")
    }
}
