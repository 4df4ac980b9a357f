import Foundation
import XCTest
@testable import HTTP

final class BlockLogTests: XCTestCase {
    /// Lines are stamped with the injected clock's time and written in blocks, on flush.
    func testLinesAreStampedAndWrittenOnFlush() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("log-\(UUID()).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        let log = BlockLog(descriptor: handle.fileDescriptor, keeping: handle, clock: { 1_000.5 }, timestamp: { "T\(Int($0))" })
        log.write("one")
        log.writeLines(Array("two\nthree".utf8))
        log.flush()
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "T1000 one\nT1000 two\nT1000 three\n")
    }
}
