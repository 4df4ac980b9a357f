import Foundation

/// Piping: `${question_id}` inside a label is replaced by the respondent's earlier answer.
public enum Piping {
    /// The question ids referred to by `${…}` in `text`.
    public static func references(in text: String) -> [String] {
        guard text.utf8.contains(UInt8(ascii: "$")) else { return [] }
        var ids: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
            ids.append(String(rest[start.upperBound..<end]))
            rest = rest[rest.index(after: end)...]
        }
        return ids
    }

    /// `text` with each `${id}` replaced by `value(id)`.
    public static func substitute(_ text: String, _ value: (String) -> String) -> String {
        var scanned = text
        guard scanned.withUTF8({ $0.contains(UInt8(ascii: "$")) }) else { return text }
        var out = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
            out += rest[..<start.lowerBound]
            out += value(String(rest[start.upperBound..<end]))
            rest = rest[rest.index(after: end)...]
        }
        return out + rest
    }
}
