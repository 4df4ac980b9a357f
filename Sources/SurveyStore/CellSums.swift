import SQLite

/// The day and month cells of analysis rows a bulk import inserts, added up in memory as it
/// writes and upserted once at its end: the same sums the cells' insert triggers would add row by
/// row (slot −1 for every row; each slot in a measure's base, state 2 or 3, with satisfied for
/// 3; Σw, Σw², Σw·satisfied with a missing weight as 1), for complete rows only. The triggers
/// stand aside while the `deferredSetting` row exists, which the import writes and deletes
/// inside its own transaction, so no other connection ever sees it.
struct CellSums {
    static let deferredSetting = "analysis_cells_deferred"

    private struct Key: Hashable {
        var questionnaire: Int64
        var date: Int64
        var borough: Int64
        var slot: Int64
        var version: Int64
    }

    private struct Sums {
        var n: Int64 = 0
        var satisfied: Int64 = 0
        var sw = 0.0
        var sw2 = 0.0
        var swy = 0.0
    }

    private var days: [Key: Sums] = [:]
    private var months: [Key: Sums] = [:]

    /// Adds one analysis row, given as its parameter values in `SurveyStore.analysisColumns`
    /// order (questionnaire 1, version 2, complete 3, day 4, borough 5, weight 10, states 14).
    mutating func add(_ values: [SQLValue]) {
        guard values[3].int64 == 1, let questionnaire = values[1].int64, let version = values[2].int64,
              let states = values[14].int64.map({ UInt64(bitPattern: $0) }) else { return }
        let day = values[4].int64 ?? -1
        let month = values[4].int64.map(CellRangeSplit.monthStart) ?? -1
        let borough = values[5].int64 ?? -1
        let weight = values[10].double ?? 1.0
        for slot in Int64(-1)..<32 {
            let state = slot < 0 ? 0 : (states >> UInt64(2 * slot)) & 3
            guard slot < 0 || state >= 2 else { continue }
            let satisfied = state == 3
            for (date, isMonth) in [(day, false), (month, true)] {
                let key = Key(questionnaire: questionnaire, date: date, borough: borough, slot: slot, version: version)
                var sums = (isMonth ? months[key] : days[key]) ?? Sums()
                sums.n += 1
                if satisfied { sums.satisfied += 1 }
                sums.sw += weight
                sums.sw2 += weight * weight
                if satisfied { sums.swy += weight }
                if isMonth { months[key] = sums } else { days[key] = sums }
            }
        }
    }

    /// Adds the sums to the cells stored, creating the cells not there yet.
    func write(to db: Connection) throws {
        let update = "ON CONFLICT DO UPDATE SET n = n + excluded.n, satisfied = satisfied + excluded.satisfied, sw = sw + excluded.sw, sw2 = sw2 + excluded.sw2, swy = swy + excluded.swy"
        let day = try db.prepare("""
            INSERT INTO analysis_cells(questionnaire, complete, day, borough, slot, version_id, n, satisfied, sw, sw2, swy)
            VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?) \(update)
            """)
        let month = try db.prepare("""
            INSERT INTO analysis_month_cells(questionnaire, month, borough, slot, version_id, n, satisfied, sw, sw2, swy)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \(update)
            """)
        for (cells, statement) in [(days, day), (months, month)] {
            for (key, sums) in cells {
                try statement.execute(values: [.integer(key.questionnaire), .integer(key.date), .integer(key.borough), .integer(key.slot), .integer(key.version),
                                               .integer(sums.n), .integer(sums.satisfied), .real(sums.sw), .real(sums.sw2), .real(sums.swy)])
            }
        }
    }
}
