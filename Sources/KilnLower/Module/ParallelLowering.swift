import Dispatch
import KilnValidate

/// Functions lowered on several threads: each function's validation and lowering needs only the shared,
/// immutable `LoweringContext`, so they are independent.
///
/// Why: lowering Lua's 664 functions takes about 0.3 s of one core, all of it before the first C compiler
/// starts; at --opt 0 that was a quarter of the build. The output is the same whatever the thread count:
/// every function lands at its index, and the first failing function (in index order) is the error.
enum ParallelLowering {
    static func map(count: Int, jobs: Int, _ lower: @Sendable (Int) throws(ValidationError) -> String) throws(ValidationError) -> [String] {
        let workers = max(1, min(jobs, count))
        guard workers > 1 else {
            var out: [String] = []
            for i in 0..<count { out.append(try lower(i)) }
            return out
        }
        let results = Slots(count: count)
        // Interleaved indices: neighbours are often alike in size, so every worker gets a fair share.
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var i = worker
            while i < count {
                do throws(ValidationError) {
                    results.set(i, .success(try lower(i)))
                } catch {
                    results.set(i, .failure(error))
                }
                i += workers
            }
        }
        return try results.collect()
    }

    /// One slot per function, each written by exactly one worker before `concurrentPerform` returns.
    final class Slots: @unchecked Sendable {
        private var slots: UnsafeMutableBufferPointer<Result<String, ValidationError>?>

        init(count: Int) {
            slots = .allocate(capacity: count)
            slots.initialize(repeating: nil)
        }

        deinit {
            _ = slots.deinitialize()
            slots.deallocate()
        }

        func set(_ index: Int, _ result: Result<String, ValidationError>) { slots[index] = result }

        func collect() throws(ValidationError) -> [String] {
            var out: [String] = []
            for slot in slots {
                switch slot {
                case .success(let text): out.append(text)
                case .failure(let error): throw error
                case nil: out.append("")
                }
            }
            return out
        }
    }
}
