import Foundation
import Kiln
import Testing

/// Modules: compiled from bytes, text or a file through the engine's cache, written out as artifacts and
/// loaded back after their metadata is checked; and the errors of each stage, distinct and printable.
@Suite struct ModuleTests {
    static let fac = Shared.root.appendingPathComponent("Fixtures/wasm/fac.wasm").path

    @Test func fromBytesFileOrTextAlike() throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.fac)))
        let fromBytes = try Module(engine: Shared.engine, bytes: bytes)
        let fromFile = try Module(engine: Shared.engine, path: Self.fac)
        #expect(fromFile.name == "fac.wasm")
        // One compile: the second module is the cache entry of the first.
        #expect(fromBytes.artifact.path == fromFile.artifact.path)
        #expect(fromBytes.artifact.path.hasPrefix(Shared.engine.cacheDirectory! + "/"))
        for module in [fromBytes, fromFile] {
            #expect(module.exports.contains { $0.contains("fac") })
            let instance = try Linker().instantiate(module, in: Store())
            let name = try #require(instance.exportNames.first { $0.contains("fac") })
            #expect(try instance.call(name, [.i64(10)]) == [.i64(3_628_800)])
        }
    }

    @Test func theStagesErrorsAreDistinct() throws {
        let malformed = #expect(throws: DecodeError.self) { try Module(engine: Shared.engine, bytes: [0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]) }
        #expect(malformed?.kind == "malformed module")
        let invalid = #expect(throws: ValidationError.self) {
            try Module(engine: Shared.engine, wat: "(module (func (result i32) (i64.const 1)))")
        }
        #expect(invalid?.description.hasPrefix("invalid module: ") == true)
        #expect(invalid?.reason.contains("type mismatch") == true)
        let unreadable = #expect(throws: DecodeError.self) { try Module(engine: Shared.engine, path: "/nonexistent/m.wasm") }
        #expect(unreadable?.kind == "cannot read module")
    }

    @Test func aCompilerThatFailsIsACompileError() throws {
        let engine = try Engine(Configuration(optimization: 0, cache: .none, compiler: "false"))
        let error = #expect(throws: CompileError.self) { try Module(engine: engine, wat: "(module)") }
        #expect(error?.description.contains("false") == true)
        #expect(throws: BuildError.self) { try Engine(Configuration(optimization: 7)) }
    }

    @Test func serializedArtifactsLoadBackAfterTheirMetadataIsChecked() throws {
        let directory = Shared.temporaryDirectory("serialize")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let module = try Module(engine: Shared.engine, wat: "(module (func (export \"seven\") (result i32) (i32.const 7)))")
        try module.serialize(to: directory + "/seven.so")
        let loaded = try Module(engine: Shared.engine, precompiled: directory + "/seven.so")
        let seven = try Linker().instantiate(loaded, in: Store()).typedFunction("seven", Void.self, Int32.self)
        #expect(try seven() == 7)
        // `Module(engine:path:)` knows an artifact from a module.
        #expect(try Linker().instantiate(try Module(engine: Shared.engine, path: directory + "/seven.so"), in: Store()).call("seven") == [.i32(7)])
        // A truncated artifact is refused before it is opened.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: directory + "/seven.so"))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: directory + "/half.so"))
        #expect(throws: LoadError.self) { try Module(engine: Shared.engine, precompiled: directory + "/half.so") }
        #expect(throws: LoadError.self) { try Module(engine: Shared.engine, precompiled: directory + "/missing.so") }
    }

    /// `Configuration.tiers`: the first `Module` of some bytes is the baseline (-O0), which runs at once, while
    /// the optimized tier is built on a background thread; once it is in the cache, a new `Module` of the same
    /// bytes is the optimized one. Without `tiers`, the optimized one is built before `Module` returns.
    @Test func tiersServeTheBaselineFirstAndTheOptimizedTierOnceBuilt() throws {
        let text = "(module (func (export \"add\") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))"
        let tiered = try Engine(Configuration(optimization: 1, cache: .directory(Shared.cacheDirectory), tiers: true))
        let first = try Module(engine: tiered, wat: text)
        #expect(first.tier == .baseline)
        #expect(first.buildOptions.contains("opt=0"))
        let add = try Linker().instantiate(first, in: Store()).typedFunction("add", (Int32, Int32).self, Int32.self)
        #expect(try add(40, 2) == 42)
        tiered.waitForBackgroundBuilds()
        let later = try Module(engine: tiered, wat: text)
        #expect(later.tier == .optimized)
        #expect(later.buildOptions.contains("opt=1"))
        #expect(try Linker().instantiate(later, in: Store()).call("add", [.i32(1), .i32(2)]) == [.i32(3)])
        // Without tiers: the level asked for, at once (the same entry the background build published).
        let waiting = try Module(engine: try Engine(Configuration(optimization: 1, cache: .directory(Shared.cacheDirectory))), wat: text)
        #expect(waiting.tier == .optimized && waiting.artifact.path == later.artifact.path)
    }

    /// The configuration reaches the artifact: its bounds mode, CPU and level are what the metadata records,
    /// and the code runs (a guard-page memory traps past its end like an explicitly checked one).
    @Test func theConfigurationIsWhatTheArtifactIsBuiltWith() throws {
        let text = "(module (memory (export \"memory\") 1) (func (export \"load\") (param i32) (result i32) (i32.load (local.get 0))))"
        let engine = try Engine(Configuration(optimization: 1, bounds: .guardPages, targetCPU: "x86-64-v2", cache: .directory(Shared.cacheDirectory)))
        let module = try Module(engine: engine, wat: text)
        #expect(module.buildOptions.contains("opt=1"))
        #expect(module.buildOptions.contains("bounds=guard"))
        #expect(module.buildOptions.contains("cpu=x86-64-v2"))
        let instance = try Linker().instantiate(module, in: Store())
        #expect(try instance.call("load", [.i32(0)]) == [.i32(0)])
        let trap = #expect(throws: Trap.self) { try instance.call("load", [.i32(65534)]) }
        #expect(trap?.trapKind == .memoryOutOfBounds)
        let explicit = try Module(engine: Shared.engine, wat: text)
        #expect(explicit.buildOptions.contains("bounds=explicit") && explicit.buildOptions.contains("opt=0"))
        #expect(explicit.artifact.path != module.artifact.path)
        // A CPU the compiler does not know fails the compile, with the compiler's word for it.
        let unknown = try Engine(Configuration(optimization: 0, targetCPU: "no-such-cpu", cache: .none))
        let error = #expect(throws: CompileError.self) { try Module(engine: unknown, wat: "(module)") }
        #expect(error?.description.contains("no-such-cpu") == true)
    }

    @Test func anEngineWithoutACacheCompilesEveryTime() throws {
        let engine = try Engine(Configuration(optimization: 0, cache: .none))
        #expect(engine.cacheDirectory == nil)
        let module = try Module(engine: engine, wat: "(module (func (export \"f\") (result i32) (i32.const 1)))")
        #expect(try Linker().instantiate(module, in: Store()).call("f") == [.i32(1)])
    }
}
