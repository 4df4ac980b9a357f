import Foundation
import SurveyEngine
import SurveyStore

/// Writes an SPSS system file (`.sav`), uncompressed, little-endian, UTF-8, from the public
/// description of the format (the PSPP developers' guide, "System File Format"): the file
/// header; a variable record per variable (and per 8-byte continuation of a string, and per
/// segment of a string over 255 bytes); value labels; the machine integer and floating-point
/// records; variable display parameters (measurement level); long variable names; very long
/// strings; the character encoding; then the cases, 8 bytes per slot.
///
/// Choice questions become numeric variables coded 1, 2, … in choice order, with value labels;
/// choices outside a measure's base ("Don't know", "Prefer not to say") take 91, 92, … and are
/// declared missing values. A `multiple` question is one 0/1 variable per option.
public struct SystemFileWriter {
    let variables: [SavVariable]
    let sink: ([UInt8]) throws -> Void
    let caseCount: Int
    let created: Date
    private var written = 0

    /// `stringWidths` are the widest value of each text variable (by question id or metadata
    /// name) in bytes, from a first pass over the responses; `caseCount` how many follow.
    public init(layout: ExportLayout, stringWidths: [String: Int], caseCount: Int, created: Date, sink: @escaping ([UInt8]) throws -> Void) {
        var names = SavNames()
        var variables: [SavVariable] = []
        let numericMetadata: [String: Int] = ["response_id": 0, "questionnaire_version": 0, "weight": 3, "response_weight": 3]
        for (index, name) in layout.metadata.enumerated() {
            if let decimals = numericMetadata[name] {
                variables.append(SavVariable(name: names.make(name), label: name.replacingOccurrences(of: "_", with: " "), width: 0, decimals: decimals,
                                             source: .metadata(index), measure: name == "weight" ? .scale : .nominal))
            } else {
                variables.append(SavVariable(name: names.make(name), label: name.replacingOccurrences(of: "_", with: " "), width: max(1, stringWidths[name] ?? 1),
                                             decimals: 0, source: .metadata(index), measure: .nominal))
            }
        }
        for variable in layout.variables {
            switch variable.type {
            case .single, .scale, .yesno:
                var codes: [String: Double] = [:], labels: [(Double, String)] = [], missing: [Double] = []
                var substantive = 0, excluded = 0
                for (code, label) in variable.choices {
                    let value: Double
                    if variable.missingCodes.contains(code) { excluded += 1; value = Double(90 + excluded); missing.append(value) } else { substantive += 1; value = Double(substantive) }
                    codes[code] = value
                    labels.append((value, label))
                }
                variables.append(SavVariable(name: names.make(variable.questionID), label: variable.label, width: 0, decimals: 0,
                                             source: .coded(questionID: variable.questionID, codes: codes), valueLabels: labels,
                                             missing: missing, measure: variable.type == .scale ? .ordinal : .nominal))
            case .multiple:
                for (code, label) in variable.choices {
                    variables.append(SavVariable(name: names.make("\(variable.questionID)_\(code)"), label: "\(variable.label): \(label)", width: 0, decimals: 0,
                                                 source: .option(questionID: variable.questionID, code: code),
                                                 valueLabels: [(0, "Not selected"), (1, "Selected")], measure: .nominal))
                }
            case .number:
                variables.append(SavVariable(name: names.make(variable.questionID), label: variable.label, width: 0, decimals: 2,
                                             source: .number(questionID: variable.questionID), measure: .scale))
            case .text, .date, .note:
                variables.append(SavVariable(name: names.make(variable.questionID), label: variable.label, width: max(1, stringWidths[variable.questionID] ?? 1),
                                             decimals: 0, source: .text(questionID: variable.questionID), measure: .nominal))
            }
        }
        self.variables = variables
        self.caseCount = caseCount
        self.created = created
        self.sink = sink
    }

    /// The text variables whose widths the first pass measures: metadata names and question ids.
    public static func measuredStrings(_ layout: ExportLayout) -> [String] {
        layout.metadata.filter { !["response_id", "questionnaire_version", "weight", "response_weight"].contains($0) }
            + layout.variables.filter { $0.type == .text || $0.type == .date }.map(\.questionID)
    }

    // MARK: - Dictionary

    /// Writes everything before the cases.
    public mutating func writeHeader(fileLabel: String) throws {
        var out = Bytes()
        let slots = variables.reduce(0) { total, v in total + (0..<v.segments).reduce(0) { $0 + v.slots($1) } }
        out.text("$FL2", 4)
        out.text("@(#) SPSS DATA FILE Canvass", 60)
        out.int(2)                     // layout code
        out.int(Int32(slots))          // nominal case size
        out.int(0)                     // not compressed
        out.int(0)                     // not weighted
        out.int(Int32(caseCount))
        out.double(100)                // bias
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "dd MMM yy"
        out.text(formatter.string(from: created), 9)
        formatter.dateFormat = "HH:mm:ss"
        out.text(formatter.string(from: created), 8)
        out.text(fileLabel, 64)
        out.bytes([0, 0, 0])
        // Variable records; short names V1, V2, … (the long names follow in their own record).
        var shortNames: [[String]] = []
        var dictionaryIndex = 1
        var indexes: [Int] = []
        for variable in variables {
            var segmentNames: [String] = []
            for k in 0..<variable.segments {
                let short = "V\(dictionaryIndex)"
                segmentNames.append(short)
                if k == 0 { indexes.append(dictionaryIndex) }
                let width = variable.segmentWidth(k)
                let format: Int32 = variable.width == 0 ? (5 << 16 | Int32(variable.decimals == 0 ? 10 : 12) << 8 | Int32(variable.decimals))
                                                        : (1 << 16 | Int32(width) << 8)
                out.int(2)
                out.int(Int32(variable.width == 0 ? 0 : width))
                let label = k == 0 ? Self.truncated(variable.label, 255) : []
                out.int(label.isEmpty ? 0 : 1)
                out.int(k == 0 && variable.width == 0 ? Int32(min(3, variable.missing.count)) : 0)
                out.int(format)
                out.int(format)
                out.text(short, 8)
                if !label.isEmpty {
                    out.int(Int32(label.count))
                    out.bytes(label + [UInt8](repeating: 0x20, count: (4 - label.count % 4) % 4))
                }
                if k == 0 && variable.width == 0 { for value in variable.missing.prefix(3) { out.double(value) } }
                dictionaryIndex += 1
                // Continuations: one record per further 8 bytes of the segment.
                for _ in 1..<max(1, variable.slots(k)) {
                    out.int(2); out.int(-1); out.int(0); out.int(0); out.int(0); out.int(0)
                    out.text("", 8)
                    dictionaryIndex += 1
                }
            }
            shortNames.append(segmentNames)
        }
        // Value labels, one pair of records per labelled variable.
        for (variable, index) in zip(variables, indexes) where !variable.valueLabels.isEmpty {
            out.int(3)
            out.int(Int32(variable.valueLabels.count))
            for (value, label) in variable.valueLabels {
                out.double(value)
                let bytes = Self.truncated(label, 120)
                out.bytes([UInt8(bytes.count)] + bytes)
                out.bytes([UInt8](repeating: 0x20, count: (8 - (bytes.count + 1) % 8) % 8))
            }
            out.int(4)
            out.int(1)
            out.int(Int32(index))
        }
        // Machine integer info: version 1.0.0, machine -1, IEEE 754, compression 1, little-endian, UTF-8.
        out.int(7); out.int(3); out.int(4); out.int(8)
        for value: Int32 in [1, 0, 0, -1, 1, 1, 2, 65001] { out.int(value) }
        // Machine floating-point info: system-missing, highest, lowest.
        out.int(7); out.int(4); out.int(8); out.int(3)
        out.double(-Double.greatestFiniteMagnitude)
        out.double(Double.greatestFiniteMagnitude)
        out.double(-Double.greatestFiniteMagnitude.nextDown)
        // Variable display parameters: measure, width, alignment, for each segment.
        let segments = variables.reduce(0) { $0 + $1.segments }
        out.int(7); out.int(11); out.int(4); out.int(Int32(segments * 3))
        for variable in variables {
            for _ in 0..<variable.segments {
                out.int(variable.measure.rawValue)
                out.int(Int32(variable.width == 0 ? 8 : min(40, max(8, variable.width))))
                out.int(variable.width == 0 ? 1 : 0)
            }
        }
        // Long variable names.
        let longNames = Array(zip(variables, shortNames).map { "\($1[0])=\($0.name)" }.joined(separator: "\t").utf8)
        out.int(7); out.int(13); out.int(1); out.int(Int32(longNames.count))
        out.bytes(longNames)
        // Very long strings: the first segment's short name and the whole width.
        let veryLong = zip(variables, shortNames).filter { $0.0.segments > 1 }
        if !veryLong.isEmpty {
            var text: [UInt8] = []
            for (variable, names) in veryLong { text += Array("\(names[0])=\(String(format: "%05d", variable.width))".utf8) + [0, 9] }
            out.int(7); out.int(14); out.int(1); out.int(Int32(text.count))
            out.bytes(text)
        }
        // Character encoding.
        out.int(7); out.int(20); out.int(1); out.int(5)
        out.text("UTF-8", 5)
        out.int(999); out.int(0)
        try sink(out.data)
    }

    // MARK: - Cases

    /// Writes one case.
    public mutating func write(_ response: ExportedResponse, metadata: [String?]) throws {
        var out = Bytes()
        for variable in variables {
            switch variable.source {
            case .metadata(let index):
                let value = metadata[index]
                if variable.width == 0 { out.double(value.flatMap(Double.init) ?? -Double.greatestFiniteMagnitude) } else { writeString(&out, value ?? "", variable) }
            case .coded(let question, let codes):
                out.double(response.answers[question]?.first.flatMap { codes[$0] } ?? -Double.greatestFiniteMagnitude)
            case .option(let question, let code):
                guard let values = response.answers[question] else { out.double(-Double.greatestFiniteMagnitude); break }
                out.double(values.contains(code) ? 1 : 0)
            case .number(let question):
                out.double(response.answers[question]?.first.flatMap(Double.init) ?? -Double.greatestFiniteMagnitude)
            case .text(let question):
                writeString(&out, response.answers[question]?.joined(separator: ";") ?? "", variable)
            }
        }
        try sink(out.data)
        written += 1
    }

    /// A string's bytes, 255 to a segment, each segment space-padded to its slots.
    private func writeString(_ out: inout Bytes, _ value: String, _ variable: SavVariable) {
        let bytes = Array(value.utf8.prefix(variable.width))
        for k in 0..<variable.segments {
            let start = min(bytes.count, k * 255), end = min(bytes.count, start + variable.segmentWidth(k))
            let piece = Array(bytes[start..<end])
            out.bytes(piece + [UInt8](repeating: 0x20, count: variable.slots(k) * 8 - piece.count))
        }
    }

    /// Checks the promised number of cases were written.
    public func finish() throws {
        guard written == caseCount else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "the data changed during the export: \(written) responses written, \(caseCount) counted"])
        }
    }

    /// `text`'s UTF-8 bytes cut to at most `limit`, never inside a character.
    static func truncated(_ text: String, _ limit: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for character in text {
            let next = Array(String(character).utf8)
            if bytes.count + next.count > limit { break }
            bytes += next
        }
        return bytes
    }
}

/// Little-endian output for the system file.
struct Bytes {
    var data: [UInt8] = []

    mutating func int(_ value: Int32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
    mutating func double(_ value: Double) { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
    mutating func bytes(_ bytes: [UInt8]) { data.append(contentsOf: bytes) }

    /// `text` as UTF-8 in exactly `width` bytes, space-padded (cut if longer).
    mutating func text(_ text: String, _ width: Int) {
        let bytes = SystemFileWriter.truncated(text, width)
        data.append(contentsOf: bytes)
        data.append(contentsOf: [UInt8](repeating: 0x20, count: width - bytes.count))
    }
}
