import Foundation
import Kiln
import KilnDecode

/// The operations through Kiln's library: a typed call of the trivial export, the guest calling a typed host
/// function, and a store plus an instance made and dropped.
final class KilnSide {
    let module: Module
    let linker = Linker()
    let instance: Instance
    let id: (Int32) throws -> Int32
    let calls: (Int32) throws -> Int32

    init(cache: String) throws {
        let engine = try Engine(Configuration(cache: .directory(cache)))
        module = try Module(engine: engine, wat: Workload.text, name: "api-bench.wat")
        try linker.defineFunction("host", "id") { (_: Caller, x: Int32) -> Int32 in x }
        instance = try linker.instantiate(module, in: Store())
        id = try instance.typedFunction("id", Int32.self, Int32.self)
        calls = try instance.typedFunction("calls", Int32.self, Int32.self)
    }

    /// The workload's binary form, for the other side (Kiln's text reader: one reader for both).
    static func binary() throws -> [UInt8] { try ModuleSource.text(Workload.text).binary() }

    func hostToGuest(_ n: Int) throws -> Int32 {
        var sum: Int32 = 0
        for i in 0..<n { sum &+= try id(Int32(truncatingIfNeeded: i)) }
        return sum
    }

    func hostToGuestDynamic(_ n: Int) throws -> Int32 {
        var sum: Int32 = 0
        for i in 0..<n { sum &+= try instance.call("id", [.i32(UInt32(truncatingIfNeeded: i))])[0].int32! }
        return sum
    }

    func guestToHost(_ n: Int) throws -> Int32 { try calls(Int32(n)) }

    func instantiate(_ n: Int) throws {
        for _ in 0..<n { _ = try linker.instantiate(module, in: Store()) }
    }
}
