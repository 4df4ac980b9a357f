/// Adjustments for many tests at once.
public enum MultipleComparisons {
    /// Benjamini–Hochberg (1995) adjusted p-values, in the input order:
    /// p̃(i) = min over j ≥ i of min(1, m·p(j)/j), for p sorted ascending.
    public static func benjaminiHochberg(_ pValues: [Double]) -> [Double] {
        let m = Double(pValues.count)
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var adjusted = [Double](repeating: 1, count: pValues.count)
        var running = 1.0
        for rank in stride(from: order.count - 1, through: 0, by: -1) {
            let index = order[rank]
            running = min(running, pValues[index] * m / Double(rank + 1))
            adjusted[index] = min(1, running)
        }
        return adjusted
    }
}
