/// The span in which a victim's complaints are counted for the ASB Case Review: six months by
/// default (the export's `complaints_6m`), or any number of days, months or years, counted from
/// the victim's dated complaints (case events whose action is `complaint`).
public struct CaseReviewWindow: Equatable, Sendable, CustomStringConvertible {
    public enum Unit: String, Sendable { case days = "d", months = "m", years = "y" }

    public let amount: Int
    public let unit: Unit

    public init(amount: Int, unit: Unit) {
        self.amount = amount
        self.unit = unit
    }

    /// Six months: the window of `complaints_6m`, and the law's default.
    public static let sixMonths = CaseReviewWindow(amount: 6, unit: .months)

    /// Parses `6m`, `90d`, `1y`: a whole number from 1 (at most 3,660 days, 120 months or 10
    /// years) and a unit; nil for anything else.
    public init?(_ text: String) {
        guard let last = text.last, let unit = Unit(rawValue: String(last).lowercased()),
              let amount = Int(text.dropLast()), amount >= 1 else { return nil }
        let most: Int
        switch unit {
        case .days: most = 3660
        case .months: most = 120
        case .years: most = 10
        }
        guard amount <= most else { return nil }
        self.init(amount: amount, unit: unit)
    }

    /// Whether this is the six months the export counts (a year's half, however written).
    public var isSixMonths: Bool { unit == .months && amount == 6 }

    /// The SQLite date modifier that moves a date forward by the window (`+6 months`).
    var sqliteModifier: String {
        switch unit {
        case .days: return "+\(amount) days"
        case .months: return "+\(amount) months"
        case .years: return "+\(amount) years"
        }
    }

    /// `6m`, `90d`, `1y`.
    public var description: String { "\(amount)\(unit.rawValue)" }

    /// "6 months", "90 days", "1 year", for sentences.
    public var words: String {
        let name: String
        switch unit {
        case .days: name = "day"
        case .months: name = "month"
        case .years: name = "year"
        }
        return "\(amount) \(name)\(amount == 1 ? "" : "s")"
    }
}
