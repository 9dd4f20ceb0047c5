import Foundation
import Kiln
import KilnBuild
import KilnDecode
import KilnLoad
import Testing

/// RELIABILITY.md lines 44 and 48: modules at the sizes that break translators to C (deep nesting, many
/// locals, a huge body, many functions, a large data segment) validate, and the C Kiln emits for them
/// compiles at -O0 and runs, within a bounded time. (Tests/KilnCommandsTests/RobustnessTests.swift only
/// validates the nesting cases.)
@Suite(.serialized) final class LargeModuleTests {
    /// Instances refer to their store without owning it: it must outlive them.
    let store = Store()
    let directory = NSTemporaryDirectory() + "kiln-large-tests-\(UUID().uuidString)"

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    static func leb(_ value: Int) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        repeat {
            var b = UInt8(v & 0x7f)
            v >>= 7
            if v != 0 { b |= 0x80 }
            out.append(b)
        } while v != 0
        return out
    }

    static func section(_ id: UInt8, _ body: [UInt8]) -> [UInt8] { [id] + leb(body.count) + body }

    /// A module of `bodies.count` functions of type `type` (a whole functype), each exported as "f<i>", with
    /// an optional 1-page memory and data section.
    static func module(type: [UInt8], bodies: [[UInt8]], exported: Int? = nil, memoryPages: Int? = nil, data: [UInt8]? = nil) -> [UInt8] {
        var bytes: [UInt8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]
        bytes += section(1, [0x01] + type)
        bytes += section(3, leb(bodies.count) + Array(repeating: 0x00, count: bodies.count))
        if let memoryPages { bytes += section(5, [0x01, 0x00] + leb(memoryPages)) }
        let exports = min(exported ?? bodies.count, bodies.count)
        var exportSection = leb(exports)
        for i in 0..<exports {
            let name = Array("f\(i)".utf8)
            exportSection += leb(name.count) + name + [0x00] + leb(i)
        }
        bytes += section(7, exportSection)
        var code = leb(bodies.count)
        for body in bodies { code += leb(body.count) + body }
        bytes += section(10, code)
        if let data { bytes += section(11, [0x01, 0x00, 0x41, 0x00, 0x0b] + leb(data.count) + data) }
        return bytes
    }

    static let returnsI32: [UInt8] = [0x60, 0x00, 0x01, 0x7f]
    static let i32ToI32: [UInt8] = [0x60, 0x01, 0x7f, 0x01, 0x7f]

    /// Validates, builds at -O0 with -Werror, instantiates; returns the instance and the seconds the build took
    /// (for measuring by hand: no test asserts a time).
    func build(_ bytes: [UInt8], name: String) throws -> (Instance, Double) {
        let validated = try Kiln.validate(ModuleSource.detect(bytes))
        let start = Date()
        let path = try Kiln.buildSharedObject(
            validated, name: name, plan: BuildPlan(flags: CompileFlags(optimization: 0, warningsAsErrors: true), runtime: try RuntimeSources()),
            directory: directory + "/" + name)
        let seconds = Date().timeIntervalSince(start)
        return (try Linker.instantiate(try SharedObject(path: path), in: store) { _, _ in nil }, seconds)
    }

    /// 50,000 nested `block (result i32)`s around `i32.const 7`.
    @Test func fiftyThousandNestedBlocksCompileAndRun() throws {
        let depth = 50_000
        let opens: [UInt8] = [0x02, 0x7f]
        var body: [UInt8] = [0x00] + opens.repeated(depth)
        body += [0x41, 0x07]
        body += [UInt8](repeating: 0x0b, count: depth + 1)
        let (instance, _) = try build(Self.module(type: Self.returnsI32, bodies: [body]), name: "nested.wasm")
        #expect(try instance.invoke("f0", []) == [.i32(7)])
    }

    /// 50,000 i32 locals: the parameter is copied to the last one, which is added to a middle one (zero).
    @Test func fiftyThousandLocalsCompileAndRun() throws {
        let locals = 50_000
        var body: [UInt8] = [0x01] + Self.leb(locals) + [0x7f]
        body += [0x20, 0x00, 0x21] + Self.leb(locals)
        body += [0x20] + Self.leb(locals)
        body += [0x20] + Self.leb(25_000) + [0x6a, 0x0b]
        let (instance, _) = try build(Self.module(type: Self.i32ToI32, bodies: [body]), name: "locals.wasm")
        #expect(try instance.invoke("f0", [.i32(41)]) == [.i32(41)])
    }

    /// A 1 MB body: 150,000 times `local.set 0 (i32.add (local.get 0) (i32.const 1))` (7 bytes each).
    @Test func oneMegabyteBodyCompilesAndRuns() throws {
        let steps = 150_000
        let step: [UInt8] = [0x20, 0x00, 0x41, 0x01, 0x6a, 0x21, 0x00]
        let body: [UInt8] = [0x00] + step.repeated(steps) + [0x20, 0x00, 0x0b]
        #expect(body.count > 1_000_000)
        let (instance, _) = try build(Self.module(type: Self.i32ToI32, bodies: [body]), name: "body.wasm")
        #expect(try instance.invoke("f0", [.i32(5)]) == [.i32(UInt32(5 + steps))])
    }

    /// 100,000 functions, function i returning i; the emitted C is split into several units.
    @Test func hundredThousandFunctionsCompileAndRun() throws {
        let count = 100_000
        let bodies: [[UInt8]] = (0..<count).map { [0x00, 0x41] + Self.signedLEB($0) + [0x0b] }
        let (instance, _) = try build(Self.module(type: Self.returnsI32, bodies: bodies, exported: 1_000), name: "functions.wasm")
        #expect(try instance.invoke("f0", []) == [.i32(0)])
        #expect(try instance.invoke("f999", []) == [.i32(999)])
    }

    /// RELIABILITY.md line 48, scaled down: an active data segment of 16 MB (100 MB takes clang minutes and
    /// gigabytes, see Tests/README.md) compiles at -O0 and lands byte-exact.
    @Test func sixteenMegabyteDataSegmentCompilesAndLands() throws {
        let size = 16 << 20
        var data = [UInt8](repeating: 0, count: size)
        for i in stride(from: 0, to: size, by: 4_099) { data[i] = UInt8(truncatingIfNeeded: i % 251 + 1) }
        data[size - 1] = 0x5a
        // (func (param i32) (result i32) (i32.load8_u (local.get 0)))
        let body: [UInt8] = [0x00, 0x20, 0x00, 0x2d, 0x00, 0x00, 0x0b]
        let (instance, _) = try build(
            Self.module(type: Self.i32ToI32, bodies: [body], memoryPages: size / 65_536, data: data), name: "data.wasm")
        #expect(try instance.invoke("f0", [.i32(UInt32(size - 1))]) == [.i32(0x5a)])
        #expect(try instance.invoke("f0", [.i32(4_099 * 3)]) == [.i32(UInt32(4_099 * 3 % 251 + 1))])
        #expect(try instance.invoke("f0", [.i32(1)]) == [.i32(0)])
    }

    static func signedLEB(_ value: Int) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        while true {
            let b = UInt8(v & 0x7f)
            v >>= 7
            if (v == 0 && b & 0x40 == 0) || (v == -1 && b & 0x40 != 0) {
                out.append(b)
                return out
            }
            out.append(b | 0x80)
        }
    }
}

extension Array {
    /// The array's elements `count` times over.
    func repeated(_ count: Int) -> [Element] {
        var out: [Element] = []
        for _ in 0..<count { out += self }
        return out
    }
}
