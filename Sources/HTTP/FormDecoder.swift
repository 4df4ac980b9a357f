/// Decodes `application/x-www-form-urlencoded` data and percent-encoding.
public enum FormDecoder {
    /// Name/value pairs in order; `+` is a space; malformed escapes are kept literally.
    public static func pairs(_ bytes: [UInt8]) -> [(name: String, value: String)] {
        bytes.withUnsafeBufferPointer { all in
            var result: [(name: String, value: String)] = []
            var start = 0
            while start <= all.count {
                var end = start
                while end < all.count && all[end] != UInt8(ascii: "&") { end += 1 }
                if end > start {
                    let part = UnsafeBufferPointer(rebasing: all[start..<end])
                    if let equals = part.firstIndex(of: UInt8(ascii: "=")) {
                        result.append((formText(UnsafeBufferPointer(rebasing: part[..<equals])), formText(UnsafeBufferPointer(rebasing: part[(equals + 1)...]))))
                    } else {
                        result.append((formText(part), ""))
                    }
                }
                start = end + 1
            }
            return result
        }
    }

    /// One name or value: most need no decoding, and become a string straight from the bytes.
    private static func formText(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard bytes.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
            return String(validating: bytes, as: UTF8.self) ?? ""
        }
        return percentDecode(Array(bytes), plusIsSpace: true) ?? ""
    }

    /// The pairs as a dictionary (first value wins).
    public static func decode(_ bytes: [UInt8]) -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in pairs(bytes) where result[name] == nil { result[name] = value }
        return result
    }

    /// Percent-decodes bytes into UTF-8 text, or nil if the result is not valid UTF-8.
    public static func percentDecode(_ bytes: [UInt8], plusIsSpace: Bool = false) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "%"), i + 2 < bytes.count, let high = hex(bytes[i + 1]), let low = hex(bytes[i + 2]) {
                out.append(high << 4 | low)
                i += 3
            } else {
                out.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                i += 1
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Percent-encodes text for a URL query or path segment (unreserved characters kept).
    public static func percentEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
