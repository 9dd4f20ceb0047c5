import Foundation
import Kiln
import KilnBuild
import KilnDecode
import KilnLoad
import Testing

/// Compiles Fixtures/wat/features.wat once and exercises the loader: linking, calls of many signatures,
/// traps that leave the host and the instance usable, stack exhaustion, imports checked by type.
@Suite(.serialized) final class InstanceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let artifact: SharedObject
    let store = Store()
    var logged: [UInt32] = []
    let directory = NSTemporaryDirectory() + "kiln-load-tests-\(UUID().uuidString)"

    init() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("Fixtures/wat/features.wat"), encoding: .utf8)
        let validated = try Kiln.validate(ModuleSource.text(text))
        let plan = BuildPlan(runtime: try RuntimeSources())
        artifact = try SharedObject(path: try Kiln.buildSharedObject(validated, name: "features.wat", plan: plan, directory: directory))
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    func instantiate() throws -> Instance {
        let log = HostFunction(params: "i", results: "") { [unowned self] values in
            if case .i32(let v) = values[0] { self.logged.append(v) }
            return []
        }
        return try Linker.instantiate(artifact, in: store) { module, name in
            module == "host" && name == "log" ? .hostFunction(log) : nil
        }
    }

    @Test func callsExportsOfEverySignature() throws {
        let instance = try instantiate()
        #expect(try instance.invoke("apply", [.i32(0), .i32(40), .i32(2)]) == [.i32(42)])
        #expect(try instance.invoke("apply", [.i32(1), .i32(40), .i32(2)]) == [.i32(38)])
        #expect(try instance.invoke("divmod", [.i32(47), .i32(10)]) == [.i32(4), .i32(7)])
        #expect(try instance.invoke("classify", [.i32(1)]) == [.i32(101)])
        #expect(try instance.invoke("classify", [.i32(99)]) == [.i32(102)])
        #expect(try instance.invoke("load", [.i32(16)]) == [.i32(0x6e_6c_69_6b)])  // "kiln"
    }

    @Test func hostFunctionsAreCalledWithTheirArguments() throws {
        let instance = try instantiate()
        #expect(try instance.invoke("bump", []) == [.i32(1)])
        #expect(try instance.invoke("bump", []) == [.i32(2)])
        #expect(logged == [1, 2])
        #expect(instance.global("counter") == .i32(2))
    }

    @Test func trapsLeaveTheHostAndTheInstanceUsable() throws {
        let instance = try instantiate()
        for round in 0..<50 {
            #expect(throws: Trap.self) { try instance.invoke("div", [.i32(1), .i32(0)]) }
            #expect(throws: Trap.self) { try instance.invoke("apply", [.i32(3), .i32(1), .i32(1)]) }
            #expect(throws: Trap.self) { try instance.invoke("load", [.i32(65535)]) }
            #expect(try instance.invoke("div", [.i32(Int32(round + 10).magnitude), .i32(2)]) == [.i32(UInt32(round + 10) / 2)])
        }
        do {
            _ = try instance.invoke("div", [.i32(0x8000_0000), .i32(0xffff_ffff)])
            Issue.record("INT_MIN / -1 returned")
        } catch let trap as Trap {
            #expect(trap.message == "integer overflow")
        }
        do {
            _ = try instance.invoke("apply", [.i32(9), .i32(1), .i32(1)])
            Issue.record("call_indirect past the table returned")
        } catch let trap as Trap {
            #expect(trap.message == "undefined element")
        }
        do {
            _ = try instance.invoke("apply", [.i32(2), .i32(1), .i32(1)])
            Issue.record("call_indirect of a null entry returned")
        } catch let trap as Trap {
            #expect(trap.message == "uninitialized element")
        }
    }

    @Test func recursionTrapsInsteadOfOverflowingTheStack() throws {
        let instance = try instantiate()
        for _ in 0..<3 {
            do {
                _ = try instance.invoke("forever", [])
                Issue.record("unbounded recursion returned")
            } catch let trap as Trap {
                #expect(trap.message == "call stack exhausted")
            }
        }
        #expect(try instance.invoke("deep", [.i32(1000)]) == [.i32(1000)])
    }

    /// A frame larger than the whole stack left (40,000 v128 locals: 640 KB at -O0, on a 512 KiB thread stack)
    /// traps at entry, before its first write to the frame; before, it faulted with SIGSEGV.
    @Test func aFrameLargerThanTheStackTraps() throws {
        // (module (func (export "f") (local v128 x 40000))), in binary: text would be 200 KB.
        let body: [UInt8] = [0x01, 0xc0, 0xb8, 0x02, 0x7b, 0x0b]
        let bytes: [UInt8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00,
                              0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, 0x0a, UInt8(body.count + 2), 0x01, UInt8(body.count)] + body
        let validated = try Kiln.validate(ModuleSource.detect(bytes))
        // A directory of its own: dlopen would hand back the features artifact loaded from the same path.
        let path = try Kiln.buildSharedObject(
            validated, name: "huge.wasm", plan: BuildPlan(runtime: try RuntimeSources()), directory: directory + "/huge")
        let instance = try Linker.instantiate(try SharedObject(path: path), in: store) { _, _ in nil }
        final class Outcome: @unchecked Sendable { var message: String? }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            do {
                _ = try instance.invoke("f", [])
                outcome.message = "returned"
            } catch let trap as Trap {
                outcome.message = trap.message
            } catch {
                outcome.message = "\(error)"
            }
            done.signal()
        }
        thread.stackSize = 512 << 10
        thread.start()
        done.wait()
        #expect(outcome.message == "call stack exhausted")
    }

    @Test func bulkMemoryAndTablesAndGrowth() throws {
        let instance = try instantiate()
        #expect(try instance.invoke("init_later", []) == [.i32(4)])
        #expect(try instance.invoke("apply", [.i32(2), .i32(6), .i32(7)]) == [.i32(42)])
        // The passive segment was dropped: a second memory.init of it with a non-zero length traps.
        #expect(throws: Trap.self) { try instance.invoke("init_later", []) }
        #expect(try instance.invoke("grow", [.i32(2)]) == [.i32(1)])
        #expect(try instance.invoke("grow", [.i32(2)]) == [.i32(0xffff_ffff)])  // past the maximum of 4
        _ = try instance.invoke("store8", [.i32(3 * 65536 - 1), .i64(0x1ff)])
        #expect(throws: Trap.self) { try instance.invoke("store8", [.i32(3 * 65536), .i64(1)]) }
    }

    @Test func missingAndMistypedImportsAreRefusedByName() throws {
        do {
            _ = try Linker.instantiate(artifact, in: store) { _, _ in nil }
            Issue.record("linked without its import")
        } catch let error as LinkError {
            #expect(error.reason == "unknown import: \"host\" \"log\" (expected (func (param i32)))")
        }
        let wrong = HostFunction(params: "j", results: "") { _ in [] }
        do {
            _ = try Linker.instantiate(artifact, in: store) { _, _ in .hostFunction(wrong) }
            Issue.record("linked an import of the wrong type")
        } catch let error as LinkError {
            #expect(error.reason == "incompatible import type: \"host\" \"log\": expected (func (param i32)), found a host function (func (param i64))")
        }
    }

    /// Calling an export with arguments of the wrong types is a CallError that names its type in Wasm text.
    @Test func wrongArgumentsAreNamedInWasmText() throws {
        let text = "(module (func (export \"add\") (param i32 i64) (result i64) (i64.const 0)))"
        let validated = try Kiln.validate(ModuleSource.text(text))
        let path = try Kiln.buildSharedObject(validated, name: "add.wat", plan: BuildPlan(runtime: try RuntimeSources()), directory: directory + "/add")
        let instance = try Linker.instantiate(try SharedObject(path: path), in: store) { _, _ in nil }
        let error = try #require(throws: CallError.self) { try instance.invoke("add", [.i32(1), .f64(0)]) }
        #expect(error.reason == "\"add\" is (func (param i32 i64) (result i64)), called with [(i32 1) (f64 0.0 (0x0))]")
    }

    /// A WASI function imported with a type other than WASI's is not bound to the runtime's: the message says
    /// the type is wrong, in Wasm text, rather than that the import is unknown.
    @Test func aWASIImportOfTheWrongTypeSaysSo() throws {
        let text = """
            (module (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32) (result i32))) (func (export "_start")))
            """
        let validated = try Kiln.validate(ModuleSource.text(text))
        let path = try Kiln.buildSharedObject(validated, name: "wasi-wrong.wat", plan: BuildPlan(runtime: try RuntimeSources()), directory: directory + "/wasi-wrong")
        do {
            _ = try Linker.instantiate(try SharedObject(path: path), in: store) { _, _ in nil }
            Issue.record("linked a WASI import of the wrong type")
        } catch let error as LinkError {
            #expect(error.reason == "wrong type for WASI import \"wasi_snapshot_preview1\" \"fd_write\": the module imports it as (func (param i32 i32) (result i32)), WASI's is (func (param i32 i32 i32 i32) (result i32))")
        }
    }

    /// `kiln run m.so` names a file in the current directory, which dlopen alone would look for on the
    /// library path instead.
    @Test func aBareFileNameIsLoadedFromTheCurrentDirectory() throws {
        let name = "kiln-load-test-\(UUID().uuidString).so"
        let path = FileManager.default.currentDirectoryPath + "/" + name
        try FileManager.default.copyItem(atPath: artifact.path, toPath: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let loaded = try SharedObject(path: name)
        #expect(loaded.module.abi_version == artifact.module.abi_version)
    }
}
