import CSV
import Foundation

/// A local authority of the demo: its ONS code and name (`Fixtures/boroughs.csv`), how many
/// synthetic wards it gets, and its share of responses relative to the others.
public struct Borough: Equatable, Sendable {
    public var code: String
    public var name: String
    public var wardCount: Int
    public var volume: Double

    /// The ward names, marked as synthetic: "Hackney ward 07 (synthetic)".
    public var wards: [String] { (1...wardCount).map { String(format: "%@ ward %02d (synthetic)", name, $0) } }

    /// Reads the borough list: a header `ons_code,name,demo_wards,demo_volume`, then one line per borough.
    public static func load(path: String) throws(DemoError) -> [Borough] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .boroughList(path: path, line: 0, reason: "cannot read the file")
        }
        var reader = CSVReader(bytes: Array(data))
        var boroughs: [Borough] = []
        do {
            guard let header = try reader.next(), header == ["ons_code", "name", "demo_wards", "demo_volume"] else {
                throw DemoError.boroughList(path: path, line: 1, reason: "the header is not ons_code,name,demo_wards,demo_volume")
            }
            while true {
                let line = reader.line
                guard let record = try reader.next() else { break }
                guard record.count == 4, !record[0].isEmpty, !record[1].isEmpty,
                      let wards = Int(record[2]), (1...99).contains(wards), let volume = Double(record[3]), volume > 0, volume <= 100 else {
                    throw DemoError.boroughList(path: path, line: line, reason: "expected a code, a name, 1–99 wards and a volume above 0, got \(record)")
                }
                boroughs.append(Borough(code: record[0], name: record[1], wardCount: wards, volume: volume))
            }
        } catch let error as DemoError {
            throw error
        } catch let error as CSVError {
            throw .boroughList(path: path, line: error.line, reason: error.message)
        } catch {
            throw .boroughList(path: path, line: 0, reason: "\(error)")
        }
        guard !boroughs.isEmpty else { throw .boroughList(path: path, line: 2, reason: "no boroughs listed") }
        return boroughs
    }
}
