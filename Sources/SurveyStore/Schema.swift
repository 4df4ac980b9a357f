import SQLite

/// The store's schema as numbered migrations. Never edit a migration that has shipped: add one.
enum Schema {
    static var migrator: Migrator {
        var migrator = Migrator()
        migrator.register(.init(number: 1, name: "questionnaires, invitations, responses, answers", sql: """
            CREATE TABLE questionnaire_versions(
                id INTEGER PRIMARY KEY,
                questionnaire_id TEXT NOT NULL,
                version INTEGER NOT NULL CHECK (version >= 1),
                declared_version TEXT NOT NULL,
                title TEXT NOT NULL,
                definition TEXT NOT NULL,
                hash TEXT NOT NULL,
                published_at TEXT NOT NULL,
                UNIQUE (questionnaire_id, version),
                UNIQUE (questionnaire_id, hash));
            CREATE TABLE invitations(
                id INTEGER PRIMARY KEY,
                token_hash TEXT NOT NULL UNIQUE,
                questionnaire_id TEXT NOT NULL,
                case_ref TEXT NOT NULL,
                borough TEXT NOT NULL,
                ward TEXT,
                repeat_victim INTEGER NOT NULL DEFAULT 0 CHECK (repeat_victim IN (0, 1)),
                vulnerable INTEGER NOT NULL DEFAULT 0 CHECK (vulnerable IN (0, 1)),
                created_at TEXT NOT NULL);
            CREATE INDEX invitations_by_case ON invitations(case_ref);
            CREATE TABLE responses(
                id INTEGER PRIMARY KEY,
                questionnaire_version_id INTEGER NOT NULL REFERENCES questionnaire_versions(id),
                status TEXT NOT NULL CHECK (status IN ('partial', 'complete')),
                mode TEXT NOT NULL CHECK (mode IN ('terminal', 'web', 'import')),
                administration TEXT NOT NULL DEFAULT 'self' CHECK (administration IN ('self', 'interviewer')),
                language TEXT NOT NULL DEFAULT 'en',
                invitation_id INTEGER UNIQUE REFERENCES invitations(id),
                case_ref TEXT,
                borough TEXT,
                ward TEXT,
                weight REAL CHECK (weight IS NULL OR weight > 0),
                position TEXT,
                started_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                completed_at TEXT,
                CHECK ((status = 'complete') = (completed_at IS NOT NULL)));
            CREATE INDEX responses_by_version ON responses(questionnaire_version_id, status);
            CREATE TABLE answers(
                response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
                question_id TEXT NOT NULL,
                ordinal INTEGER NOT NULL DEFAULT 0,
                value TEXT NOT NULL,
                number REAL,
                PRIMARY KEY (response_id, question_id, ordinal)) WITHOUT ROWID;
            """))
        migrator.register(.init(number: 2, name: "settings and web sessions", sql: """
            CREATE TABLE settings(
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL) WITHOUT ROWID;
            CREATE TABLE web_sessions(
                token_hash TEXT PRIMARY KEY,
                response_id INTEGER NOT NULL UNIQUE REFERENCES responses(id),
                created_at TEXT NOT NULL) WITHOUT ROWID;
            """))
        migrator.register(.init(number: 3, name: "response revisions", sql: """
            ALTER TABLE responses ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
            """))
        // Positions were stored as the bare question id or 'review', so a question called
        // `review` read back as the review page. Questions now carry a `q:` prefix (see
        // `StoredPosition`); an existing 'review' is taken as the review page, which is where
        // such a respondent can see and change every answer.
        migrator.register(.init(number: 4, name: "unambiguous interview positions", sql: """
            UPDATE responses SET position = 'q:' || position WHERE position IS NOT NULL AND position <> 'review';
            """))
        // The analysis table: one row per response, derived (see `AnalysisRow`). The migration
        // makes the tables and asks for a rebuild, which the store runs once it has migrated
        // (working out rows needs each questionnaire version's measures). Case attributes will
        // be added as columns by a later migration that asks for a rebuild the same way.
        migrator.register(.init(number: 5, name: "analysis table", sql: """
            CREATE TABLE analysis_labels(
                id INTEGER PRIMARY KEY,
                text TEXT NOT NULL UNIQUE);
            CREATE TABLE analysis_responses(
                response_id INTEGER PRIMARY KEY REFERENCES responses(id) ON DELETE CASCADE,
                -- The columns every count reads come first: SQLite decodes a row's header only
                -- as far as the last column asked for.
                questionnaire INTEGER NOT NULL REFERENCES analysis_labels(id),
                complete INTEGER NOT NULL CHECK (complete IN (0, 1)),
                version_id INTEGER NOT NULL REFERENCES questionnaire_versions(id),
                states INTEGER NOT NULL,
                weight REAL,
                day INTEGER,
                borough INTEGER REFERENCES analysis_labels(id),
                ward INTEGER REFERENCES analysis_labels(id),
                mode INTEGER NOT NULL,
                administration INTEGER NOT NULL,
                language INTEGER NOT NULL REFERENCES analysis_labels(id),
                invited INTEGER NOT NULL CHECK (invited IN (0, 1)),
                repeat_victim INTEGER,
                vulnerable INTEGER);
            INSERT OR REPLACE INTO settings(key, value) VALUES ('analysis_rebuild', 'needed');
            """))
        // Case records from a case-management system, and the case attributes as dimensions of
        // the analysis table. The table is derived, so it is made anew with the case columns
        // among the ones counts read (a column added at the end would make every row's header be
        // decoded to its end) and rebuilt from the answers when the store opens.
        migrator.register(.init(number: 6, name: "cases", sql: """
            CREATE TABLE cases(
                case_ref TEXT PRIMARY KEY,
                borough_code TEXT NOT NULL,
                borough TEXT NOT NULL,
                ward TEXT,
                opened TEXT NOT NULL,
                closed TEXT,
                channel TEXT NOT NULL,
                repeat_victim INTEGER NOT NULL CHECK (repeat_victim IN (0, 1)),
                vulnerable_victim INTEGER NOT NULL CHECK (vulnerable_victim IN (0, 1)),
                highest_stage TEXT NOT NULL,
                outcome TEXT NOT NULL,
                complaints_6m INTEGER,
                case_review TEXT,
                do_not_contact INTEGER NOT NULL DEFAULT 0 CHECK (do_not_contact IN (0, 1)),
                days_to_first_action INTEGER,
                days_open INTEGER,
                updated_at TEXT NOT NULL) WITHOUT ROWID;
            CREATE INDEX cases_by_closed ON cases(closed);
            CREATE TABLE case_events(
                case_ref TEXT NOT NULL REFERENCES cases(case_ref) ON DELETE CASCADE,
                date TEXT NOT NULL,
                action TEXT NOT NULL);
            CREATE INDEX case_events_by_case ON case_events(case_ref);
            DROP TABLE analysis_responses;
            CREATE TABLE analysis_responses(
                response_id INTEGER PRIMARY KEY REFERENCES responses(id) ON DELETE CASCADE,
                questionnaire INTEGER NOT NULL REFERENCES analysis_labels(id),
                complete INTEGER NOT NULL CHECK (complete IN (0, 1)),
                version_id INTEGER NOT NULL REFERENCES questionnaire_versions(id),
                states INTEGER NOT NULL,
                weight REAL,
                day INTEGER,
                borough INTEGER REFERENCES analysis_labels(id),
                ward INTEGER REFERENCES analysis_labels(id),
                mode INTEGER NOT NULL,
                stage INTEGER,
                outcome INTEGER,
                channel INTEGER,
                case_review INTEGER,
                complaints INTEGER,
                days_to_first_action INTEGER,
                repeat_victim INTEGER,
                vulnerable INTEGER,
                administration INTEGER NOT NULL,
                language INTEGER NOT NULL REFERENCES analysis_labels(id),
                invited INTEGER NOT NULL CHECK (invited IN (0, 1)));
            INSERT OR REPLACE INTO settings(key, value) VALUES ('analysis_rebuild', 'needed');
            """))
        // A counter that moves whenever what analysis reads changes: a response's analysis row
        // added or removed, or changed while complete or becoming complete (a partial response's
        // answers, which analysis does not count, leave it alone). Triggers, so that every path
        // that writes the table (saves, imports, erasure, reindex) moves it, and one number,
        // comparable across connections, tells a cache of figures whether they are stale.
        migrator.register(.init(number: 7, name: "analysis generation", sql: """
            INSERT OR REPLACE INTO settings(key, value) VALUES ('analysis_generation', '0');
            CREATE TRIGGER analysis_generation_insert AFTER INSERT ON analysis_responses
            BEGIN UPDATE settings SET value = CAST(value AS INTEGER) + 1 WHERE key = 'analysis_generation'; END;
            CREATE TRIGGER analysis_generation_delete AFTER DELETE ON analysis_responses
            BEGIN UPDATE settings SET value = CAST(value AS INTEGER) + 1 WHERE key = 'analysis_generation'; END;
            CREATE TRIGGER analysis_generation_update AFTER UPDATE ON analysis_responses WHEN OLD.complete = 1 OR NEW.complete = 1
            BEGIN UPDATE settings SET value = CAST(value AS INTEGER) + 1 WHERE key = 'analysis_generation'; END;
            """))
        // Who did what to the data, and when: imports, exports, erasures, retention, invitations,
        // analyst sign-ins and backups. Never the content: the kind of thing and how many.
        migrator.register(.init(number: 8, name: "audit log", sql: """
            CREATE TABLE audit_log(
                id INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                subject TEXT NOT NULL,
                detail TEXT NOT NULL);
            CREATE INDEX audit_log_by_time ON audit_log(at);
            """))
        // Sufficient statistics of the analysis table for the counts analysts ask for most (per
        // borough, day or all): per questionnaire, completeness, day, borough, measure slot and
        // version, how many responses are in the measure's base and how many of them are
        // satisfied, and Σw, Σw² and Σw·satisfied (a response without a weight counts as 1). Kept by triggers, so every path that writes the analysis table (saves,
        // imports, erasure, retention, reindex, a case import) keeps them in the same transaction;
        // a dashboard reads about 100,000 cells instead of a million rows. `analysis_slots` lists
        // the 32 two-bit slots of `states`; a slot is in a measure's base when its state is 2
        // (not satisfied) or 3 (satisfied). Slot −1 counts every response, in a base or not (its
        // satisfied is always 0): the latest completion day reads it. `analysis_totals` counts the
        // responses of each version, complete or not, for the response counts.
        // The trigger bodies: add the new row to its cells, take the old row away from its own.
        let dayKeys: [CellKey] = [("questionnaire", { "\($0).questionnaire" }), ("complete", { "\($0).complete" }),
                                  ("day", { "coalesce(\($0).day, -1)" }), ("borough", { "coalesce(\($0).borough, -1)" })]
        let cellsAdd = addToCells("analysis_cells", dayKeys)
        let cellsTakeAway = takeFromCells("analysis_cells", dayKeys)
        migrator.register(.init(number: 9, name: "analysis cells", sql: """
            CREATE TABLE analysis_slots(slot INTEGER PRIMARY KEY);
            WITH RECURSIVE s(slot) AS (SELECT -1 UNION ALL SELECT slot + 1 FROM s WHERE slot < 31)
            INSERT INTO analysis_slots(slot) SELECT slot FROM s;
            CREATE TABLE analysis_cells(
                questionnaire INTEGER NOT NULL,
                complete INTEGER NOT NULL,
                day INTEGER NOT NULL,
                borough INTEGER NOT NULL,
                slot INTEGER NOT NULL,
                version_id INTEGER NOT NULL,
                n INTEGER NOT NULL,
                satisfied INTEGER NOT NULL,
                sw REAL NOT NULL,
                sw2 REAL NOT NULL,
                swy REAL NOT NULL,
                PRIMARY KEY (questionnaire, complete, day, borough, slot, version_id)) WITHOUT ROWID;
            INSERT INTO analysis_cells(questionnaire, complete, day, borough, slot, version_id, n, satisfied, sw, sw2, swy)
            \(SurveyStore.recomputedCells(withPartial: true));
            CREATE TABLE analysis_totals(
                version_id INTEGER NOT NULL,
                complete INTEGER NOT NULL,
                n INTEGER NOT NULL,
                PRIMARY KEY (version_id, complete)) WITHOUT ROWID;
            INSERT INTO analysis_totals(version_id, complete, n) \(SurveyStore.recomputedTotals);
            CREATE TRIGGER analysis_cells_insert AFTER INSERT ON analysis_responses
            BEGIN
                \(cellsAdd)
                INSERT INTO analysis_totals(version_id, complete, n) VALUES (NEW.version_id, NEW.complete, 1)
                    ON CONFLICT DO UPDATE SET n = n + 1;
            END;
            CREATE TRIGGER analysis_cells_delete AFTER DELETE ON analysis_responses
            BEGIN
                \(cellsTakeAway)
                UPDATE analysis_totals SET n = n - 1 WHERE version_id = OLD.version_id AND complete = OLD.complete;
            END;
            CREATE TRIGGER analysis_totals_update AFTER UPDATE OF version_id, complete ON analysis_responses
                WHEN OLD.version_id IS NOT NEW.version_id OR OLD.complete IS NOT NEW.complete
            BEGIN
                UPDATE analysis_totals SET n = n - 1 WHERE version_id = OLD.version_id AND complete = OLD.complete;
                INSERT INTO analysis_totals(version_id, complete, n) VALUES (NEW.version_id, NEW.complete, 1)
                    ON CONFLICT DO UPDATE SET n = n + 1;
            END;
            CREATE TRIGGER analysis_cells_update AFTER UPDATE OF questionnaire, complete, day, borough, version_id, states, weight ON analysis_responses
            BEGIN
                \(cellsTakeAway)
                \(cellsAdd)
            END;
            """))
        // The same sufficient statistics per calendar month, for complete responses only: a
        // dashboard's year is then 12 months of cells and the part-months at its ends, not 365
        // days of them. Saves of partial responses (most writes) pass the triggers' WHEN and
        // pay nothing for them. `month` is the day number of the month's first day (−1: no date);
        // slot −1 counts every response, as in the day cells.
        let month = { (row: String) in
            "CASE WHEN \(row).day IS NULL THEN -1 ELSE \(row).day - CAST(strftime('%d', \(row).day * 86400, 'unixepoch') AS INTEGER) + 1 END"
        }
        let monthKeys: [CellKey] = [("questionnaire", { "\($0).questionnaire" }), ("month", month), ("borough", { "coalesce(\($0).borough, -1)" })]
        let monthCellsAdd = addToCells("analysis_month_cells", monthKeys)
        let monthCellsTakeAway = takeFromCells("analysis_month_cells", monthKeys)
        // And the day cells from now on count complete responses only, as the month cells do:
        // what analysis reads without --include-partial (which scans the rows), so that saving a
        // partial response, the web form's every POST, pays for no cell at all.
        migrator.register(.init(number: 10, name: "analysis month cells", sql: """
            DROP TRIGGER analysis_cells_insert;
            DROP TRIGGER analysis_cells_delete;
            DROP TRIGGER analysis_cells_update;
            DELETE FROM analysis_cells WHERE complete = 0;
            CREATE TRIGGER analysis_totals_insert AFTER INSERT ON analysis_responses
            BEGIN
                INSERT INTO analysis_totals(version_id, complete, n) VALUES (NEW.version_id, NEW.complete, 1)
                    ON CONFLICT DO UPDATE SET n = n + 1;
            END;
            CREATE TRIGGER analysis_totals_delete AFTER DELETE ON analysis_responses
            BEGIN
                UPDATE analysis_totals SET n = n - 1 WHERE version_id = OLD.version_id AND complete = OLD.complete;
            END;
            \(completeCellTriggers("analysis_cells", add: cellsAdd, takeAway: cellsTakeAway))
            CREATE TABLE analysis_month_cells(
                questionnaire INTEGER NOT NULL,
                month INTEGER NOT NULL,
                borough INTEGER NOT NULL,
                slot INTEGER NOT NULL,
                version_id INTEGER NOT NULL,
                n INTEGER NOT NULL,
                satisfied INTEGER NOT NULL,
                sw REAL NOT NULL,
                sw2 REAL NOT NULL,
                swy REAL NOT NULL,
                PRIMARY KEY (questionnaire, month, borough, slot, version_id)) WITHOUT ROWID;
            INSERT INTO analysis_month_cells(questionnaire, month, borough, slot, version_id, n, satisfied, sw, sw2, swy)
            \(SurveyStore.recomputedMonthCells);
            \(completeCellTriggers("analysis_month_cells", add: monthCellsAdd, takeAway: monthCellsTakeAway))
            """))
        // A report's response rates count one borough's invitations: without an index that
        // starts with the borough, SQLite walked every case closed in the period (3 s for the
        // 1M demo's 1.3 million invitations).
        migrator.register(.init(number: 11, name: "invitations by borough", sql: """
            CREATE INDEX invitations_by_borough ON invitations(questionnaire_id, borough);
            """))
        // A bulk import now sets the analysis table's insert triggers aside for its own
        // transaction (`BulkInsertTriggers`) and writes what they would have, so the cells'
        // insert triggers no longer look up a setting on every insert.
        migrator.register(.init(number: 12, name: "cell insert triggers without the import setting", sql: """
            DROP TRIGGER analysis_cells_insert;
            DROP TRIGGER analysis_month_cells_insert;
            \(cellInsertTrigger("analysis_cells", add: cellsAdd))
            \(cellInsertTrigger("analysis_month_cells", add: monthCellsAdd))
            DELETE FROM settings WHERE key = 'analysis_cells_deferred';
            """))
        // Ward and mode month cells: the same statistics per calendar month, borough and ward
        // (dimension 1, `value` the ward's label, −1 for none) or mode (dimension 2, `value`
        // the mode's code), for complete responses. A comparison of wards or modes over whole
        // months then reads some 80,000 cells, however many responses there are, where a scan
        // of the rows grew with them (1M responses 0.24 s, 10M 2.4 s). Apart from the borough
        // cells, so a dashboard's reads of those stay as small as they were.
        let groupKeys = { (dimension: CellDimension, value: @escaping (String) -> String) -> [CellKey] in
            [("questionnaire", { "\($0).questionnaire" }), ("dimension", { _ in "\(dimension.rawValue)" }), ("month", month),
             ("borough", { "coalesce(\($0).borough, -1)" }), ("value", value)]
        }
        let wardKeys = groupKeys(.ward) { "coalesce(\($0).ward, -1)" }
        let modeKeys = groupKeys(.mode) { "\($0).mode" }
        migrator.register(.init(number: 13, name: "ward and mode month cells", sql: """
            \(cellTable(AnalysisCellTable.groups))
            INSERT INTO analysis_group_cells(questionnaire, dimension, month, borough, value, slot, version_id, n, satisfied, sw, sw2, swy)
            \(SurveyStore.recomputedGroupCells);
            \(cellTriggers("analysis_group_cells", add: addToCells("analysis_group_cells", wardKeys) + addToCells("analysis_group_cells", modeKeys),
                           takeAway: takeFromCells("analysis_group_cells", wardKeys) + takeFromCells("analysis_group_cells", modeKeys),
                           counted: "questionnaire, complete, day, borough, ward, mode, version_id, states, weight"))
            """))
        return migrator
    }

    /// The CREATE TABLE statement of a cells table made since migration 13: its integer key
    /// columns, then the sufficient statistics, keyed in that order without a rowid.
    private static func cellTable(_ table: AnalysisCellTable) -> String {
        let keys = table.keys.map { "    \($0) INTEGER NOT NULL," }.joined(separator: "\n")
        return """
            CREATE TABLE \(table.name)(
            \(keys)
                n INTEGER NOT NULL,
                satisfied INTEGER NOT NULL,
                sw REAL NOT NULL,
                sw2 REAL NOT NULL,
                swy REAL NOT NULL,
                PRIMARY KEY (\(table.keys.joined(separator: ", ")))) WITHOUT ROWID;
            """
    }

    /// The four triggers that keep `table` counting the complete analysis rows: an insert adds,
    /// a delete takes away, and an update of one of the `counted` columns does both (each only
    /// for a complete row, so a partial response's saves pass them by).
    private static func cellTriggers(_ table: String, add: String, takeAway: String, counted: String) -> String {
        cellInsertTrigger(table, add: add) + "\n" + cellChangeTriggers(table, add: add, takeAway: takeAway, counted: counted)
    }

    /// The triggers of `cellTriggers` as migration 10 made them: its insert trigger stood aside
    /// while an `analysis_cells_deferred` setting existed (migration 12 replaces it with
    /// `cellInsertTrigger`).
    private static func completeCellTriggers(_ table: String, add: String, takeAway: String) -> String {
        """
        CREATE TRIGGER \(table)_insert AFTER INSERT ON analysis_responses
            WHEN NEW.complete = 1 AND NOT EXISTS (SELECT 1 FROM settings WHERE key = 'analysis_cells_deferred')
        BEGIN \(add) END;
        \(cellChangeTriggers(table, add: add, takeAway: takeAway, counted: "questionnaire, complete, day, borough, version_id, states, weight"))
        """
    }

    /// The delete and update triggers of a cells table: a complete row deleted is taken away,
    /// and an update of a `counted` column takes the old row away and adds the new.
    private static func cellChangeTriggers(_ table: String, add: String, takeAway: String, counted: String) -> String {
        """
        CREATE TRIGGER \(table)_delete AFTER DELETE ON analysis_responses WHEN OLD.complete = 1
        BEGIN \(takeAway) END;
        CREATE TRIGGER \(table)_take_away AFTER UPDATE OF \(counted) ON analysis_responses WHEN OLD.complete = 1
        BEGIN \(takeAway) END;
        CREATE TRIGGER \(table)_add AFTER UPDATE OF \(counted) ON analysis_responses WHEN NEW.complete = 1
        BEGIN \(add) END;
        """
    }

    /// The trigger that adds each complete analysis row inserted to its cells of `table`.
    private static func cellInsertTrigger(_ table: String, add: String) -> String {
        """
        CREATE TRIGGER \(table)_insert AFTER INSERT ON analysis_responses WHEN NEW.complete = 1
        BEGIN \(add) END;
        """
    }

    /// A key column of a cells table and its value, an expression over a trigger's row (`NEW`
    /// or `OLD`); every cells table ends its key with slot and version.
    typealias CellKey = (column: String, value: (String) -> String)

    /// The trigger statement that adds `NEW` to its cells of `table`: slot −1 and every slot in
    /// a measure's base (state 2 or 3).
    private static func addToCells(_ table: String, _ keys: [CellKey]) -> String {
        """
        INSERT INTO \(table)(\(keys.map(\.column).joined(separator: ", ")), slot, version_id, n, satisfied, sw, sw2, swy)
            SELECT \(keys.map { $0.value("NEW") }.joined(separator: ", ")), slot, NEW.version_id,
                   1, ((NEW.states >> (2 * slot)) & 3) = 3, coalesce(NEW.weight, 1.0), coalesce(NEW.weight, 1.0) * coalesce(NEW.weight, 1.0),
                   iif(((NEW.states >> (2 * slot)) & 3) = 3, coalesce(NEW.weight, 1.0), 0.0)
            FROM analysis_slots WHERE slot = -1 OR ((NEW.states >> (2 * slot)) & 3) >= 2
            ON CONFLICT DO UPDATE SET n = n + 1, satisfied = satisfied + excluded.satisfied,
                sw = sw + excluded.sw, sw2 = sw2 + excluded.sw2, swy = swy + excluded.swy;
        """
    }

    /// The trigger statement that takes `OLD` away from the cells of `table` it was added to.
    private static func takeFromCells(_ table: String, _ keys: [CellKey]) -> String {
        """
        UPDATE \(table) SET n = n - 1, satisfied = satisfied - (((OLD.states >> (2 * slot)) & 3) = 3),
                sw = sw - coalesce(OLD.weight, 1.0), sw2 = sw2 - coalesce(OLD.weight, 1.0) * coalesce(OLD.weight, 1.0),
                swy = swy - iif(((OLD.states >> (2 * slot)) & 3) = 3, coalesce(OLD.weight, 1.0), 0.0)
            WHERE \(keys.map { "\($0.column) = \($0.value("OLD"))" }.joined(separator: " AND "))
              AND version_id = OLD.version_id AND (slot = -1 OR ((OLD.states >> (2 * slot)) & 3) >= 2);
        """
    }
}
