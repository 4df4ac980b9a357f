import SQLite

/// What the analysis table's insert triggers would add for the rows a bulk import inserts,
/// added up in memory as it writes and written once at its end (`BulkInsertTriggers` sets the
/// triggers aside meanwhile): the day and month cells of complete rows (slot −1 for every row;
/// each slot in a measure's base, state 2 or 3, with satisfied for 3; Σw, Σw², Σw·satisfied
/// with a missing weight as 1), each version's total of rows complete or not, and one step of
/// the analysis generation.
struct CellSums {
    /// A day cell's key without its slot: the row's 33 slots (−1 and 0–31) share it, so a row
    /// costs one dictionary lookup, not one per slot and table.
    private struct Key: Hashable {
        var questionnaire: Int64
        var date: Int64
        var borough: Int64
        var version: Int64
    }

    private struct Sums {
        var n: Int64 = 0
        var satisfied: Int64 = 0
        var sw = 0.0
        var sw2 = 0.0
        var swy = 0.0

        mutating func add(_ other: Sums) {
            n += other.n
            satisfied += other.satisfied
            sw += other.sw
            sw2 += other.sw2
            swy += other.swy
        }
    }

    /// Each day key's index into `sums`, whose entry holds slot −1 at index 0 and measure slot
    /// k at k + 1, as far as the highest slot seen in a base (a questionnaire uses a few).
    private var days: [Key: Int] = [:]
    private struct Total: Hashable {
        var version: Int64
        var complete: Int64
    }
    /// Rows added per version and completeness.
    private var totals: [Total: Int64] = [:]
    private var sums: [[Sums]] = []

    /// Adds one analysis row, given as its parameter values in `SurveyStore.analysisColumns`
    /// order (questionnaire 1, version 2, complete 3, day 4, borough 5, weight 10, states 14).
    mutating func add(_ values: [SQLValue]) {
        if let version = values[2].int64, let complete = values[3].int64 { totals[Total(version: version, complete: complete), default: 0] += 1 }
        guard values[3].int64 == 1, let questionnaire = values[1].int64, let version = values[2].int64,
              let states = values[14].int64.map({ UInt64(bitPattern: $0) }) else { return }
        let key = Key(questionnaire: questionnaire, date: values[4].int64 ?? -1, borough: values[5].int64 ?? -1, version: version)
        let index = Self.entry(key, in: &days, of: &sums)
        let weight = values[10].double ?? 1.0
        sums[index][0].n += 1
        sums[index][0].sw += weight
        sums[index][0].sw2 += weight * weight
        var rest = states
        var slot = 1
        while rest != 0 {
            let state = rest & 3
            if state >= 2 {
                if sums[index].count <= slot { sums[index].append(contentsOf: repeatElement(Sums(), count: slot + 1 - sums[index].count)) }
                sums[index][slot].n += 1
                sums[index][slot].sw += weight
                sums[index][slot].sw2 += weight * weight
                if state == 3 {
                    sums[index][slot].satisfied += 1
                    sums[index][slot].swy += weight
                }
            }
            rest >>= 2
            slot += 1
        }
    }

    /// The index in `sums` of `key`'s entry, a new one (slot −1 only) made if it has none.
    private static func entry(_ key: Key, in map: inout [Key: Int], of sums: inout [[Sums]]) -> Int {
        if let found = map[key] { return found }
        map[key] = sums.count
        sums.append([Sums()])
        return sums.count - 1
    }

    /// Adds the sums to the cells and totals stored, creating those not there yet: the day
    /// cells as added, and the month cells as the sums of their days (no date: month −1); and
    /// moves the analysis generation on once if any row was added.
    func write(to db: Connection) throws {
        guard !totals.isEmpty else { return }
        try db.execute("UPDATE settings SET value = CAST(value AS INTEGER) + 1 WHERE key = 'analysis_generation'")
        let total = try db.prepare("INSERT INTO analysis_totals(version_id, complete, n) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n")
        for (key, n) in totals { try total.execute(values: [.integer(key.version), .integer(key.complete), .integer(n)]) }
        let update = "ON CONFLICT DO UPDATE SET n = n + excluded.n, satisfied = satisfied + excluded.satisfied, sw = sw + excluded.sw, sw2 = sw2 + excluded.sw2, swy = swy + excluded.swy"
        let day = try db.prepare("""
            INSERT INTO analysis_cells(questionnaire, complete, day, borough, slot, version_id, n, satisfied, sw, sw2, swy)
            VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?) \(update)
            """)
        let month = try db.prepare("""
            INSERT INTO analysis_month_cells(questionnaire, month, borough, slot, version_id, n, satisfied, sw, sw2, swy)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \(update)
            """)
        var months: [Key: Int] = [:]
        var monthSums: [[Sums]] = []
        for (key, index) in days {
            var monthKey = key
            if key.date >= 0 { monthKey.date = CellRangeSplit.monthStart(key.date) }
            let target = Self.entry(monthKey, in: &months, of: &monthSums)
            let ofDay = sums[index]
            if monthSums[target].count < ofDay.count {
                monthSums[target].append(contentsOf: repeatElement(Sums(), count: ofDay.count - monthSums[target].count))
            }
            for slot in ofDay.indices { monthSums[target][slot].add(ofDay[slot]) }
        }
        for (cells, values, statement) in [(days, sums, day), (months, monthSums, month)] {
            for (key, index) in cells {
                for (slot, sums) in values[index].enumerated() where sums.n > 0 {
                    try statement.execute(values: [.integer(key.questionnaire), .integer(key.date), .integer(key.borough), .integer(Int64(slot - 1)),
                                                   .integer(key.version), .integer(sums.n), .integer(sums.satisfied), .real(sums.sw), .real(sums.sw2), .real(sums.swy)])
                }
            }
        }
    }
}
