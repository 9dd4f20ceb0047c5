import Foundation

/// In which order, and grouped how, the C units of a split module are handed to the compiler.
///
/// Why: units are about 256 KiB of C each, but one huge function (an interpreter's dispatch loop: Lua's
/// `luaV_execute` is 630 KB of C) makes a unit alone that compiles several times longer than the others.
/// Started last, it would end the build alone; started first, the other jobs fill in beside it (longest
/// processing time first). At -O0, where a unit compiles in a fraction of a second, starting clang and
/// parsing the runtime headers once per unit costs about a third of the build (Lua: 37 units take 3.1 s of
/// CPU, the same functions in one translation unit 2.2 s), so there units are compiled a few at a time
/// through a file that includes them.
enum UnitSchedule {
    /// Indices of `sizes`, largest first; equal sizes in index order, so the order is deterministic.
    static func largestFirst(_ sizes: [Int]) -> [Int] {
        sizes.indices.sorted { sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : $0 < $1 }
    }

    /// Groups units into batches of consecutive units whose sizes are about equal: as many as `jobs`, or a
    /// multiple of it so no batch much exceeds `maxBytes` (a bound on one compiler's memory), and never more
    /// than there are units. A batch ends at the unit boundary nearest its share of the total.
    ///
    /// Consecutive rather than the best balance (largest unit first into the smallest batch, as before): a
    /// batch's object is kept by its C (BuildPlan's unit objects), and a unit that grows a little moves a
    /// boundary of consecutive batches only when the boundary was nearly a tie, where it reshuffled every
    /// batch of the balanced grouping. The cost is balance within about half a unit.
    static func batches(_ sizes: [Int], jobs: Int, maxBytes: Int) -> [[Int]] {
        guard !sizes.isEmpty else { return [] }
        let total = sizes.reduce(0, +)
        let jobs = max(1, jobs)
        let rounds = max(1, (total + jobs * maxBytes - 1) / (jobs * max(1, maxBytes)))
        let count = min(sizes.count, jobs * rounds)
        var batches: [[Int]] = []
        var current: [Int] = []
        var before = 0  // bytes of the units before `current`'s end
        for (unit, size) in sizes.enumerated() {
            let left = count - batches.count  // batches still to fill, `current` included
            if !current.isEmpty, left > 1 {
                let goal = Double(total) * Double(batches.count + 1) / Double(count)
                let mustCut = sizes.count - unit < left  // every remaining batch needs a unit
                let nearer = Double(before + size) > goal && goal - Double(before) <= Double(before + size) - goal
                if mustCut || nearer {
                    batches.append(current)
                    current = []
                }
            }
            current.append(unit)
            before += size
        }
        batches.append(current)
        return batches
    }
}

/// Hands out indices in a fixed order to concurrent workers, each index once.
final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private let order: [Int]
    private var next = 0

    init(_ order: [Int]) { self.order = order }

    func take() -> Int? {
        lock.withLock {
            guard next < order.count else { return nil }
            defer { next += 1 }
            return order[next]
        }
    }
}
