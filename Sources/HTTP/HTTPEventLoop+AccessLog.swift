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
        appendDecimal(status, to: &line)
        line.append(UInt8(ascii: " "))
        appendDecimal(bytes, to: &line)
        line.append(UInt8(ascii: " "))
        let tenths = Int((seconds * 10_000).rounded())
        appendDecimal(tenths / 10, to: &line)
        line.append(UInt8(ascii: "."))
        appendDecimal(tenths % 10, to: &line)
        line.append(contentsOf: "ms\n".utf8)
    }

    /// Appends `value` in decimal digits (a minus sign first when negative).
    static func appendDecimal(_ value: Int, to line: inout [UInt8]) {
        if value < 0 { line.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            line.append(contentsOf: buffer[(20 - count)...])
        }
    }
}
