/// Splits functions into units of contiguous index ranges, each about `targetBytes` of C, so that call-graph
/// neighbours (which usually sit next to each other) share a unit and can be inlined. Deterministic: the
/// same functions always give the same units, whatever the number of jobs.
enum UnitPartitioner {
    static func partition(_ functions: [String], targetBytes: Int) -> [[String]] {
        var units: [[String]] = []
        var current: [String] = []
        var size = 0
        for function in functions {
            if size > 0, size + function.utf8.count > targetBytes {
                units.append(current)
                current = []
                size = 0
            }
            current.append(function)
            size += function.utf8.count
        }
        if !current.isEmpty { units.append(current) }
        return units
    }
}
