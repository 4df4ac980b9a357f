/// Turns a request target's path into a clean absolute path: percent-decoded per segment, `.` and
/// `..` segments removed (RFC 3986 §5.2.4), repeated slashes collapsed. Paths that climb above the
/// root, encode a slash or NUL, or are not UTF-8 are refused.
public enum PathNormalizer {
    public static func normalize(_ rawPath: String) -> String? {
        guard rawPath.hasPrefix("/") else { return nil }
        var segments: [String] = []
        for raw in rawPath.split(separator: "/", omittingEmptySubsequences: true) {
            let bytes = Array(raw.utf8)
            guard let segment = FormDecoder.percentDecode(bytes) else { return nil }
            if segment.contains("/") || segment.contains("\0") || segment.contains("\\") { return nil }
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
}
