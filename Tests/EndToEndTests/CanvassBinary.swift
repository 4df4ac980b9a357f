import Foundation
import XCTest

/// Runs the built `canvass` executable, as a user would, and captures what it prints.
struct CanvassBinary {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The package root, found from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `canvass` binary next to the test bundle (SwiftPM builds it because the tests depend on it).
    static var executable: URL {
        let candidates = [Bundle.main.executableURL?.deletingLastPathComponent(),
                          URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
                          Bundle(for: Marker.self).bundleURL.deletingLastPathComponent()]
        for directory in candidates.compactMap({ $0 }) {
            let url = directory.appendingPathComponent("canvass")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return packageRoot.appendingPathComponent(".build/debug/canvass")
    }

    private final class Marker {}

    static func questionnaire(_ name: String) -> String {
        packageRoot.appendingPathComponent("Questionnaires/\(name).json").path
    }

    @discardableResult
    static func run(_ arguments: [String], input: String = "", directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }
}

/// A `canvass` process the test talks to while it runs (a server, an interview at its prompt).
final class RunningCanvass {
    let process = Process()
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()

    init(_ arguments: [String]) throws {
        process.executableURL = CanvassBinary.executable
        process.arguments = arguments
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
    }

    /// Standard output read until it contains `marker` (or 20 s pass, or it ends).
    func readOutput(until marker: String) -> String {
        var text = ""
        let deadline = Date().addingTimeInterval(20)
        while !text.contains(marker) && Date() < deadline {
            let data = stdout.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        return text
    }

    /// Sends `text` and closes standard input.
    func finishInput(_ text: String) throws {
        stdin.fileHandleForWriting.write(Data(text.utf8))
        try stdin.fileHandleForWriting.close()
    }

    /// Everything on standard error once the process has ended, and its status.
    func waitForExit() -> (status: Int32, stderr: String) {
        let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, errors)
    }
}
