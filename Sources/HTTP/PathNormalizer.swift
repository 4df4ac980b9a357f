/// Turns a request target's path into a clean absolute path: percent-decoded per segment, `.` and
/// `..` segments removed (RFC 3986 §5.2.4), repeated slashes collapsed. Paths that climb above the
/// root, encode a slash or NUL, or are not UTF-8 are refused.
public enum PathNormalizer {
    public static func normalize(_ rawPath: String) -> String? {
        guard rawPath.utf8.first == UInt8(ascii: "/") else { return nil }
        if isAlreadyClean(rawPath) { return rawPath }
        var segments: [String] = []
        for raw in rawPath.split(separator: "/", omittingEmptySubsequences: true) {
            let bytes = Array(raw.utf8)
            guard let segment = FormDecoder.percentDecode(bytes) else { return nil }
            if segment.utf8.contains(where: { $0 == UInt8(ascii: "/") || $0 == 0 || $0 == UInt8(ascii: "\\") }) { return nil }
            switch segment {
            case ".": continue
            case "..":
                guard !segments.isEmpty else { return nil }
                segments.removeLast()
            default: segments.append(segment)
            }
        }
        let trailing = rawPath.hasSuffix("/") && !segments.isEmpty ? "/" : ""
        return "/" + segments.joined(separator: "/") + trailing
    }

    /// True for paths with no escapes, no dot segments and no empty segments: nothing to change.
    private static func isAlreadyClean(_ path: String) -> Bool {
        var path = path
        return path.withUTF8 { bytes in
            var previous: UInt8 = 0
            var segmentStart = true
            for byte in bytes {
                if byte == UInt8(ascii: "%") || byte == UInt8(ascii: "\\") { return false }
                if byte == UInt8(ascii: "/") && previous == UInt8(ascii: "/") { return false }
                if byte == UInt8(ascii: ".") && segmentStart { return false }
                segmentStart = byte == UInt8(ascii: "/")
                previous = byte
            }
            return true
        }
    }
}
