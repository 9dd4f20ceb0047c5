import CKilnHost
import Foundation
import Kiln
import KilnBuild
import KilnDecode
import KilnLoad
import KilnLower
import Testing

/// Fuel and epoch interruption through the library: a guest that never returns is stopped by a fuel budget at
/// the same instruction count at every -O level and bounds mode, and by an epoch deadline that another thread
/// reaches, or that a callback extends.
@Suite struct InterruptionTests {
    /// `spin` counts its iterations in $n forever: its loop's region costs 5 (global.get, i32.const, i32.add,
    /// global.set, br; `loop` and `end` are free), its entry nothing. `fill` writes i+1 to word i for
    /// i < count, a loop the lowering versions (checked once for all iterations).
    static let text = """
        (module
          (memory (export "memory") 16)
          (global $n (export "n") (mut i32) (i32.const 0))
          (func $leaf (export "leaf") (result i32) (i32.add (global.get $n) (i32.const 1)))
          (func (export "spin")
            (loop $l (global.set $n (i32.add (global.get $n) (i32.const 1))) (br $l)))
          (func (export "fill") (param $count i32) (local $i i32)
            (loop $l
              (i32.store (i32.shl (local.get $i) (i32.const 2)) (i32.add (local.get $i) (i32.const 1)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $i) (local.get $count))))))
        """

    /// `fill`'s costs: its loop's region (local.get, i32.const, i32.shl, local.get, i32.const, i32.add,
    /// i32.store, local.get, i32.const, i32.add, local.set, local.get, local.get, i32.lt_u, br_if), its entry's.
    static let fillIteration: UInt64 = 15
    static let fillEntry: UInt64 = 0

    final class Built: @unchecked Sendable {
        let object: SharedObject
        let c: String
        init(_ flags: CompileFlags, _ directory: String) throws {
            let validated = try Kiln.validate(ModuleSource.text(InterruptionTests.text))
            let plan = BuildPlan(flags: flags, runtime: try RuntimeSources())
            let path = try Kiln.buildSharedObject(validated, name: "interruption.wat", plan: plan, directory: directory)
            // Loaded, the object no longer needs its file: the directory goes now, not left in /tmp.
            defer { try? FileManager.default.removeItem(atPath: directory) }
            object = try SharedObject(path: path)
            c = try Kiln.lower(validated, name: "interruption.wat", interruption: flags.interruption).files.values.joined()
        }
    }

    static let outOfFuel = "all fuel consumed", interrupt = "interrupt"

    /// The message of the trap `body` ends with, or nil when it returns or throws something else.
    static func trap(_ body: () throws -> Any) -> String? {
        do {
            _ = try body()
            return nil
        } catch let trap as Trap {
            return trap.message
        } catch {
            return nil
        }
    }

    static func build(_ flags: CompileFlags) throws -> Built {
        try Built(flags, NSTemporaryDirectory() + "kiln-interruption-\(UUID().uuidString)")
    }

    static let fuelConfigurations: [CompileFlags] = [
        CompileFlags(optimization: 0, interruption: Interruption(fuel: true)),
        CompileFlags(optimization: 2, interruption: Interruption(fuel: true)),
        CompileFlags(optimization: 2, boundsGuard: true, interruption: Interruption(fuel: true, epochs: true)),
    ]

    @Test(arguments: fuelConfigurations) func fuelStopsALoopAtTheSameCount(flags: CompileFlags) throws {
        let built = try Self.build(flags)
        let store = Store()
        store.fuel = 1003
        let instance = try Linker.instantiate(built.object, in: store) { _, _ in nil }
        #expect(Self.trap { try instance.invoke("spin", []) } == Self.outOfFuel)
        // 200 iterations paid 5 each; the 201st check found 3 left and trapped without taking them.
        #expect(instance.global("n") == .i32(200))
        #expect(store.fuel == 3)
        store.addFuel(7)
        #expect(Self.trap { try instance.invoke("spin", []) } == Self.outOfFuel)
        #expect(instance.global("n") == .i32(202))
    }

    /// A versioned loop pays for all its iterations before it runs unchecked, exactly what the checked copy
    /// would have paid; with too little fuel, the checked copy runs and stops where the fuel runs out.
    @Test(arguments: fuelConfigurations) func aVersionedLoopPaysWhatItsCheckedCopyWould(flags: CompileFlags) throws {
        let built = try Self.build(flags)
        #expect(built.c.contains("kiln_fuel_take(ctx,"), "the loop was not versioned")
        let trips: UInt64 = 1000
        let cost = Self.fillEntry + trips * Self.fillIteration
        let store = Store()
        let instance = try Linker.instantiate(built.object, in: store) { _, _ in nil }
        store.fuel = cost + 10
        _ = try instance.invoke("fill", [.i32(UInt32(trips))])
        #expect(store.fuel == 10)
        // One unit short: the checked copy runs 999 iterations and traps at the last one's header.
        let short = Store()
        short.fuel = cost - 1
        let fresh = try Linker.instantiate(built.object, in: short) { _, _ in nil }
        #expect(Self.trap { try fresh.invoke("fill", [.i32(UInt32(trips))]) } == Self.outOfFuel)
        #expect(short.fuel == Self.fillIteration - 1)
        guard case .memory(let memory)? = fresh.export("memory") else {
            Issue.record("no memory")
            return
        }
        let words = UnsafeRawPointer(memory.pointee.data!).assumingMemoryBound(to: UInt32.self)
        #expect(words[Int(trips) - 2] == UInt32(trips - 1))
        #expect(words[Int(trips) - 1] == 0)
    }

    @Test func anEpochDeadlineInterruptsAndACallbackExtendsIt() throws {
        let built = try Self.build(CompileFlags(optimization: 2, interruption: Interruption(epochs: true)))
        let epoch = Epoch()
        let store = Store(epoch: epoch)
        let instance = try Linker.instantiate(built.object, in: store) { _, _ in nil }
        // No deadline set: the loop would run forever, so first a deadline one tick away, advanced by a timer.
        store.setEpochDeadline(1)
        let timer = Thread {
            Thread.sleep(forTimeInterval: 0.05)
            epoch.increment()
        }
        timer.start()
        #expect(Self.trap { try instance.invoke("spin", []) } == Self.interrupt)

        // A callback that grants two more ticks, then lets the guest trap: three deadlines, three calls.
        final class Calls: @unchecked Sendable { var count = 0 }
        let calls = Calls()
        store.epochDeadlineCallback = {
            calls.count += 1
            return calls.count < 3 ? 1 : 0
        }
        store.setEpochDeadline(1)
        let ticker = Thread {
            for _ in 0..<3 {
                Thread.sleep(forTimeInterval: 0.02)
                epoch.increment()
            }
        }
        ticker.start()
        #expect(Self.trap { try instance.invoke("spin", []) } == Self.interrupt)
        #expect(calls.count == 3)
    }

    /// With epochs, a counted loop runs in chunks of KILN_EPOCH_CHUNK iterations with a check before each:
    /// every iteration still runs once, across chunk boundaries.
    @Test func aVersionedLoopRunsInChunksWithEpochs() throws {
        let built = try Self.build(CompileFlags(optimization: 2, interruption: Interruption(epochs: true)))
        #expect(built.c.contains("KILN_EPOCH_CHUNK"), "the loop was not versioned")
        let store = Store(epoch: Epoch())
        let instance = try Linker.instantiate(built.object, in: store) { _, _ in nil }
        let trips = 200_000
        _ = try instance.invoke("fill", [.i32(UInt32(trips))])
        guard case .memory(let memory)? = instance.export("memory") else {
            Issue.record("no memory")
            return
        }
        let words = UnsafeRawPointer(memory.pointee.data!).assumingMemoryBound(to: UInt32.self)
        #expect((0..<trips).allSatisfy { words[$0] == UInt32($0 + 1) })
        #expect(words[trips] == 0)
        // A deadline already passed stops it at the first check.
        store.setEpochDeadline(0)
        #expect(Self.trap { try instance.invoke("fill", [.i32(UInt32(trips))]) } == Self.interrupt)
    }

    /// A function without calls or loops has no check of its own (so clang still inlines it): it pays its 3
    /// units without a branch, down to 0 at most, and the next check traps.
    @Test func aLeafPaysWithoutACheck() throws {
        let built = try Self.build(CompileFlags(optimization: 2, interruption: Interruption(fuel: true, epochs: true)))
        let leaf = try #require(built.c.range(of: "$leaf").map { String(built.c[$0.upperBound...].prefix(700)) })
        #expect(leaf.contains("KILN_FUEL_CHARGE(ctx, 3u);"), "\(leaf)")
        #expect(!leaf.prefix(while: { $0 != "}" }).contains("KILN_EPOCH("), "\(leaf)")
        let store = Store()
        let instance = try Linker.instantiate(built.object, in: store) { _, _ in nil }
        store.fuel = 5
        #expect(try instance.invoke("leaf", []) == [.i32(1)])
        #expect(store.fuel == 2)
        #expect(try instance.invoke("leaf", []) == [.i32(1)])
        #expect(store.fuel == 0)
        #expect(Self.trap { try instance.invoke("spin", []) } == Self.outOfFuel)
    }

    /// Code built without the checks ignores fuel: a budget cannot stop what has no checks, which is why the
    /// CLI refuses `--fuel` for such an artifact.
    @Test func codeWithoutChecksIgnoresFuel() throws {
        let built = try Self.build(CompileFlags(optimization: 2))
        #expect(!built.c.contains("KILN_FUEL"))
        #expect(built.object.module.interruption == 0)
        let store = Store()
        store.fuel = 0
        let instance = try Linker.instantiate(built.object, in: store) { _, _ in nil }
        _ = try instance.invoke("fill", [.i32(10)])
        #expect(store.fuel == 0)
    }
}
