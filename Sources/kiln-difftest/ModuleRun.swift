import Foundation
import Kiln
import KilnBuild
import KilnDecode
import KilnLoad
import KilnValidate

/// What became of one module: the line `kiln-difftest` prints for it.
enum Verdict {
    case pass(allowed: [String: Int])
    /// The first divergence of each configuration that diverged.
    case fail(DivergenceClass, detail: String)
    /// Not comparable: the reference rejects the module, or an import is not the harness's.
    case skip(String)
}

/// The kinds of divergence, as the driver counts them.
enum DivergenceClass: String {
    case rejected, build, instantiate, result, trap, log, memory, memorySize = "memory-size", global
}

/// Runs one module under the reference and each Kiln configuration in lockstep: the same export with the
/// same arguments on every engine, then the outcomes, the logged values, memory and globals compared.
///
/// A divergence the spec or Kiln's documented guard-mode behaviour allows is counted by its class and
/// the configuration's memory and globals are overwritten with the reference's, so that later calls
/// start from the same state:
/// - `nan-bits`: a result, a logged value, a global or memory differs only in NaN payloads, or in
///   integers (and memory bytes) that are a NaN's bit pattern in both (any NaN payload is a valid result,
///   and binaryen's modules store and reinterpret float results);
/// - `stack`: either engine exhausted its call stack (their limits differ); the call is not compared;
/// - `guard-after-trap`: in guard mode, after an out-of-bounds trap in both, memory may lack a store
///   that came just before the faulting access (README, `--bounds guard`);
/// A trap is never elided in guard mode: every load reads all its bytes, even one whose value is unused
/// (kiln_memory.h, KILN_READ_*), so Kiln must trap at the reference's access.
struct ModuleRun {
    let path: String
    let configurations: [Configuration]
    let plans: [String: BuildPlan]
    let callsPerExport: Int
    let scratch: String

    func run() -> Verdict {
        guard let original = FileManager.default.contents(atPath: path).map({ [UInt8]($0) }) else { return .skip("unreadable") }
        let names: ExportEverything.Result
        do { names = try ExportEverything.rewrite(original) } catch { return .skip("malformed: \(error)") }
        let binary = names.binary
        // A module with `NAME.reference.wasm` beside it (difftest's legacy exception handling, which WasmKit
        // cannot run): the reference runs that equivalent module, made with the same index spaces, so the
        // same export names reach the same functions.
        var referenceBinary = binary
        if path.hasSuffix(".wasm"), let other = FileManager.default.contents(atPath: String(path.dropLast(5)) + ".reference.wasm") {
            do { referenceBinary = try ExportEverything.rewrite([UInt8](other)).binary } catch { return .skip("malformed reference module: \(error)") }
        }

        let reference: Instantiation<ReferenceSide>
        do { reference = try ReferenceSide.instantiate(referenceBinary, names: names) } catch {
            return .skip("invalid (the reference rejects it): \(String(describing: error).prefix(200))")
        }
        let validated: ValidatedModule
        do { validated = try ModuleValidator.validate(ModuleDecoder.decode(binary)) } catch {
            // binaryen 108 writes typed references (`(ref $t)`, 0x6b/0x6c) even with only reference types
            // enabled, and WasmKit's parser accepts them: not Wasm 2.0, so Kiln is right to reject them.
            let message = "\(error)"
            if message.contains("malformed value type") || message.contains("invalid function type index: -")
                || ["(0x6b)", "(0x6c)", "(0x63)", "(0x64)"].contains(where: { message.contains("reference type \($0)") }) {
                return .skip("beyond Wasm 2.0 (typed references): \(message.prefix(200))")
            }
            return .fail(.rejected, detail: "Kiln rejects a module WasmKit accepts: \(error)")
        }
        var sides: [KilnSide] = []
        for configuration in configurations {
            guard let plan = plans[configuration.name] else { continue }
            let instantiation: Instantiation<KilnSide>
            do {
                instantiation = try KilnSide.instantiate(validated, names: names, configuration: configuration, plan: plan, scratch: scratch)
            } catch {
                let message = "\(error)"
                if message.contains("unknown import") { return .skip("imports other than fuzzing-support: \(message.prefix(200))") }
                return .fail(.build, detail: "[\(configuration.name)] \(message.prefix(2000))")
            }
            switch (reference, instantiation) {
            case (.ready, .ready(let side)): sides.append(side)
            case (.trapped(let a), .trapped(let b)) where a == b: continue
            case (.trapped(let a), .trapped(let b)):
                return .fail(.instantiate, detail: "[\(configuration.name)] instantiation trapped (\(b.rawValue)), reference (\(a.rawValue))")
            case (.trapped(let a), .ready):
                return .fail(.instantiate, detail: "[\(configuration.name)] instantiated, reference trapped (\(a.rawValue))")
            case (.ready, .trapped(let b)):
                return .fail(.instantiate, detail: "[\(configuration.name)] instantiation trapped (\(b.rawValue)), reference did not")
            }
        }
        guard case .ready(let ref) = reference, let first = sides.first else { return .pass(allowed: [:]) }
        return compare(ref, sides, exports: first.instance.exportNames.filter {
            first.instance.exportedFunctionIndex($0) != nil && $0 != "hangLimitInitializer" && !$0.hasPrefix("__difftest")
        }, seed: ArgumentSource.seed(original), binary: binary)
    }

    func compare(_ ref: ReferenceSide, _ sides: [KilnSide], exports: [String], seed: UInt64, binary: [UInt8]) -> Verdict {
        var allowed: [String: Int] = [:]
        var failure: (DivergenceClass, String)?
        var live = sides
        if let divergence = compareLogs(ref.log.take(), live.map { $0.log.take() }, live, at: "instantiation") {
            return .fail(.log, detail: divergence)
        }
        let hasHangLimit = sides[0].instance.exportedFunctionIndex("hangLimitInitializer") != nil
        for (exportIndex, export) in exports.enumerated() {
            let types = sides[0].instance.parameterTypes(export) ?? []
            var source = ArgumentSource(seed: seed &+ UInt64(exportIndex) &* 0x1000_0000_01b3)
            for k in 0..<(types.isEmpty ? 1 : callsPerExport) {
                let arguments = source.vector(types, index: k)
                let call = "\(export)(\(arguments.map(\.description).joined(separator: ", ")))"
                if hasHangLimit {
                    _ = ref.call("hangLimitInitializer", [])
                    for side in live { _ = side.call("hangLimitInitializer", []) }
                }
                let expected = ref.call(export, arguments)
                // WasmKit 0.4.2 fails some threads modules in its own translator ("missing rmw operands"): nothing
                // to compare with.
                if expected == .trap(.referenceFailure) { return .skip("the reference failed after \(call): \(ref.lastFailure ?? "")") }
                let expectedLog = ref.log.take()
                let expectedGlobals = ref.globals
                var stillLive: [KilnSide] = []
                // A notify's trap allowed in one configuration (its line table named the notify, as -O0's always do)
                // is allowed in the others that end the call the same way (optimized code may not name it).
                var notifyTrap: (Outcome, [Val])?
                for side in live {
                    let outcome = side.call(export, arguments)
                    let log = side.log.take()
                    let label = "[\(side.configuration.name)] after \(call)"
                    var result = judge(
                        side, binary: binary, outcome: outcome, log: log, expected: expected, expectedLog: expectedLog, ref: ref,
                        expectedGlobals: expectedGlobals, label: label)
                    if case .allowed("notify-checks") = result { notifyTrap = (outcome, log) }
                    if case .diverged = result, let (trap, trapLog) = notifyTrap, trap == outcome, trapLog == log { result = .allowed("notify-checks") }
                    switch result {
                    case .same: stillLive.append(side)
                    case .allowed(let kind):
                        allowed[kind, default: 0] += 1
                        let synced = ref.withMemory { side.overwrite(memory: $0, globals: expectedGlobals) }
                        if synced { stillLive.append(side) } else if failure == nil { failure = (.memorySize, "\(label): memory sizes differ after \(kind)") }
                    case .diverged(let kind, let detail):
                        if failure == nil { failure = (kind, detail) }
                    }
                }
                live = stillLive
                if live.isEmpty { break }
            }
            if live.isEmpty { break }
        }
        if let failure { return .fail(failure.0, detail: failure.1) }
        return .pass(allowed: allowed)
    }

    enum Judgement {
        case same
        case allowed(String)
        case diverged(DivergenceClass, String)
    }

    /// Whether the instruction at `offset` of the module is memory.atomic.notify (0xFE 0x00).
    static func isNotify(_ binary: [UInt8], at offset: Int) -> Bool {
        offset >= 0 && offset + 1 < binary.count && binary[offset] == 0xfe && binary[offset + 1] == 0x00
    }

    func judge(
        _ side: KilnSide, binary: [UInt8], outcome: Outcome, log: [Val], expected: Outcome, expectedLog: [Val], ref: ReferenceSide,
        expectedGlobals: [Val], label: String
    ) -> Judgement {
        let judgement = judgeStrictly(side, outcome: outcome, log: log, expected: expected, expectedLog: expectedLog, ref: ref,
                                      expectedGlobals: expectedGlobals, label: label)
        // WasmKit 0.4.2 checks neither the alignment of memory.atomic.notify's address nor, on a shared memory, its
        // bounds (it compares with the maximum), where the threads spec, wasmtime, wasmer and wasm2c trap: when Kiln
        // trapped at a notify, whatever the reference did past it (returned, logged, stored, trapped later) is
        // allowed. Fixtures/wast/threads.wast checks that notify traps exactly when it must.
        if case .diverged = judgement, case .trap(let kind) = outcome, kind == .unalignedAtomic || kind == .memory,
            let offset = side.lastTrapOffset, Self.isNotify(binary, at: offset) {
            return .allowed("notify-checks")
        }
        return judgement
    }

    func judgeStrictly(
        _ side: KilnSide, outcome: Outcome, log: [Val], expected: Outcome, expectedLog: [Val], ref: ReferenceSide,
        expectedGlobals: [Val], label: String
    ) -> Judgement {
        if outcome == .trap(.stack) || expected == .trap(.stack) { return .allowed("stack") }
        // Guard mode and an out-of-bounds trap in both: stores just before the fault may be lost.
        let afterGuardTrap = side.configuration.boundsGuard && expected == .trap(.memory)
        guard outcome.matches(expected) else {
            let kind: DivergenceClass = if case .values = outcome, case .values = expected { .result } else { .trap }
            return .diverged(kind, "\(label): \(outcome), reference \(expected)")
        }
        if let divergence = compareLogs(expectedLog, [log], [side], at: label) {
            return .diverged(.log, divergence)
        }
        // Results and logs that matched only up to NaN payloads.
        var nanOnly = outcome != expected || log != expectedLog
        let memoryVerdict: Judgement? = ref.withMemory { expectedMemory in
            side.withMemory { memory in
                guard memory.count == expectedMemory.count else {
                    return .diverged(.memorySize, "\(label): memory is \(memory.count) bytes, reference \(expectedMemory.count)")
                }
                guard let firstDifference = Self.firstDifference(memory, expectedMemory) else { return nil }
                if Self.differOnlyInNaNs(memory, expectedMemory, from: firstDifference) {
                    nanOnly = true
                    return nil
                }
                if afterGuardTrap { return .allowed("guard-after-trap") }
                let window = { (m: UnsafeRawBufferPointer) in
                    m[firstDifference..<min(m.count, firstDifference + 16)].map { String(format: "%02x", $0) }.joined()
                }
                return .diverged(.memory, "\(label): memory differs at \(firstDifference): \(window(memory)), reference \(window(expectedMemory))")
            }
        }
        if let memoryVerdict { return memoryVerdict }
        let globals = side.globals
        for (index, (value, expectedValue)) in zip(globals, expectedGlobals).enumerated() where value != expectedValue {
            if value.matches(expectedValue) {
                nanOnly = true
                continue
            }
            if afterGuardTrap { return .allowed("guard-after-trap") }
            return .diverged(.global, "\(label): global \(index) is \(value), reference \(expectedValue)")
        }
        return nanOnly ? .allowed("nan-bits") : .same
    }

    func compareLogs(_ expected: [Val], _ logs: [[Val]], _ sides: [KilnSide], at label: String) -> String? {
        for (log, side) in zip(logs, sides) {
            let same = log.count == expected.count && zip(log, expected).allSatisfy { $0.matches($1) }
            if !same {
                let index = zip(log, expected).enumerated().first { !$0.element.0.matches($0.element.1) }?.offset ?? min(log.count, expected.count)
                let got = index < log.count ? log[index].description : "(end)"
                let want = index < expected.count ? expected[index].description : "(end)"
                return "\(label.hasPrefix("[") ? label : "[\(side.configuration.name)] \(label)"): log entry \(index) is \(got), reference \(want)"
            }
        }
        return nil
    }

    static func firstDifference(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int? {
        guard let x = a.baseAddress, let y = b.baseAddress, a.count > 0 else { return nil }
        if memcmp(x, y, a.count) == 0 { return nil }
        return (0..<a.count).first { a[$0] != b[$0] }
    }

    /// Whether every differing byte lies in a 4- or 8-byte window (aligned or not: stores need not be)
    /// that is a NaN in both memories.
    static func differOnlyInNaNs(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer, from start: Int) -> Bool {
        var checked = 0
        for i in start..<a.count where a[i] != b[i] {
            checked += 1
            if checked > 4096 { return false }
            var covered = false
            for width in [4, 8] where !covered {
                for lo in max(0, i - width + 1)...i where lo + width <= a.count {
                    let x = a[lo..<(lo + width)], y = b[lo..<(lo + width)]
                    let nan = width == 4
                        ? Val.isNaN32(Val.word32(x, 0)) && Val.isNaN32(Val.word32(y, 0))
                        : Val.isNaN64(Val.word64(x, 0)) && Val.isNaN64(Val.word64(y, 0))
                    if nan { covered = true; break }
                }
            }
            if !covered { return false }
        }
        return true
    }
}
