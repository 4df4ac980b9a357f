/// Where a terminal interview reads lines from. `nil` means the input ended (Ctrl-D) or was
/// interrupted (Ctrl-C): the interview stops and keeps what was saved.
public protocol LineSource {
    mutating func readLine() -> String?
}

/// Where a terminal interview writes its screens.
public protocol TextSink {
    func write(_ text: String)
}

/// Lines from an array, for tests and scripted runs.
public struct ScriptedLines: LineSource {
    private var lines: [String]

    public init(_ lines: [String]) { self.lines = lines }

    public mutating func readLine() -> String? { lines.isEmpty ? nil : lines.removeFirst() }
}
