import Testing

@testable import KilnBuild

/// The order and grouping of C units: largest first, deterministic, and batches of about equal size.
struct UnitScheduleTests {
    @Test func largestFirstKeepsIndexOrderAmongEqualSizes() {
        #expect(UnitSchedule.largestFirst([5, 9, 5, 1, 9]) == [1, 4, 0, 2, 3])
        #expect(UnitSchedule.largestFirst([]) == [])
    }

    @Test func batchesAreOnePerJobWhenSmall() {
        // Lua's shape: many units of about the same size and one much larger (its interpreter loop).
        let sizes = [240, 250, 260, 630, 250, 90, 250, 240]
        let batches = UnitSchedule.batches(sizes, jobs: 2, maxBytes: 1 << 20)
        #expect(batches == [[0, 1, 2, 3], [4, 5, 6, 7]])
        let loads = batches.map { $0.reduce(0) { $0 + sizes[$1] } }
        #expect(loads == [1380, 830])
    }

    /// Batches are kept by their C: a unit that grows a little leaves every batch's units the same.
    @Test func aUnitThatGrowsKeepsTheBatches() {
        let sizes = (0..<30).map { 200_000 + ($0 * 7919) % 60_000 }
        let before = UnitSchedule.batches(sizes, jobs: 2, maxBytes: 8 << 20)
        #expect(before.count == 2)
        var moved = 0
        for unit in sizes.indices {
            var grown = sizes
            grown[unit] += 3_000
            if UnitSchedule.batches(grown, jobs: 2, maxBytes: 8 << 20) != before { moved += 1 }
        }
        #expect(moved <= 2, "\(moved) of \(sizes.count)")
        let loads = before.map { $0.reduce(0) { $0 + sizes[$1] } }
        #expect(abs(loads[0] - loads[1]) <= sizes.max()!)
    }

    @Test func batchesStayUnderTheBoundInMultiplesOfJobs() {
        let sizes = Array(repeating: 100, count: 50)  // 5000 bytes; 2 jobs of at most 1000 bytes a batch
        let batches = UnitSchedule.batches(sizes, jobs: 2, maxBytes: 1000)
        #expect(batches.count == 6)
        #expect(batches.allSatisfy { $0.reduce(0) { $0 + sizes[$1] } <= 1000 })
        #expect(batches.flatMap { $0 }.sorted() == Array(sizes.indices))
    }

    @Test func neverMoreBatchesThanUnits() {
        #expect(UnitSchedule.batches([10, 20], jobs: 8, maxBytes: 1) == [[0], [1]])
        #expect(UnitSchedule.batches([], jobs: 2, maxBytes: 100) == [])
        #expect(UnitSchedule.batches([7], jobs: 1, maxBytes: 100) == [[0]])
    }

    @Test func aQueueHandsOutEachIndexOnceInOrder() {
        let queue = WorkQueue([2, 0, 1])
        #expect(queue.take() == 2)
        #expect(queue.take() == 0)
        #expect(queue.take() == 1)
        #expect(queue.take() == nil)
    }
}
