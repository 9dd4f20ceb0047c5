import Kiln
import Testing

/// Host functions: Swift closures of any Wasm signature, given a `Caller` that reaches the importing instance's
/// memory and the store's data; what they throw traps the guest, through any depth of guest → host → guest.
@Suite struct HostFunctionTests {
    struct Counter { var calls: Int }
    struct Refused: Error, CustomStringConvertible {
        let why: String
        var description: String { "refused: \(why)" }
    }

    @Test func typedHostFunctionsReachMemoryAndStoreData() throws {
        let text = """
            (module
              (import "env" "sum" (func $sum (param i32 i32) (result i64)))
              (import "env" "scale" (func $scale (param f64 f32) (result f64 i32)))
              (memory (export "memory") 1)
              (data (i32.const 16) "\\01\\00\\00\\00\\02\\00\\00\\00\\03\\00\\00\\00")
              (func (export "run") (result i64) (call $sum (i32.const 16) (i32.const 3)))
              (func (export "scaled") (result f64 i32) (call $scale (f64.const 2.5) (f32.const 4))))
            """
        let module = try Module(engine: Shared.engine, wat: text)
        let linker = Linker()
        try linker.defineFunction("env", "sum") { (caller: Caller, address: Int32, count: Int32) -> Int64 in
            let memory = try #require(caller.memory())
            var total: Int64 = 0
            for i in 0..<UInt64(count) { total += Int64(try memory.read(Int32.self, at: UInt64(address) + 4 * i)) }
            return total
        }
        try linker.defineFunction("env", "scale") { (caller: Caller, x: Double, y: Float) -> (Double, Int32) in
            return (x * Double(y), Int32(caller.data(as: Int.self) ?? -1))
        }
        let store = Store()
        store.data = 99
        let instance = try linker.instantiate(module, in: store)
        #expect(try instance.typedFunction("run", Void.self, Int64.self)() == 6)
        let (product, data) = try instance.typedFunction("scaled", Void.self, (Double, Int32).self)()
        #expect(product == 10 && data == 99)
    }

    @Test func dynamicHostFunctionsAndTheirResultTypes() throws {
        let text = """
            (module
              (import "env" "f" (func $f (param i32) (result f64)))
              (func (export "call") (param i32) (result f64) (call $f (local.get 0))))
            """
        let module = try Module(engine: Shared.engine, wat: text)
        let linker = Linker()
        // Declared to return an f64; given 1, returns an i32 instead.
        try linker.defineFunction("env", "f", type: FunctionType(parameters: [.i32], results: [.f64])) { _, arguments in
            arguments[0] == .i32(1) ? [.i32(42)] : arguments[0] == .i32(2) ? [] : [.f64(0.5)]
        }
        let instance = try linker.instantiate(module, in: Store())
        #expect(try instance.call("call", [.i32(0)]) == [.f64(0.5)])
        // A result of the wrong type is refused: the guest traps rather than reading an f64 out of 42.
        let trap = #expect(throws: Trap.self) { try instance.call("call", [.i32(1)]) }
        #expect(trap?.trapKind == .host)
        #expect(trap?.message == "host function failed: a host function of type (func (param i32) (result f64)) returned [i32]")
        #expect(trap?.hostError is HostResultError)
        let none = #expect(throws: Trap.self) { try instance.call("call", [.i32(2)]) }
        #expect(none?.message == "host function failed: a host function of type (func (param i32) (result f64)) returned []")
        #expect(try instance.call("call", [.i32(3)]) == [.f64(0.5)])
    }

    @Test func aThrownErrorTrapsTheGuestAndComesBackWithTheTrap() throws {
        let text = """
            (module
              (import "env" "check" (func $check (param i32)))
              (global $after (mut i32) (i32.const 0))
              (func (export "run") (param i32) (result i32)
                (call $check (local.get 0))
                (global.set $after (i32.const 1))
                (i32.const 7))
              (func (export "after") (result i32) (global.get $after)))
            """
        let module = try Module(engine: Shared.engine, wat: text)
        let linker = Linker()
        try linker.defineFunction("env", "check") { (_: Caller, value: Int32) in
            if value < 0 { throw Refused(why: "negative \(value)") }
        }
        let instance = try linker.instantiate(module, in: Store())
        let run = try instance.typedFunction("run", Int32.self, Int32.self)
        let trap = #expect(throws: Trap.self) { try run(-5) }
        #expect(trap?.trapKind == .host)
        #expect(trap?.message == "host function failed: refused: negative -5")
        #expect((trap?.hostError as? Refused)?.why == "negative -5")
        // The guest stopped at the call: nothing after it ran.
        #expect(try instance.typedFunction("after", Void.self, Int32.self)() == 0)
        #expect(try run(5) == 7)
        #expect(try instance.typedFunction("after", Void.self, Int32.self)() == 1)
    }

    /// guest → host → guest → host, the innermost host function throwing: the error unwinds through every
    /// level (each host frame sees the Trap from its call, and rethrows it) and reaches the outermost call as
    /// the same Trap; the store and instance work afterwards, and so do calls that do not throw.
    @Test func aTrapFromDeepInAReentrantChainUnwindsToTheOutermostCall() throws {
        let text = """
            (module
              (import "env" "down" (func $down (param i32) (result i32)))
              (func (export "enter") (param i32) (result i32)
                (i32.add (call $down (local.get 0)) (i32.const 1))))
            """
        let module = try Module(engine: Shared.engine, wat: text)
        let linker = Linker()
        final class Seen: @unchecked Sendable { var levels: [Int32] = [] }
        let seen = Seen()
        try linker.defineFunction("env", "down") { (caller: Caller, depth: Int32) -> Int32 in
            if depth == 0 { throw Refused(why: "bottom") }
            do {
                return try caller.instance.typedFunction("enter", Int32.self, Int32.self)(depth - 1)
            } catch let trap as Trap {
                seen.levels.append(depth)
                throw trap
            }
        }
        let store = Store()
        let instance = try linker.instantiate(module, in: store)
        let enter = try instance.typedFunction("enter", Int32.self, Int32.self)
        let trap = #expect(throws: Trap.self) { try enter(3) }
        #expect(trap?.message == "host function failed: refused: bottom")
        #expect((trap?.hostError as? Refused)?.why == "bottom")
        #expect(seen.levels == [1, 2, 3])
        // A host function that catches the inner trap and returns normally: the chain completes.
        let linker2 = Linker()
        try linker2.defineFunction("env", "down") { (caller: Caller, depth: Int32) -> Int32 in
            if depth == 0 { throw Refused(why: "bottom") }
            do { return try caller.instance.typedFunction("enter", Int32.self, Int32.self)(depth - 1) } catch { return 100 }
        }
        let other = try linker2.instantiate(module, in: store)
        let enterOther = try other.typedFunction("enter", Int32.self, Int32.self)
        #expect(try enterOther(3) == 103)
        #expect(throws: Trap.self) { try enter(0) }
    }

    @Test func linkErrorsNameTheImport() throws {
        let text = "(module (import \"env\" \"f\" (func (param i32))) (func (export \"g\")))"
        let module = try Module(engine: Shared.engine, wat: text)
        let missing = #expect(throws: LinkError.self) { try Linker().instantiate(module, in: Store()) }
        #expect(missing?.description == "cannot link module: unknown import: \"env\" \"f\" (expected (func (param i32)))")
        let linker = Linker()
        try linker.defineFunction("env", "f") { (_: Caller, _: Int64) in }
        let wrong = #expect(throws: LinkError.self) { try linker.instantiate(module, in: Store()) }
        #expect(wrong?.reason == "incompatible import type: \"env\" \"f\": expected (func (param i32)), found a host function (func (param i64))")
        let twice = #expect(throws: LinkError.self) { try linker.defineFunction("env", "f") { (_: Caller, _: Int32) in } }
        #expect(twice?.reason == "\"env\" \"f\" is already defined")
    }

    @Test func oneInstancesExportsSatisfyAnothersImports() throws {
        let library = try Module(engine: Shared.engine, wat: """
            (module (memory (export "memory") 1) (func (export "double") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
              (global (export "base") i32 (i32.const 100)))
            """)
        let user = try Module(engine: Shared.engine, wat: """
            (module (import "lib" "double" (func $double (param i32) (result i32))) (import "lib" "memory" (memory 1))
              (import "lib" "base" (global $base i32))
              (func (export "run") (result i32) (i32.store (i32.const 8) (i32.const 5))
                (i32.add (global.get $base) (call $double (i32.load (i32.const 8))))))
            """)
        let store = Store()
        let linker = Linker()
        try linker.define("lib", instance: try linker.instantiate(library, in: store))
        let instance = try linker.instantiate(user, in: store)
        #expect(try instance.typedFunction("run", Void.self, Int32.self)() == 110)
        #expect(try store.memory(try #require(linker.definition("lib", "memory")))?.read(Int32.self, at: 8) == 5)
    }
}
