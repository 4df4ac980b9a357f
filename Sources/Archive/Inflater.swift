/// A decoder for raw deflate data (RFC 1951), as zip entries hold it.
///
/// Canonical Huffman decoding in the manner of RFC 1951 section 3.2.2: a code is read one bit at
/// a time, most significant bit first, and compared with the first code of each length. Every
/// read is bounds-checked and every table is checked for over-subscription, so hostile input gives
/// an ``ArchiveError``, never a trap; output is capped at `limit` bytes against decompression bombs.
public struct Inflater {
    /// Expands the raw deflate stream `input`. Throws if it is malformed, truncated, or would
    /// expand beyond `limit` bytes.
    public static func inflate(_ input: [UInt8], limit: Int = 256 << 20) throws(ArchiveError) -> [UInt8] {
        var state = State(input: input, limit: limit)
        try state.run()
        return state.output
    }

    /// Canonical Huffman code: how many codes of each length, and the symbols in code order.
    struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int]
        /// 0 when the code is complete, > 0 when incomplete (codes unused).
        var unused = 0

        /// Builds the code from a code length per symbol (0 = unused). Throws if over-subscribed.
        init(lengths: ArraySlice<Int>, offset: Int) throws(ArchiveError) {
            symbols = [Int](repeating: 0, count: lengths.count)
            for length in lengths { counts[length] += 1 }
            var left = 1
            for length in 1...15 {
                left <<= 1
                left -= counts[length]
                if left < 0 { throw .corruptStream("a Huffman code is over-subscribed", offset: offset) }
            }
            unused = counts[0] == lengths.count ? 0 : left
            var offsets = [Int](repeating: 0, count: 16)
            for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
            for (symbol, length) in lengths.enumerated() where length != 0 {
                symbols[offsets[length]] = symbol
                offsets[length] += 1
            }
        }
    }

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
                               1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    /// The order in which code length code lengths are sent (RFC 1951 section 3.2.7).
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// The fixed codes of RFC 1951 section 3.2.6.
    static let fixed: (literals: Huffman, distances: Huffman) = {
        var lengths = [Int](repeating: 8, count: 288)
        for i in 144..<256 { lengths[i] = 9 }
        for i in 256..<280 { lengths[i] = 7 }
        // Both are well formed by construction.
        let literals = try! Huffman(lengths: lengths[...], offset: 0)
        let distances = try! Huffman(lengths: [Int](repeating: 5, count: 30)[...], offset: 0)
        return (literals, distances)
    }()

    struct State {
        let input: [UInt8]
        let limit: Int
        var position = 0
        var bitBuffer: UInt32 = 0
        var bitCount = 0
        var output: [UInt8] = []

        init(input: [UInt8], limit: Int) {
            self.input = input
            self.limit = limit
            output.reserveCapacity(min(limit, input.count * 4))
        }

        /// The next `count` bits (count ≤ 16), least significant first.
        mutating func bits(_ count: Int) throws(ArchiveError) -> Int {
            while bitCount < count {
                guard position < input.count else { throw .truncatedStream }
                bitBuffer |= UInt32(input[position]) << UInt32(bitCount)
                position += 1
                bitCount += 8
            }
            let value = Int(bitBuffer & ((1 << UInt32(count)) - 1))
            bitBuffer >>= UInt32(count)
            bitCount -= count
            return value
        }

        mutating func decode(_ code: Huffman) throws(ArchiveError) -> Int {
            var value = 0, first = 0, index = 0
            for length in 1...15 {
                value |= try bits(1)
                let count = code.counts[length]
                if value - count < first { return code.symbols[index + (value - first)] }
                index += count
                first = (first + count) << 1
                value <<= 1
            }
            throw .corruptStream("a code that the block's Huffman table does not contain", offset: position)
        }

        mutating func run() throws(ArchiveError) {
            var last = false
            while !last {
                last = try bits(1) == 1
                switch try bits(2) {
                case 0: try stored()
                case 1: try codes(Inflater.fixed.literals, Inflater.fixed.distances)
                case 2: try dynamic()
                default: throw .corruptStream("block type 3 is reserved", offset: position)
                }
            }
        }

        mutating func append(_ byte: UInt8) throws(ArchiveError) {
            guard output.count < limit else { throw .tooLarge(limit: limit) }
            output.append(byte)
        }

        mutating func stored() throws(ArchiveError) {
            bitBuffer = 0
            bitCount = 0
            guard position + 4 <= input.count else { throw .truncatedStream }
            let length = Int(input[position]) | Int(input[position + 1]) << 8
            let check = Int(input[position + 2]) | Int(input[position + 3]) << 8
            guard length == (~check & 0xFFFF) else { throw .corruptStream("a stored block's length and its complement disagree", offset: position) }
            position += 4
            guard position + length <= input.count else { throw .truncatedStream }
            guard output.count + length <= limit else { throw .tooLarge(limit: limit) }
            output.append(contentsOf: input[position..<(position + length)])
            position += length
        }

        mutating func codes(_ literals: Huffman, _ distances: Huffman) throws(ArchiveError) {
            while true {
                var symbol = try decode(literals)
                if symbol < 256 {
                    try append(UInt8(symbol))
                    continue
                }
                if symbol == 256 { return }
                symbol -= 257
                guard symbol < 29 else { throw .corruptStream("length symbol \(symbol + 257) is invalid", offset: position) }
                let length = Inflater.lengthBase[symbol] + (try bits(Inflater.lengthExtra[symbol]))
                let distanceSymbol = try decode(distances)
                guard distanceSymbol < 30 else { throw .corruptStream("distance symbol \(distanceSymbol) is invalid", offset: position) }
                let distance = Inflater.distanceBase[distanceSymbol] + (try bits(Inflater.distanceExtra[distanceSymbol]))
                guard distance <= output.count else {
                    throw .corruptStream("a back-reference \(distance) bytes back, before the start of the data", offset: position)
                }
                guard output.count + length <= limit else { throw .tooLarge(limit: limit) }
                var from = output.count - distance
                for _ in 0..<length {
                    output.append(output[from])
                    from += 1
                }
            }
        }

        mutating func dynamic() throws(ArchiveError) {
            let literalCount = try bits(5) + 257
            let distanceCount = try bits(5) + 1
            let codeLengthCount = try bits(4) + 4
            guard literalCount <= 286, distanceCount <= 30 else {
                throw .corruptStream("a dynamic block declares too many codes", offset: position)
            }
            var lengths = [Int](repeating: 0, count: 19)
            for i in 0..<codeLengthCount { lengths[Inflater.codeLengthOrder[i]] = try bits(3) }
            let lengthCode = try Huffman(lengths: lengths[...], offset: position)
            guard lengthCode.unused == 0 else { throw .corruptStream("the code length code is incomplete", offset: position) }

            lengths = [Int](repeating: 0, count: literalCount + distanceCount)
            var index = 0
            while index < literalCount + distanceCount {
                let symbol = try decode(lengthCode)
                if symbol < 16 {
                    lengths[index] = symbol
                    index += 1
                    continue
                }
                var value = 0
                let repeatCount: Int
                switch symbol {
                case 16:
                    guard index > 0 else { throw .corruptStream("a repeated code length with nothing before it", offset: position) }
                    value = lengths[index - 1]
                    repeatCount = 3 + (try bits(2))
                case 17: repeatCount = 3 + (try bits(3))
                default: repeatCount = 11 + (try bits(7))
                }
                guard index + repeatCount <= literalCount + distanceCount else {
                    throw .corruptStream("code lengths run past the declared count", offset: position)
                }
                for _ in 0..<repeatCount {
                    lengths[index] = value
                    index += 1
                }
            }
            guard lengths[256] != 0 else { throw .corruptStream("the block has no end-of-block code", offset: position) }
            let literals = try Huffman(lengths: lengths[0..<literalCount], offset: position)
            // An incomplete code is allowed only when it is a single code of length one (RFC 1951 3.2.7, as zlib).
            if literals.unused > 0 && literalCount - literals.counts[0] != 1 {
                throw .corruptStream("the literal/length code is incomplete", offset: position)
            }
            let distances = try Huffman(lengths: lengths[literalCount...], offset: position)
            if distances.unused > 0 && distanceCount - distances.counts[0] != 1 {
                throw .corruptStream("the distance code is incomplete", offset: position)
            }
            try codes(literals, distances)
        }
    }
}
