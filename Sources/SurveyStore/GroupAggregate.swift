/// Running counts per (group, question) for streamed rows. Consecutive rows usually share a group
/// (one response's answers come together), so the last group's bytes are kept and compared first.
struct GroupAggregate {
    private struct Cell {
        var n = 0
        var satisfied = 0
        var sumOfWeights = 0.0
        var sumOfSquaredWeights = 0.0
        var weightedSatisfied = 0.0
    }

    private let questions: Int
    private var groups: [String] = []
    private var indexByGroup: [String: Int] = [:]
    private var cells: [Cell] = []
    private var lastBytes: [UInt8] = []
    private var lastIndex = -1

    init(questions: Int) { self.questions = questions }

    /// The index of the group whose key has these UTF-8 bytes, adding it if new.
    mutating func groupIndex(for bytes: UnsafeRawBufferPointer) -> Int {
        if lastIndex >= 0, bytes.count == lastBytes.count, lastBytes.withUnsafeBytes({ $0.elementsEqual(bytes) }) {
            return lastIndex
        }
        let key = String(decoding: bytes, as: UTF8.self)
        let index: Int
        if let existing = indexByGroup[key] {
            index = existing
        } else {
            index = groups.count
            groups.append(key)
            indexByGroup[key] = index
            cells.append(contentsOf: repeatElement(Cell(), count: questions))
        }
        lastBytes = Array(bytes)
        lastIndex = index
        return index
    }

    mutating func add(group: Int, question: Int, satisfied: Bool, weight: Double) {
        let i = group * questions + question
        cells[i].n += 1
        cells[i].sumOfWeights += weight
        cells[i].sumOfSquaredWeights += weight * weight
        if satisfied {
            cells[i].satisfied += 1
            cells[i].weightedSatisfied += weight
        }
    }

    /// Counts by question id, each list sorted by group key; empty cells are left out.
    func counts(questionIDs: [String], weighted: Bool) -> [String: [GroupCount]] {
        var result: [String: [GroupCount]] = [:]
        let order = groups.indices.sorted { groups[$0] < groups[$1] }
        for (q, id) in questionIDs.enumerated() {
            result[id] = order.compactMap { g in
                let cell = cells[g * questions + q]
                guard cell.n > 0 else { return nil }
                return GroupCount(group: groups[g], n: cell.n, satisfied: cell.satisfied,
                                  sumOfWeights: weighted ? cell.sumOfWeights : nil,
                                  sumOfSquaredWeights: weighted ? cell.sumOfSquaredWeights : nil,
                                  weightedSatisfied: weighted ? cell.weightedSatisfied : nil)
            }
        }
        return result
    }
}
