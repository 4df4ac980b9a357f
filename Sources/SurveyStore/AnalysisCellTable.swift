/// A maintained table of analysis cells: its key columns, what one of its cells is called in a
/// verification report, and how it is recomputed from the analysis rows.
struct AnalysisCellTable: Sendable {
    let name: String
    let noun: String
    let keys: [String]
    let recomputed: String

    /// Per day, complete or not (migration 9).
    static let days = AnalysisCellTable(name: "analysis_cells", noun: "analysis cell",
                                        keys: ["questionnaire", "complete", "day", "borough", "slot", "version_id"],
                                        recomputed: SurveyStore.recomputedCells())
    /// Per calendar month, complete responses only (migration 10).
    static let months = AnalysisCellTable(name: "analysis_month_cells", noun: "analysis month cell",
                                          keys: ["questionnaire", "month", "borough", "slot", "version_id"],
                                          recomputed: SurveyStore.recomputedMonthCells)
    /// Per calendar month, borough and ward or mode, complete responses only (migration 13).
    static let groups = AnalysisCellTable(name: "analysis_group_cells", noun: "ward or mode month cell",
                                          keys: ["questionnaire", "dimension", "month", "borough", "value", "slot", "version_id"],
                                          recomputed: SurveyStore.recomputedGroupCells)
}
