import SQLite
import SurveyEngine

extension SurveyStore {
    /// Counts, per group, the responses to `questionnaireID` in each measure's base and how many
    /// of those are satisfied (with Σw, Σw² and Σw·satisfied when `weighted`; a response without
    /// a weight counts as 1), read from the analysis table in one pass: one narrow row per
    /// response, whatever the number of measures. Each response is read by the measures of its
    /// own questionnaire version. Returns counts by measure id, groups in key order.
    public func measureCounts(questionnaireID: String, measureIDs: [String], grouping: ResponseGrouping,
                              filter: ResponseFilter, weighted: Bool) throws(SurveyStoreError) -> [String: [GroupCount]] {
        try run("count measures") {
            var result = Dictionary(uniqueKeysWithValues: measureIDs.map { ($0, [GroupCount]()) })
            guard !measureIDs.isEmpty,
                  let questionnaire = try db.scalar("SELECT id FROM analysis_labels WHERE text = ?", [questionnaireID]).int64 else { return result }
            var conditions = ["questionnaire = ?"]
            var parameters: [SQLBindable] = [questionnaire]
            if !filter.includePartial { conditions.append("complete = 1") }
            if let from = filter.from.flatMap(DateText.dayNumber) { conditions.append("day >= ?"); parameters.append(from) }
            if let to = filter.to.flatMap(DateText.dayNumber) { conditions.append("day <= ?"); parameters.append(to) }
            if grouping.isCaseAttribute || filter.withCaseOnly { conditions.append("stage IS NOT NULL") }
            if let borough = filter.borough {
                // A borough with no label has no responses: nothing to count.
                guard let label = try db.scalar("SELECT id FROM analysis_labels WHERE text = ?", [borough]).int64 else { return result }
                conditions.append("borough = ?")
                parameters.append(label)
            }
            // Only the columns the grouping needs, so each row costs SQLite as little as it can
            // (the day as well, for a window of the latest months).
            let groupColumn: String
            switch grouping {
            case .all: groupColumn = "0"
            case .borough, .ward, .mode, .stage, .outcome, .channel: groupColumn = grouping.rawValue
            case .month, .quarter: groupColumn = "day"
            case .repeat: groupColumn = "repeat_victim"
            case .vulnerable: groupColumn = "vulnerable"
            case .caseReview: groupColumn = "case_review"
            case .caseReviewEligible: groupColumn = Self.caseReviewEligibility(filter)
            }
            if filter.caseReviewEligibleOnly { conditions.append(Self.caseReviewEligibility(filter)) }
            if grouping == .caseReviewEligible || filter.caseReviewEligibleOnly, !filter.caseReviewWindow.isSixMonths,
               try db.scalar("SELECT EXISTS (SELECT 1 FROM case_events WHERE action = 'complaint')").int64 != 1 {
                throw SurveyStoreError.noDatedComplaints(window: filter.caseReviewWindow)
            }
            let latest = filter.latestMonths
            var aggregate = MeasureAggregate(measures: measureIDs.count)
            if analysisCellsEnabled, Self.cellsAnswer(grouping: grouping, filter: filter) {
                try addCells(to: &aggregate, questionnaire: questionnaire, measureIDs: measureIDs, grouping: grouping, filter: filter)
            } else {
                try addRows(to: &aggregate, conditions: conditions, parameters: parameters, groupColumn: groupColumn,
                            measureIDs: measureIDs, grouping: grouping, weighted: weighted, latest: latest)
            }
            if let latest { aggregate = aggregate.keepingLatestMonths(latest) }
            let labels = grouping == .borough || grouping == .ward ? try labelTexts() : [:]
            let groups = aggregate.keys.map { key in (key, Self.groupLabel(key, grouping: grouping, labels: labels, filter: filter)) }
            // Case attributes in their own order (the escalation ladder from none up), others by name.
            let order = grouping.isCaseAttribute ? groups.indices.sorted { groups[$0].0 < groups[$1].0 } : groups.indices.sorted { groups[$0].1 < groups[$1].1 }
            for (k, id) in measureIDs.enumerated() {
                result[id] = order.compactMap { g in aggregate.count(group: g, measure: k, label: groups[g].1, weighted: weighted) }
            }
            return result
        }
    }

    /// Whether the maintained cells answer these counts: complete responses only, with no case
    /// condition, grouped by nothing, borough, month or quarter over any range, or by ward or
    /// mode over whole calendar months (their cells are monthly; part-months scan the rows).
    static func cellsAnswer(grouping: ResponseGrouping, filter: ResponseFilter) -> Bool {
        guard !filter.withCaseOnly, !filter.caseReviewEligibleOnly, !filter.includePartial else { return false }
        switch grouping {
        case .all, .borough, .month, .quarter: return true
        case .ward, .mode:
            return CellRangeSplit(from: filter.from.flatMap(DateText.dayNumber).map(Int64.init),
                                  to: filter.to.flatMap(DateText.dayNumber).map(Int64.init)).days.isEmpty
        default: return false
        }
    }

    /// The counts from the maintained cells, added into `aggregate` as the row scan would add
    /// them (a cell's day, borough or ward of −1 is a row's NULL): the whole calendar months of
    /// the range from the month cells (by ward or mode, the ward and mode month cells), the days
    /// either side of them from the day cells.
    private func addCells(to aggregate: inout MeasureAggregate, questionnaire: Int64, measureIDs: [String],
                          grouping: ResponseGrouping, filter: ResponseFilter) throws {
        var borough: Int64?
        if let name = filter.borough {
            guard let label = try db.scalar("SELECT id FROM analysis_labels WHERE text = ?", [name]).int64 else { return }
            borough = label
        }
        let from = filter.from.flatMap(DateText.dayNumber).map(Int64.init)
        let to = filter.to.flatMap(DateText.dayNumber).map(Int64.init)
        let latest = filter.latestMonths
        let dimension = CellDimension(grouping)
        var measureOfSlot: [Int64: [Int: Int]] = [:]
        /// Adds the cells of `table` whose date column lies in [low, high] (either open), −1 (no
        /// date) only when neither bound is given.
        func add(_ table: AnalysisCellTable, low: Int64?, high: Int64?, unbounded: Bool) throws {
            let date = table.name == AnalysisCellTable.days.name ? "day" : "month"
            // Slot −1 (every response) as well for a window of the latest months: the window ends
            // with the latest month of any response, as a scan of the rows finds it.
            var conditions = ["questionnaire = ?", "n > 0", latest == nil ? "slot >= 0" : "slot >= -1"]
            var parameters: [SQLBindable] = [questionnaire]
            // Day cells count complete responses only; the condition is the key's second column.
            if table.name == AnalysisCellTable.days.name { conditions.append("complete = 1") }
            // The ward and mode cells: the dimension is the key's second column.
            if let dimension, table.name == AnalysisCellTable.groups.name { conditions.append("dimension = \(dimension.rawValue)") }
            if !unbounded { conditions.append("\(date) >= 0") }
            if let low { conditions.append("\(date) >= ?"); parameters.append(low) }
            if let high { conditions.append("\(date) <= ?"); parameters.append(high) }
            if let borough { conditions.append("borough = ?"); parameters.append(borough) }
            let group: String
            switch grouping {
            case .borough: group = "borough"
            case .month, .quarter: group = date
            case .ward, .mode: group = "value"
            default: group = "0"
            }
            let byDay = latest != nil && group != date
            // Every cell in the range, in key order, added up here: a GROUP BY would sort them
            // first, three times the cost of reading them (100,000 cells: 140 ms against 35).
            let sql = """
                SELECT version_id, slot, \(group) AS g\(byDay ? ", \(date)" : ""), n, satisfied, sw, sw2, swy FROM \(table.name)
                WHERE \(conditions.joined(separator: " AND "))
                """
            try db.prepare(sql).forEach(parameters) { row in
                let version = row.int64(at: 0)
                if measureOfSlot[version] == nil {
                    let layout = try layout(versionID: version).layout
                    measureOfSlot[version] = Dictionary(uniqueKeysWithValues: measureIDs.enumerated().compactMap { k, id in layout.index(of: id).map { ($0, k) } })
                }
                let slot = Int(row.int64(at: 1))
                let raw = max(-1, row.int64(at: 2))
                let key = Self.groupKey(raw, day: byDay ? row.int64(at: 3) : raw, grouping: grouping, latestMonths: latest != nil)
                if slot == -1 { return aggregate.touch(key: key) }
                guard let measure = measureOfSlot[version]?[slot] else { return }
                let columns = byDay ? 4 : 3
                aggregate.add(key: key, measure: measure, n: Int(row.int64(at: columns)), satisfied: Int(row.int64(at: columns + 1)),
                              sumOfWeights: row.double(at: columns + 2), sumOfSquaredWeights: row.double(at: columns + 3), weightedSatisfied: row.double(at: columns + 4))
            }
        }
        let unbounded = from == nil && to == nil
        let split = CellRangeSplit(from: from, to: to)
        if let months = split.months { try add(dimension == nil ? .months : .groups, low: months.first, high: months.last, unbounded: unbounded) }
        for days in split.days { try add(.days, low: days.from, high: days.to, unbounded: false) }
    }

    /// The aggregation key of a row or cell whose group column holds `raw` (−1: not recorded):
    /// for months and quarters, `raw` is a day and becomes a month or quarter number; for a
    /// window of the latest months, the group and the month of `day` (0 when −1) together
    /// (`group << 20 | year·12 + month`), the window being chosen once the latest month is known.
    static func groupKey(_ raw: Int64, day: Int64, grouping: ResponseGrouping, latestMonths: Bool) -> Int64 {
        var key = raw
        if key >= 0, grouping == .month || grouping == .quarter {
            let date = DateText.civilDate(days: Int(key))
            key = grouping == .month ? Int64(date.year * 12 + date.month - 1) : Int64(date.year * 4 + (date.month - 1) / 3)
        }
        guard latestMonths else { return key }
        let month: Int64
        if day < 0 { month = 0 } else {
            let date = DateText.civilDate(days: Int(day))
            month = Int64(date.year * 12 + date.month)
        }
        return key << 20 | month
    }

    /// The counts from a scan of the analysis table's rows, added into `aggregate`.
    private func addRows(to aggregate: inout MeasureAggregate, conditions: [String], parameters: [SQLBindable], groupColumn: String,
                         measureIDs: [String], grouping: ResponseGrouping, weighted: Bool, latest: Int?) throws {
            // A plain scan in row order: going through the day index reads the table in day order,
            // which is not the order rows were written, and took 7 times as long for a window
            // of 18 months out of 24.
            let sql = "SELECT version_id, \(groupColumn), weight, states\(latest == nil ? "" : ", day") FROM analysis_responses NOT INDEXED WHERE \(conditions.joined(separator: " AND "))"

            var lastVersion: Int64 = .min
            var slots: [Int] = []
            try db.prepare(sql).forEach(parameters) { row in
                let version = row.int64(at: 0)
                if version != lastVersion {
                    let layout = try layout(versionID: version).layout
                    slots = measureIDs.map { layout.index(of: $0) ?? -1 }
                    lastVersion = version
                }
                let raw: Int64 = row.isNull(at: 1) ? -1 : row.int64(at: 1)
                let day: Int64 = latest == nil || row.isNull(at: 4) ? -1 : row.int64(at: 4)
                let key = Self.groupKey(raw, day: day, grouping: grouping, latestMonths: latest != nil)
                let weight = weighted && !row.isNull(at: 2) ? row.double(at: 2) : 1
                aggregate.add(key: key, states: UInt64(bitPattern: row.int64(at: 3)), slots: slots, weight: weight)
            }
    }

    /// The latest completion day among complete responses to `questionnaireID`, as `YYYY-MM-DD`:
    /// the last day in the questionnaire's key range of the maintained cells (slot −1 counts
    /// every response), where a scan of the analysis table took a quarter of a second for a
    /// million responses and an index on the day would cost every save a random insert.
    public func latestCompletionDate(questionnaireID: String) throws(SurveyStoreError) -> String? {
        try run("find the latest response date") {
            // Slot −1 of the cells counts every response; the key starts questionnaire, complete, day.
            guard let day = try db.scalar("""
                SELECT max(c.day) FROM analysis_cells c JOIN analysis_labels q ON q.id = c.questionnaire
                WHERE q.text = ? AND c.complete = 1 AND c.slot = -1 AND c.n > 0 AND c.day >= 0
                """, [questionnaireID]).int64 else { return nil }
            let date = DateText.civilDate(days: Int(day))
            return String(format: "%04d-%02d-%02d", date.year, date.month, date.day)
        }
    }

    /// Every label by id.
    private func labelTexts() throws -> [Int64: String] {
        var labels: [Int64: String] = [:]
        try db.prepare("SELECT id, text FROM analysis_labels").forEach { labels[$0.int64(at: 0)] = $0.value(at: 1).string ?? "" }
        return labels
    }

    /// The text of a group key, as analysis shows it.
    /// The SQL expression, over `analysis_responses`, that is 1 for a victim at or over the Case
    /// Review threshold, 0 under it (NULL where six months' complaints were not recorded). Six
    /// months reads `complaints` (the export's `complaints_6m`); another window takes, for each
    /// case, the most `complaint` events dated within one span of that length starting at one of
    /// them (a span [d, d + window)), through the response's invitation. Both values put in the
    /// SQL are numbers and a modifier made from an enum, never text from a request.
    static func caseReviewEligibility(_ filter: ResponseFilter) -> String {
        let threshold = filter.caseReviewThreshold
        guard !filter.caseReviewWindow.isSixMonths else { return "(complaints >= \(threshold))" }
        return """
            (response_id IN (SELECT r.id FROM responses r JOIN invitations i ON i.id = r.invitation_id
             WHERE i.case_ref IN (SELECT e1.case_ref FROM case_events e1 WHERE e1.action = 'complaint' AND
              (SELECT count(*) FROM case_events e2 WHERE e2.case_ref = e1.case_ref AND e2.action = 'complaint'
               AND e2.date >= e1.date AND e2.date < date(e1.date, '\(filter.caseReviewWindow.sqliteModifier)')) >= \(threshold))))
            """
    }

    static func groupLabel(_ key: Int64, grouping: ResponseGrouping, labels: [Int64: String], filter: ResponseFilter = ResponseFilter()) -> String {
        switch grouping {
        case .all: return "all"
        case .borough, .ward: return key < 0 ? "(not recorded)" : labels[key] ?? "(not recorded)"
        case .month: return key < 0 ? "" : String(format: "%04d-%02d", key / 12, key % 12 + 1)
        case .quarter: return key < 0 ? "" : String(format: "%04d-Q%d", key / 4, key % 4 + 1)
        case .mode: return ResponseMode.fromAnalysisCode(Int(key))?.rawValue ?? "?"
        case .stage: return EscalationStage.fromAnalysisCode(Int(key))?.rawValue ?? "(not recorded)"
        case .outcome: return CaseOutcome.fromAnalysisCode(Int(key))?.rawValue ?? "(not recorded)"
        case .channel: return CaseChannel.fromAnalysisCode(Int(key))?.rawValue ?? "(not recorded)"
        case .caseReview: return CaseReviewState.fromAnalysisCode(Int(key))?.rawValue ?? "(not recorded)"
        case .repeat: return key < 0 ? "(not recorded)" : key == 1 ? "repeat victim" : "not a repeat victim"
        case .vulnerable: return key < 0 ? "(not recorded)" : key == 1 ? "vulnerable victim" : "not assessed vulnerable"
        case .caseReviewEligible:
            let threshold = filter.caseReviewThreshold
            return key < 0 ? "(complaints not recorded)" : key == 1 ? "\(threshold) or more complaints in \(filter.caseReviewWindow.words)"
                : threshold == 1 ? "no complaints" : "fewer than \(threshold) complaints"
        }
    }
}

/// Running counts per (group, measure) while analysis rows stream out of SQLite.
struct MeasureAggregate {
    private struct Cell {
        var n = 0
        var satisfied = 0
        var sumOfWeights = 0.0
        var sumOfSquaredWeights = 0.0
        var weightedSatisfied = 0.0
    }

    private let measures: Int
    private var indexByKey: [Int64: Int] = [:]
    /// Group index + 1 (0: none yet) for keys in 0..<`denseKeys` (label ids, codes, months),
    /// looked up without hashing: a ward changes on almost every row of a scan.
    private var denseIndex: [Int32] = []
    private static let denseKeys: Int64 = 1 << 16
    private(set) var keys: [Int64] = []
    private var cells: [Cell] = []
    private var lastKey: Int64 = .min
    private var lastIndex = -1

    init(measures: Int) { self.measures = measures }

    /// The index of group `key`, made when new.
    private mutating func group(_ key: Int64) -> Int {
        let group: Int
        if key == lastKey {
            group = lastIndex
        } else if key >= 0, key < Self.denseKeys {
            if denseIndex.isEmpty { denseIndex = Array(repeating: 0, count: Int(Self.denseKeys)) }
            let stored = Int(denseIndex[Int(key)])
            if stored > 0 {
                group = stored - 1
            } else {
                group = newGroup(key)
                denseIndex[Int(key)] = Int32(group + 1)
            }
        } else if let existing = indexByKey[key] {
            group = existing
        } else {
            group = newGroup(key)
            indexByKey[key] = group
        }
        lastKey = key
        lastIndex = group
        return group
    }

    /// Appends group `key` with empty cells and returns its index.
    private mutating func newGroup(_ key: Int64) -> Int {
        keys.append(key)
        cells.append(contentsOf: repeatElement(Cell(), count: measures))
        return keys.count - 1
    }

    /// Adds a maintained cell: `n` responses in measure `measure`'s base in group `key`, of
    /// which `satisfied` are satisfied, with their weight sums.
    /// Makes the group of `key` known without counting anything in it (it has responses, none
    /// in a measure's base), as a row outside every base does in a scan.
    mutating func touch(key: Int64) {
        _ = group(key)
    }

    mutating func add(key: Int64, measure: Int, n: Int, satisfied: Int, sumOfWeights: Double, sumOfSquaredWeights: Double, weightedSatisfied: Double) {
        let i = group(key) * measures + measure
        cells[i].n += n
        cells[i].satisfied += satisfied
        cells[i].sumOfWeights += sumOfWeights
        cells[i].sumOfSquaredWeights += sumOfSquaredWeights
        cells[i].weightedSatisfied += weightedSatisfied
    }

    /// Adds one response in group `key`: for each measure whose slot (−1: not in this version)
    /// holds a state in the base, to that measure's cell.
    mutating func add(key: Int64, states: UInt64, slots: [Int], weight: Double) {
        let group = group(key)
        for (measure, slot) in slots.enumerated() where slot >= 0 {
            let state = (states >> (2 * UInt64(slot))) & 3
            guard state >= MeasureState.notSatisfied.rawValue else { continue }
            let i = group * measures + measure
            cells[i].n += 1
            cells[i].sumOfWeights += weight
            cells[i].sumOfSquaredWeights += weight * weight
            if state == MeasureState.satisfied.rawValue {
                cells[i].satisfied += 1
                cells[i].weightedSatisfied += weight
            }
        }
    }

    /// For keys made of a group and a month (`group << 20 | year·12 + month`): the cells of the
    /// `months` months ending with the latest month seen, added up by group.
    func keepingLatestMonths(_ months: Int) -> MeasureAggregate {
        let mask: Int64 = (1 << 20) - 1
        let latest = keys.map { $0 & mask }.max() ?? 0
        var kept = MeasureAggregate(measures: measures)
        for (index, key) in keys.enumerated() where key & mask > latest - Int64(months) && key & mask > 0 {
            let group = key >> 20
            let target: Int
            if let existing = kept.indexByKey[group] {
                target = existing
            } else {
                target = kept.keys.count
                kept.keys.append(group)
                kept.indexByKey[group] = target
                kept.cells.append(contentsOf: repeatElement(Cell(), count: measures))
            }
            for measure in 0..<measures {
                let from = cells[index * measures + measure]
                kept.cells[target * measures + measure].n += from.n
                kept.cells[target * measures + measure].satisfied += from.satisfied
                kept.cells[target * measures + measure].sumOfWeights += from.sumOfWeights
                kept.cells[target * measures + measure].sumOfSquaredWeights += from.sumOfSquaredWeights
                kept.cells[target * measures + measure].weightedSatisfied += from.weightedSatisfied
            }
        }
        return kept
    }

    /// The count of group `group` on measure `measure`, nil when empty.
    func count(group: Int, measure: Int, label: String, weighted: Bool) -> GroupCount? {
        let cell = cells[group * measures + measure]
        guard cell.n > 0 else { return nil }
        return GroupCount(group: label, n: cell.n, satisfied: cell.satisfied,
                          sumOfWeights: weighted ? cell.sumOfWeights : nil,
                          sumOfSquaredWeights: weighted ? cell.sumOfSquaredWeights : nil,
                          weightedSatisfied: weighted ? cell.weightedSatisfied : nil)
    }
}
