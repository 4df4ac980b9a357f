extension HTTPEventLoop {
    /// Records one request in the access log: straight into this turn's block of lines when the
    /// configuration takes blocks, else as a line for `log`.
    func logAccess(_ remoteAddress: String, _ summary: HTTPRequestSummary, status: Int, bytes: Int, seconds: Double) {
        let target = configuration.redact(summary.target)
        if configuration.accessLog != nil {
            Self.appendAccessLine(to: &accessLines, remoteAddress: remoteAddress, method: summary.method, target: target,
                                  version: summary.version, status: status, bytes: bytes, seconds: seconds)
        } else {
            var line: [UInt8] = []
            Self.appendAccessLine(to: &line, remoteAddress: remoteAddress, method: summary.method, target: target,
                                  version: summary.version, status: status, bytes: bytes, seconds: seconds)
            configuration.log(String(decoding: line.dropLast(), as: UTF8.self))
        }
    }

    /// Hands this turn's access-log lines to the configuration's `accessLog`.
    func handOffAccessLog() {
        guard !accessLines.isEmpty, let accessLog = configuration.accessLog else { return }
        accessLog(accessLines)
        accessLines.removeAll(keepingCapacity: true)
    }

    /// Appends `address "METHOD target version" status bytes 1.2ms` and a newline: the duration in
    /// milliseconds to a tenth, rounded.
    static func appendAccessLine(to line: inout [UInt8], remoteAddress: String, method: String, target: String, version: String,
                                 status: Int, bytes: Int, seconds: Double) {
        line.append(contentsOf: remoteAddress.utf8)
        line.append(contentsOf: " \"".utf8)
        line.append(contentsOf: method.utf8)
        line.append(UInt8(ascii: " "))
        line.append(contentsOf: target.utf8)
        line.append(UInt8(ascii: " "))
        line.append(contentsOf: version.utf8)
        line.append(contentsOf: "\" ".utf8)
        ASCIIDecimal.append(status, to: &line)
        line.append(UInt8(ascii: " "))
        ASCIIDecimal.append(bytes, to: &line)
        line.append(UInt8(ascii: " "))
        let tenths = Int((seconds * 10_000).rounded())
        ASCIIDecimal.append(tenths / 10, to: &line)
        line.append(UInt8(ascii: "."))
        ASCIIDecimal.append(tenths % 10, to: &line)
        line.append(contentsOf: "ms\n".utf8)
    }
}
