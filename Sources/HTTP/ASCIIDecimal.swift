/// Integers written as ASCII decimal digits straight into a byte buffer, for the response head
/// and the access log (no `String` per number on the request path).
enum ASCIIDecimal {
    /// Appends `value` in decimal digits (a minus sign first when negative).
    static func append(_ value: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var divisor: UInt = 1
        while magnitude / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude / divisor % 10))
            divisor /= 10
        }
    }
}
