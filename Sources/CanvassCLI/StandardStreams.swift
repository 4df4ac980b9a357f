import Foundation
import Synchronization
import Terminal

/// Writes text to a file handle (standard output or error).
public struct FileSink: TextSink {
    private let handle: FileHandle

    public init(_ handle: FileHandle) { self.handle = handle }

    public func write(_ text: String) {
        handle.write(Data(text.utf8))
    }
}

/// Remembers that SIGINT (Ctrl-C) arrived, instead of letting it kill the process, so an
/// interview can stop cleanly and say how to resume. The dispatch source is only touched in
/// `init`, hence the unchecked conformance.
public final class InterruptFlag: @unchecked Sendable {
    private let state = Mutex(false)
    private var source: DispatchSourceSignal?

    public init() {}

    public var isSet: Bool { state.withLock { $0 } }

    /// Routes SIGINT to this flag. Call once, before any other thread starts.
    public func install() {
        signal(SIGINT, SIG_IGN)
        let signalSource = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        signalSource.setEventHandler { [weak self] in self?.state.withLock { $0 = true } }
        signalSource.resume()
        source = signalSource
    }
}

/// Reads lines from standard input, returning nil at end of input or once Ctrl-C was pressed.
public struct StandardInput: LineSource {
    private let interrupt: InterruptFlag
    private var buffer: [UInt8] = []
    private var ended = false

    public init(interrupt: InterruptFlag) { self.interrupt = interrupt }

    public mutating func readLine() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return String(decoding: line.last == 0x0D ? line.dropLast() : line[...], as: UTF8.self)
            }
            if ended || interrupt.isSet {
                guard !buffer.isEmpty, !interrupt.isSet else { return nil }
                defer { buffer.removeAll() }
                return String(decoding: buffer, as: UTF8.self)
            }
            fill()
        }
    }

    private mutating func fill() {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, 200)
        guard ready > 0 else {
            if ready < 0 && errno != EINTR { ended = true }
            return
        }
        var chunk = [UInt8](repeating: 0, count: 4096)
        let count = read(STDIN_FILENO, &chunk, chunk.count)
        if count <= 0 {
            if count < 0 && errno == EINTR { return }
            ended = true
        } else {
            buffer.append(contentsOf: chunk[..<count])
        }
    }
}
