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

/// Remembers that SIGINT (Ctrl-C) or SIGTERM arrived, instead of letting it kill the process, so
/// an interview can stop cleanly and say how to resume, and a server can shut down gracefully.
/// The dispatch sources are only touched in `install`, hence the unchecked conformance.
public final class InterruptFlag: @unchecked Sendable {
    private let state = Mutex(false)
    private let signalled = DispatchSemaphore(value: 0)
    private var sources: [DispatchSourceSignal] = []

    public init() {}

    public var isSet: Bool { state.withLock { $0 } }

    /// Routes SIGINT and SIGTERM to this flag. Call once, before any other thread starts.
    public func install() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                let first = self.state.withLock { wasSet in
                    defer { wasSet = true }
                    return !wasSet
                }
                if first { self.signalled.signal() }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Blocks until SIGINT or SIGTERM arrives.
    public func wait() { signalled.wait() }
}

/// Reads lines from standard input, returning nil at end of input or once Ctrl-C was pressed.
public struct StandardInput: LineSource {
    private let interrupt: InterruptFlag
    private var buffer: [UInt8] = []
    private var ended = false

    public init(interrupt: InterruptFlag) { self.interrupt = interrupt }

    public mutating func readLine() -> String? {
        while true {
            // A "line" longer than 64 KiB (a pasted file, binary input) is cut there rather than
            // buffered without bound; validation then refuses it like any other bad answer.
            if buffer.count > 65_536 && buffer.firstIndex(of: 0x0A) == nil {
                defer { buffer.removeFirst(65_536) }
                return String(decoding: buffer.prefix(65_536), as: UTF8.self)
            }
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
