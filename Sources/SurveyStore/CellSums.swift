import SQLite

/// What the analysis table's insert triggers would add for the rows a bulk import inserts,
/// added up in memory as it writes and written once at its end (`BulkInsertTriggers` sets the
/// triggers aside meanwhile): the day, month, and ward and mode month cells of complete rows
/// (slot −1 for every row; each slot in a measure's base, state 2 or 3, with satisfied for 3;
/// Σw, Σw², Σw·satisfied with a missing weight as 1), each version's total of rows complete or
/// not, and one step of the analysis generation.
struct CellSums {
    /// A day cell's key without its slot: the row's 33 slots (−1 and 0–31) share it, so a row
    /// costs one dictionary lookup, not one per slot and table.
    private struct Key: Hashable {
        var questionnaire: Int64
        var date: Int64
        var borough: Int64
        var version: Int64
    }

    /// A ward or mode month cell's key without its slot.
    private struct GroupKey: Hashable {
        var questionnaire: Int64
        var dimension: Int64
        var month: Int64
        var borough: Int64
        var value: Int64
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

    /// Cells by key: each key's index into `sums`, whose entry holds slot −1 at index 0 and
    /// measure slot k at k + 1, as far as the highest slot seen in a base (a questionnaire
    /// uses a few).
    private struct Cells<K: Hashable> {
        var index: [K: Int] = [:]
        var sums: [[Sums]] = []

        /// The index in `sums` of `key`'s entry, a new one (slot −1 only) made if it has none.
        mutating func entry(_ key: K) -> Int {
            if let found = index[key] { return found }
            index[key] = sums.count
            sums.append([Sums()])
            return sums.count - 1
        }

        /// Adds one row with measure states `states` (two bits a slot) and weight `weight`.
        mutating func add(_ key: K, states: UInt64, weight: Double) {
            let i = entry(key)
            sums[i][0].n += 1
            sums[i][0].sw += weight
            sums[i][0].sw2 += weight * weight
            var rest = states
            var slot = 1
            while rest != 0 {
                let state = rest & 3
                if state >= 2 {
                    if sums[i].count <= slot { sums[i].append(contentsOf: repeatElement(Sums(), count: slot + 1 - sums[i].count)) }
                    sums[i][slot].n += 1
                    sums[i][slot].sw += weight
                    sums[i][slot].sw2 += weight * weight
                    if state == 3 {
                        sums[i][slot].satisfied += 1
                        sums[i][slot].swy += weight
                    }
                }
                rest >>= 2
                slot += 1
            }
        }

        /// Adds another key's sums, slot by slot, into `key`'s.
        mutating func add(_ key: K, _ other: [Sums]) {
            let i = entry(key)
            if sums[i].count < other.count { sums[i].append(contentsOf: repeatElement(Sums(), count: other.count - sums[i].count)) }
            for slot in other.indices { sums[i][slot].add(other[slot]) }
        }

        /// Writes every slot with a count: `statement` takes `keyValues` of the key, then slot,
        /// version, n, satisfied, Σw, Σw², Σwy.
        func write(_ statement: Statement, keyValues: (K) -> [SQLValue], version: (K) -> Int64) throws {
            for (key, i) in index {
                for (slot, sums) in sums[i].enumerated() where sums.n > 0 {
                    try statement.execute(values: keyValues(key) + [.integer(Int64(slot - 1)), .integer(version(key)), .integer(sums.n),
                                                                    .integer(sums.satisfied), .real(sums.sw), .real(sums.sw2), .real(sums.swy)])
                }
            }
        }
    }

    private var days = Cells<Key>()
    private var groups = Cells<GroupKey>()
    private struct Total: Hashable {
        var version: Int64
        var complete: Int64
    }
    /// Rows added per version and completeness.
    private var totals: [Total: Int64] = [:]
    /// The last day seen and the first day of its month (rows come mostly in date order).
    private var lastDay: (day: Int64, month: Int64) = (-1, -1)

    /// Adds one analysis row, given as its parameter values in `SurveyStore.analysisColumns`
    /// order (questionnaire 1, version 2, complete 3, day 4, borough 5, ward 6, mode 7, weight
    /// 10, states 14).
    mutating func add(_ values: [SQLValue]) {
        if let version = values[2].int64, let complete = values[3].int64 { totals[Total(version: version, complete: complete), default: 0] += 1 }
        guard values[3].int64 == 1, let questionnaire = values[1].int64, let version = values[2].int64,
              let states = values[14].int64.map({ UInt64(bitPattern: $0) }) else { return }
        let day = values[4].int64 ?? -1
        let borough = values[5].int64 ?? -1
        let weight = values[10].double ?? 1.0
        days.add(Key(questionnaire: questionnaire, date: day, borough: borough, version: version), states: states, weight: weight)
        if day != lastDay.day { lastDay = (day, day >= 0 ? CellRangeSplit.monthStart(day) : -1) }
        let ward = GroupKey(questionnaire: questionnaire, dimension: CellDimension.ward.rawValue, month: lastDay.month, borough: borough,
                            value: values[6].int64 ?? -1, version: version)
        groups.add(ward, states: states, weight: weight)
        var mode = ward
        mode.dimension = CellDimension.mode.rawValue
        mode.value = values[7].int64 ?? -1
        groups.add(mode, states: states, weight: weight)
    }

    /// Adds the sums to the cells and totals stored, creating those not there yet: the day
    /// cells as added, the month cells as the sums of their days (no date: month −1), and the
    /// ward and mode month cells as added; and moves the analysis generation on once if any row
    /// was added.
    func write(to db: Connection) throws {
        guard !totals.isEmpty else { return }
        try db.execute("UPDATE settings SET value = CAST(value AS INTEGER) + 1 WHERE key = 'analysis_generation'")
        let total = try db.prepare("INSERT INTO analysis_totals(version_id, complete, n) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n")
        for (key, n) in totals { try total.execute(values: [.integer(key.version), .integer(key.complete), .integer(n)]) }
        let update = "ON CONFLICT DO UPDATE SET n = n + excluded.n, satisfied = satisfied + excluded.satisfied, sw = sw + excluded.sw, sw2 = sw2 + excluded.sw2, swy = swy + excluded.swy"
        var months = Cells<Key>()
        for (key, i) in days.index {
            var month = key
            if key.date >= 0 { month.date = CellRangeSplit.monthStart(key.date) }
            months.add(month, days.sums[i])
        }
        let dated = { (key: Key) -> [SQLValue] in [.integer(key.questionnaire), .integer(key.date), .integer(key.borough)] }
        try days.write(db.prepare("""
            INSERT INTO analysis_cells(questionnaire, complete, day, borough, slot, version_id, n, satisfied, sw, sw2, swy)
            VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?) \(update)
            """), keyValues: dated, version: \.version)
        try months.write(db.prepare("""
            INSERT INTO analysis_month_cells(questionnaire, month, borough, slot, version_id, n, satisfied, sw, sw2, swy)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \(update)
            """), keyValues: dated, version: \.version)
        try groups.write(db.prepare("""
            INSERT INTO analysis_group_cells(questionnaire, dimension, month, borough, value, slot, version_id, n, satisfied, sw, sw2, swy)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \(update)
            """), keyValues: { [.integer($0.questionnaire), .integer($0.dimension), .integer($0.month), .integer($0.borough), .integer($0.value)] },
                         version: \.version)
    }
}
