/// Splits functions into units of contiguous index ranges, about `targetBytes` of C each, so that call-graph
/// neighbours (which usually sit next to each other) share a unit and can be inlined.
///
/// Where a unit ends is decided by each function on its own, not by the sizes of everything before it: a unit
/// ends after a function with a probability proportional to the function's size, drawn from a hash of its
/// index (content-defined chunking, as rsync and backup tools cut files). Why: a module rebuilt with one
/// function changed must give the same units everywhere else, so their objects come from the cache
/// (BuildPlan's unit objects). Filling units greedily up to a size, as before, moved every later boundary
/// when one function grew by a byte. Two bounds keep units useful and a huge function alone; each depends on
/// the sizes since the last boundary only, so a change moves at most the boundaries up to the next one both
/// versions share. Deterministic: the same functions give the same units, whatever the number of jobs.
enum UnitPartitioner {
    struct Unit: Equatable {
        var firstIndex: Int
        var functions: [String]
    }

    /// A unit's file name: by its first function, so that a unit keeps its name when another one splits.
    static func fileName(firstFunction index: Int) -> String {
        "funcs_" + String(repeating: "0", count: max(0, 3 - String(index).count)) + String(index) + ".c"
    }

    /// `functions[i]` is the function of index `firstIndex + i`.
    static func partition(_ functions: [String], firstIndex: Int, targetBytes: Int = 256 * 1024) -> [Unit] {
        ranges(functions.map(\.utf8.count), firstIndex: firstIndex, targetBytes: targetBytes).map { range in
            Unit(firstIndex: firstIndex + range.lowerBound, functions: Array(functions[range]))
        }
    }

    /// The units of functions of these sizes (C bytes), as ranges of their positions.
    static func ranges(_ sizes: [Int], firstIndex: Int, targetBytes: Int = 256 * 1024) -> [Range<Int>] {
        // A unit's expected size is about minimum + scale; at least `minimum` unless a huge function follows,
        // at most about `maximum` (the largest units are what a parallel build waits for last).
        let minimum = targetBytes / 2
        let scale = Double(targetBytes - minimum)
        let maximum = targetBytes * 2
        var units: [Range<Int>] = []
        var start = 0
        var size = 0
        for (i, bytes) in sizes.enumerated() {
            // A function of a unit's size or more starts its own: it compiles longest, and with nothing before
            // it, a change to its neighbours leaves its object alone.
            if size > 0, bytes >= targetBytes {
                units.append(start..<i)
                start = i
                size = 0
            }
            size += bytes
            if size >= maximum || (size >= minimum && draw(firstIndex + i) < Double(bytes) / scale) {
                units.append(start..<i + 1)
                start = i + 1
                size = 0
            }
        }
        if start < sizes.count { units.append(start..<sizes.count) }
        return units
    }

    /// A number in [0, 1) fixed by the function's index (splitmix64's finalizer).
    static func draw(_ index: Int) -> Double {
        var z = UInt64(truncatingIfNeeded: index) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }
}
