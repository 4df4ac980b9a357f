import CSV
import Foundation

/// The boroughs a force works in, by ONS code and name (`Fixtures/boroughs.csv`: the columns
/// `ons_code` and `name`, others ignored), so a case export may name a borough either way.
public struct BoroughDirectory: Sendable {
    private var nameByCode: [String: String] = [:]
    private var codeByName: [String: String] = [:]

    public init(_ pairs: [(code: String, name: String)]) {
        for (code, name) in pairs {
            nameByCode[code.uppercased()] = name
            codeByName[name.lowercased()] = code
        }
    }

    /// Reads the list; an error names the file and the line.
    public static func load(path: String) throws(ImportProblem) -> BoroughDirectory {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImportProblem(line: 0, message: "\(path): cannot read the borough list (give --boroughs FILE)")
        }
        var reader = CSVReader(bytes: Array(data))
        var pairs: [(code: String, name: String)] = []
        do {
            guard let header = try reader.next(), let code = header.firstIndex(of: "ons_code"), let name = header.firstIndex(of: "name") else {
                throw ImportProblem(line: 1, message: "\(path): the borough list needs the columns ons_code and name")
            }
            while true {
                let line = reader.line
                guard let record = try reader.next() else { break }
                guard record.count > max(code, name) else { throw ImportProblem(line: line, message: "\(path): too few fields") }
                pairs.append((record[code], record[name]))
            }
        } catch let problem as ImportProblem {
            throw problem
        } catch let error as CSVError {
            throw ImportProblem(line: error.line, message: "\(path): \(error.message)")
        } catch {
            throw ImportProblem(line: 0, message: "\(path): \(error)")
        }
        return BoroughDirectory(pairs)
    }

    /// The (code, name) of a borough given by either, ignoring case; nil when unknown.
    public func resolve(_ text: String) -> (code: String, name: String)? {
        if let name = nameByCode[text.uppercased()] { return (text.uppercased(), name) }
        if let code = codeByName[text.lowercased()] { return (code, nameByCode[code.uppercased()] ?? text) }
        return nil
    }

    /// How many boroughs it lists.
    public var count: Int { nameByCode.count }
}
