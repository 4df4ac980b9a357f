/// One variable of an SPSS system file, and where its value comes from in a response.
struct SavVariable {
    enum Source {
        case metadata(Int)
        /// A choice question: its code numbered (value labels carry the choice labels).
        case coded(questionID: String, codes: [String: Double])
        /// One option of a `multiple` question: 1 selected, 0 not, system-missing when not asked.
        case option(questionID: String, code: String)
        case number(questionID: String)
        case text(questionID: String)
    }

    enum Measure: Int32 { case nominal = 1, ordinal = 2, scale = 3 }

    var name: String
    var label: String
    /// 0 for numeric, else the string's width in bytes.
    var width: Int
    var decimals: Int
    var source: Source
    var valueLabels: [(Double, String)] = []
    var missing: [Double] = []
    var measure: Measure

    /// Segments of a string over 255 bytes (a "very long string"): one per 252 bytes of width.
    var segments: Int { width <= 255 ? 1 : (width + 251) / 252 }

    /// The width of segment `k`: 255 for all but the last.
    func segmentWidth(_ k: Int) -> Int { width <= 255 ? width : (k < segments - 1 ? 255 : width - (segments - 1) * 252) }

    /// 8-byte slots taken by segment `k` (a numeric takes one).
    func slots(_ k: Int) -> Int { width == 0 ? 1 : (segmentWidth(k) + 7) / 8 }
}
