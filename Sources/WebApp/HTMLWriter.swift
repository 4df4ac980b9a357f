/// Builds a page as UTF-8 bytes in one growing buffer: markup goes in as written, text is escaped
/// on the way in (`&`, `<`, `>`, `"` and `'`, so it is safe in element content and quoted
/// attributes). No intermediate strings, so a page costs one buffer.
struct HTMLWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    /// Appends trusted markup.
    mutating func raw(_ markup: StaticString) {
        markup.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends trusted markup built at run time (element ids, class names): never user text.
    mutating func raw(_ markup: String) {
        var markup = markup
        markup.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Appends `value` escaped.
    mutating func text(_ value: String) {
        var value = value
        value.withUTF8 { source in
            var start = 0
            var index = 0
            while index < source.count {
                let byte = source[index]
                index += 1
                // Letters and most punctuation are above '>' (62): one comparison for them.
                guard byte <= 62 else { continue }
                let entity: StaticString
                switch byte {
                case 38: entity = "&amp;"
                case 60: entity = "&lt;"
                case 62: entity = "&gt;"
                case 34: entity = "&quot;"
                case 39: entity = "&#39;"
                default: continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[start..<(index - 1)]))
                raw(entity)
                start = index
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[start...]))
        }
    }

    /// The page as a string (for callers that still compose strings).
    var string: String { String(decoding: bytes, as: UTF8.self) }
}
