/// What the `value` of a ward and mode month cell (`analysis_group_cells`) is: the cells of
/// one dimension are read together, those of the other never.
enum CellDimension: Int64, Sendable, CaseIterable {
    /// `value` is the ward's label id, −1 for a response without a ward.
    case ward = 1
    /// `value` is the mode's analysis code.
    case mode = 2

    /// The dimension that answers `grouping`, if any.
    init?(_ grouping: ResponseGrouping) {
        switch grouping {
        case .ward: self = .ward
        case .mode: self = .mode
        default: return nil
        }
    }

    /// The analysis table's column that the dimension's `value` comes from.
    var column: String {
        switch self {
        case .ward: "coalesce(a.ward, -1)"
        case .mode: "a.mode"
        }
    }
}
