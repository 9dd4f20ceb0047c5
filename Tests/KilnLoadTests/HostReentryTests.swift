import Foundation
import Kiln
import KilnBuild
import KilnDecode
import KilnLoad
import Testing

/// RELIABILITY.md line 24: recursion that goes through a host import re-entering the guest (guest → host →
/// guest → …) ends in the guest's "call stack exhausted" trap, never SIGSEGV, however the host frames in
/// between use the stack; and the instance stays usable.
@Suite(.serialized) final class HostReentryTests {
    /// Instances refer to their store without owning it: it must outlive them.
    let store = Store()
    let directory = NSTemporaryDirectory() + "kiln-reentry-tests-\(UUID().uuidString)"

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// What the host saw: the deepest level reached and the message of each trap that reached it.
    final class Record: @unchecked Sendable {
        var instance: Instance?
        var deepest: UInt32 = 0
        var traps: [String] = []
    }

    /// `down(n)` calls the host with n + 1 from a frame with `locals` v128 locals; the host calls `down`
    /// again, catching the trap of the call it makes and returning 0.
    func instantiate(locals: Int, record: Record) throws -> Instance {
        let declared = locals == 0 ? "" : "(local" + String(repeating: " v128", count: locals) + ")"
        let text = """
            (module
              (import "host" "reenter" (func $reenter (param i32) (result i32)))
              (func (export "down") (param i32) (result i32) \(declared)
                (call $reenter (i32.add (local.get 0) (i32.const 1))))
              (func (export "ok") (result i32) (i32.const 42)))
            """
        let validated = try Kiln.validate(ModuleSource.text(text))
        let path = try Kiln.buildSharedObject(
            validated, name: "reentry\(locals).wat", plan: BuildPlan(runtime: try RuntimeSources()), directory: directory + "/\(locals)")
        let reenter = HostFunction(params: "i", results: "i") { values in
            guard case .i32(let depth) = values[0], let instance = record.instance else { return [.i32(0)] }
            record.deepest = max(record.deepest, depth)
            do {
                return try instance.invoke("down", [.i32(depth)])
            } catch let trap as Trap {
                record.traps.append(trap.message)
            } catch {
                record.traps.append("\(error)")
            }
            return [.i32(0)]
        }
        return try Linker.instantiate(try SharedObject(path: path), in: store) { module, name in
            module == "host" && name == "reenter" ? .hostFunction(reenter) : nil
        }
    }

    /// Runs `body` on a thread with a 1 MiB stack (the size matters: the host's frames count against it).
    func onSmallStack(_ body: @escaping @Sendable () -> Void) {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            body()
            done.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
        done.wait()
    }

    @Test(arguments: [0, 1_000])
    func reentryThroughTheHostTrapsWhenTheStackIsExhausted(locals: Int) throws {
        let record = Record()
        let instance = try instantiate(locals: locals, record: record)
        record.instance = instance
        final class Outcome: @unchecked Sendable { var results: [[Value]?] = [] }
        let outcome = Outcome()
        onSmallStack {
            for _ in 0..<2 {
                outcome.results.append(try? instance.invoke("down", [.i32(0)]))
            }
        }
        // Exactly one level traps per run (its host caller catches it and returns normally to the levels
        // above), and it is the exhaustion trap.
        #expect(record.traps == ["call stack exhausted", "call stack exhausted"])
        #expect(outcome.results == [[.i32(0)], [.i32(0)]])
        #expect(record.deepest > 3, "the recursion went only \(record.deepest) levels deep")
        #expect(try instance.invoke("ok", []) == [.i32(42)])
    }
}
