/// Builds a page as UTF-8 bytes in one growing buffer: markup goes in as written, text is escaped
/// on the way in (`&`, `<`, `>`, `"` and `'`, so it is safe in element content and quoted
/// attributes). No intermediate strings, so a page costs one buffer.
public struct HTMLWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    /// Appends trusted markup.
    public mutating func raw(_ markup: StaticString) {
        markup.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends markup assembled at run time from the caller's own literals (a class chosen by
    /// state, the fixed `aria-describedby` ids). Never data: text goes through `text`, ids made
    /// from data through `token`, attribute values through `open`.
    public mutating func raw(_ markup: String) {
        var markup = markup
        markup.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Appends a token built at run time for markup (an element id from a question id, a list of
    /// ids for `aria-describedby`): written as is when it holds only letters, digits, spaces and
    /// `-_:.`, else escaped like text, so it can never open a tag or leave an attribute.
    public mutating func token(_ value: String) {
        var value = value
        let plain = value.withUTF8 { source in
            source.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 32 || $0 == 45 || $0 == 95 || $0 == 58 || $0 == 46 }
        }
        guard plain else { return text(value) }
        value.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// `<tag name="value"…>`, every attribute value escaped.
    public mutating func open(_ tag: StaticString, _ attributes: KeyValuePairs<StaticString, String> = [:]) {
        raw("<")
        raw(tag)
        write(attributes)
        raw(">")
    }

    /// `<tag name="value"…/>`: an element with no content, closed so that SVG written inline
    /// is well-formed XML as well as HTML.
    public mutating func empty(_ tag: StaticString, _ attributes: KeyValuePairs<StaticString, String> = [:]) {
        raw("<")
        raw(tag)
        write(attributes)
        raw("/>")
    }

    private mutating func write(_ attributes: KeyValuePairs<StaticString, String>) {
        for (name, value) in attributes {
            raw(" ")
            raw(name)
            raw("=\"")
            text(value)
            raw("\"")
        }
    }

    /// `</tag>`.
    public mutating func close(_ tag: StaticString) {
        raw("</")
        raw(tag)
        raw(">")
    }

    /// `<tag …>text</tag>`, the text and attribute values escaped.
    public mutating func element(_ tag: StaticString, _ attributes: KeyValuePairs<StaticString, String> = [:], text value: String) {
        open(tag, attributes)
        text(value)
        close(tag)
    }

    /// Appends `value` escaped: `& < > " '` as entities, control characters (other than tab and
    /// line breaks) as U+FFFD.
    public mutating func text(_ value: String) {
        var value = value
        value.withUTF8 { source in
            var start = 0
            var index = 0
            while index < source.count {
                let byte = source[index]
                index += 1
                // Letters and most punctuation are above '>' (62): one comparison for them; DEL
                // (127) and 0xC2 (the lead byte of the C1 controls U+0080–U+009F) are the rest.
                guard byte <= 62 || byte == 0x7F || byte == 0xC2 else { continue }
                let entity: StaticString
                var width = 1
                switch byte {
                case 38: entity = "&amp;"
                case 60: entity = "&lt;"
                case 62: entity = "&gt;"
                case 34: entity = "&quot;"
                case 39: entity = "&#39;"
                // Control characters are not allowed in HTML text: each shows as U+FFFD.
                case 0...8, 11, 12, 14...31, 0x7F: entity = "\u{FFFD}"
                case 0xC2 where index < source.count && (0x80...0x9F).contains(source[index]):
                    entity = "\u{FFFD}"
                    width = 2
                default: continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[start..<(index - 1)]))
                raw(entity)
                index += width - 1
                start = index
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[start...]))
        }
    }

    /// The page as a string .
    public var string: String { String(decoding: bytes, as: UTF8.self) }
}
