import Foundation
import JSON

/// Reads questionnaire files and checks them, collecting every problem rather than stopping at the first.
public enum QuestionnaireLoader {
    static let topLevelKeys: Set<String> = ["id", "version", "title", "introduction", "languages", "questions", "measures", "description"]

    /// True for ids usable as question ids and SPSS/Stata variable names: a letter, then up to 31
    /// letters, digits or underscores.
    public static func isValidIdentifier(_ s: String) -> Bool {
        let scalars = Array(s.unicodeScalars)
        guard let first = scalars.first, scalars.count <= 32, isASCIILetter(first) else { return false }
        return scalars.allSatisfy { isASCIILetter($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    private static func isASCIILetter(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) }

    /// True for choice codes: 1–40 letters, digits, `_` or `-`.
    public static func isValidCode(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 40 && s.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
        }
    }

    /// The questionnaire id implied by a file path: its name without `.json`.
    public static func id(forPath path: String) -> String {
        let name = URL(fileURLWithPath: path).lastPathComponent
        return name.hasSuffix(".json") ? String(name.dropLast(5)) : name
    }

    /// Reads and checks the questionnaire file at `path`.
    public static func load(path: String) throws(SurveyEngineError) -> Questionnaire {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "permission denied or not a regular file" : "no such file"
            throw .unreadableFile(path: path, reason: reason)
        }
        return try load(bytes: Array(data), id: id(forPath: path), source: path)
    }

    /// Parses and checks a questionnaire from JSON bytes; `source` names it in errors.
    public static func load(bytes: [UInt8], id: String, source: String) throws(SurveyEngineError) -> Questionnaire {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            throw .malformedJSON(path: source, error)
        }
        var builder = QuestionnaireBuilder(id: id, json: json)
        guard let questionnaire = builder.build(), builder.problems.isEmpty else {
            throw .invalidQuestionnaire(path: source, problems: builder.problems)
        }
        return questionnaire
    }
}
