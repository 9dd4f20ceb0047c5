import CKilnHost
import Foundation
import Kiln
import KilnBuild
import KilnDecode
import KilnLoad
import Testing

/// Exceptions across the host boundary: a host function throws a Wasm exception into the guest that called
/// it, where a handler catches it or it goes on out of the guest; one no handler catches reaches the host as a
/// `Trap` that carries its tag and payload. Host → guest → host re-entry in between leaves no handler behind.
@Suite(.serialized) final class HostExceptionTests {
    let store = Store()
    let directory = NSTemporaryDirectory() + "kiln-host-exception-tests-\(UUID().uuidString)"

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    final class Box: @unchecked Sendable {
        var instance: Instance?
        var tag: UnsafeMutablePointer<kiln_tag>?
    }

    static let text = """
        (module
          (import "host" "fail" (func $fail (param i32)))
          (import "host" "reenter" (func $reenter (param i32) (result i32)))
          (tag $e (export "e") (param i32))
          (tag $quiet (param i64))
          (func (export "catches") (param i32) (result i32)
            (block $h (result i32)
              (try_table (catch $e $h) (call $fail (local.get 0)))
              (i32.const -1)))
          (func (export "escapes") (param i32) (call $fail (local.get 0)))
          (func (export "throws") (throw $e (i32.const 7)))
          (func (export "throws-quiet") (throw $quiet (i64.const -2)))
          ;; The host calls back into "escapes" and catches what comes out; the guest goes on.
          (func (export "through-host") (param i32) (result i32)
            (i32.add (call $reenter (local.get 0)) (i32.const 100))))
        """

    func instantiate(_ box: Box) throws -> Instance {
        let validated = try Kiln.validate(ModuleSource.text(Self.text))
        let path = try Kiln.buildSharedObject(validated, name: "host-exceptions.wat", plan: BuildPlan(runtime: try RuntimeSources()), directory: directory)
        let fail = HostFunction(params: "i", results: "") { values throws(WasmException) in
            guard let tag = box.tag, case .i32(let n) = values[0] else { return [] }
            throw WasmException(tag: tag, payload: [.i32(n + 1)])
        }
        let reenter = HostFunction(params: "i", results: "i") { values in
            guard let instance = box.instance else { return [.i32(0)] }
            do {
                _ = try instance.invoke("escapes", values)
                return [.i32(0)]
            } catch let trap as Trap {
                guard case .i32(let n)? = trap.exception?.payload.first else { return [.i32(0)] }
                return [.i32(n)]
            } catch {
                return [.i32(0)]
            }
        }
        let instance = try Linker.instantiate(try SharedObject(path: path), in: store) { module, name in
            guard module == "host" else { return nil }
            return name == "fail" ? .hostFunction(fail) : name == "reenter" ? .hostFunction(reenter) : nil
        }
        box.instance = instance
        guard case .tag(let tag)? = instance.export("e") else { throw LoadError(reason: "no tag export") }
        box.tag = tag
        return instance
    }

    @Test func aHostFunctionThrowsIntoTheGuestsHandler() throws {
        let box = Box()
        let instance = try instantiate(box)
        #expect(try instance.invoke("catches", [.i32(41)]) == [.i32(42)])
        // Many times: nothing is left on the handler chain or leaked in between.
        for n in 0..<1000 { #expect(try instance.invoke("catches", [.i32(UInt32(n))]) == [.i32(UInt32(n + 1))]) }
    }

    @Test func anUncaughtExceptionReachesTheHostWithItsTagAndPayload() throws {
        let box = Box()
        let instance = try instantiate(box)
        let fromHost = try #require(throws: Trap.self) { try instance.invoke("escapes", [.i32(5)]) }
        #expect(fromHost.isException)
        #expect(fromHost.kind == "uncaught wasm exception")
        #expect(fromHost.exception?.tag == box.tag)
        #expect(fromHost.exception?.payload == [.i32(6)])
        #expect(fromHost.message == "tag 0 (export \"e\"), payload [i32 6]")
        let fromGuest = try #require(throws: Trap.self) { try instance.invoke("throws", []) }
        #expect(fromGuest.exception?.payload == [.i32(7)])
        let unexported = try #require(throws: Trap.self) { try instance.invoke("throws-quiet", []) }
        #expect(unexported.message == "tag 1, payload [i64 -2]")
        #expect(unexported.exception?.tag != box.tag)
        // The instance still works.
        #expect(try instance.invoke("catches", [.i32(1)]) == [.i32(2)])
    }

    @Test func anExceptionThroughReentryStopsAtTheHostThatCalled() throws {
        let box = Box()
        let instance = try instantiate(box)
        #expect(try instance.invoke("through-host", [.i32(9)]) == [.i32(110)])
        #expect(try instance.invoke("catches", [.i32(2)]) == [.i32(3)])
    }
}

/// An exception a host function throws that no handler catches reaches the host with the Wasm frames of the
/// calls that led to the host function, innermost first, named as the name section names them.
@Suite struct HostExceptionBacktraceTests {
    @Test func theTrapCarriesTheGuestFrames() throws {
        let text = """
            (module
              (import "host" "fail" (func $fail (param i32)))
              (tag $e (export "e") (param i32))
              (func $inner (param i32) (call $fail (local.get 0)))
              (func $mid (param i32) (call $inner (i32.add (local.get 0) (i32.const 1))))
              (func $main (export "main") (call $mid (i32.const 1))))
            """
        let validated = try Kiln.validate(ModuleSource.text(text))
        let directory = NSTemporaryDirectory() + "kiln-host-backtrace-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try Kiln.buildSharedObject(validated, name: "backtrace.wat", plan: BuildPlan(runtime: try RuntimeSources()), directory: directory)
        let store = Store()
        let box = HostExceptionTests.Box()
        let fail = HostFunction(params: "i", results: "") { values throws(WasmException) in
            guard let tag = box.tag else { return [] }
            throw WasmException(tag: tag, payload: values)
        }
        let instance = try Linker.instantiate(try SharedObject(path: path), in: store) { module, name in
            module == "host" && name == "fail" ? .hostFunction(fail) : nil
        }
        guard case .tag(let tag)? = instance.export("e") else { throw LoadError(reason: "no tag export") }
        box.tag = tag
        do {
            _ = try instance.invoke("main", [])
            Issue.record("no trap")
        } catch let trap as Trap {
            // Each frame at its call: where the decoder finds the one call of each function.
            let calls = try validated.module.bodies.map { body in
                var reader = FunctionBodyReader(body)
                var offsets: [Int] = []
                while let decoded = try reader.next() {
                    if case .call? = decoded.instruction { offsets.append(decoded.offset) }
                }
                return try #require(offsets.count == 1 ? offsets[0] : nil)
            }
            let at = calls.map { " at offset 0x" + String($0, radix: 16) }
            #expect(trap.backtrace.map(\.description) == ["func 1 ($inner)" + at[0], "func 2 ($mid)" + at[1], "func 3 ($main)" + at[2]])
            #expect(trap.backtrace.map(\.codeOffset) == calls)
            #expect(trap.backtrace.allSatisfy { $0.module == "backtrace.wat" })
            #expect(TrapFrame.text(trap.backtrace)
                == "wasm backtrace:\n   0: func 1 ($inner)\(at[0])\n   1: func 2 ($mid)\(at[1])\n   2: func 3 ($main)\(at[2])\n")
        }
    }
}
