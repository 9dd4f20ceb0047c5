// kiln-interp: runs a WASI command under WasmKit's interpreter with WasmKit's own WASI.
//
// It is the interpreter baseline of `kiln bench`, a separate executable so that WasmKit never enters a
// Kiln library target (only this tool and the differential tests link it), and so that every timed run is
// a process of its own whose peak RSS the parent reads from wait4.
//
//   kiln-interp [--dir HOST[::GUEST]]… [--env NAME=VALUE]… [--argv0 NAME] MODULE.wasm [ARGS…]
//
// `--readonly-dir` is refused with a usage error: WasmKit's WASI cannot make a preopen read-only.
//
// Exit status: the guest's proc_exit status (low 8 bits, as the OS keeps them), 0 when `_start` returns,
// 134 after a trap, 2 for a usage error or a module that cannot be loaded.
import Foundation
import WasmKit
import WasmKitWASI

func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data("kiln-interp: \(message)\n".utf8))
    exit(status)
}

var arguments = Array(CommandLine.arguments.dropFirst())
var preopens: [WASIBridgeToHost.Preopen] = []
var environment: [String: String] = [:]
var argv0: String?
while let first = arguments.first, first.hasPrefix("--") {
    arguments.removeFirst()
    if first == "--" { break }
    guard let value = arguments.first else { fail("\(first) needs a value", status: 2) }
    arguments.removeFirst()
    switch first {
    case "--dir":
        let parts = value.components(separatedBy: "::")
        preopens.append(.init(guestPath: parts.count > 1 ? parts[1] : parts[0], hostPath: parts[0]))
    case "--env":
        guard let equals = value.firstIndex(of: "=") else { fail("--env expects NAME=VALUE, got \(value)", status: 2) }
        environment[String(value[..<equals])] = String(value[value.index(after: equals)...])
    case "--argv0":
        argv0 = value
    case "--readonly-dir":
        // WasmKit's WASI has no read-only preopens; a writable one in its place would break the promise.
        fail("--readonly-dir \(value): not supported: WasmKit's WASI has no read-only preopens (use kiln run)", status: 2)
    default:
        fail("unknown option \(first)", status: 2)
    }
}
guard let path = arguments.first else {
    fail("usage: kiln-interp [--dir HOST[::GUEST]]… [--env NAME=VALUE]… [--argv0 NAME] MODULE.wasm [ARGS…]", status: 2)
}
let programName = argv0 ?? URL(fileURLWithPath: path).lastPathComponent

var features = EngineConfiguration().features  // WasmParser's default set lacks SIMD
features.insert(.simd)
let module: Module
do {
    module = try parseWasm(filePath: .init(path), features: features)
} catch {
    fail("\(path): \(error)", status: 2)
}

do {
    let wasi = try WASIBridgeToHost(
        args: [programName] + arguments.dropFirst(), environment: environment, preopens: preopens)
    let status = try wasi.runAndClose { wasi -> UInt32 in
        let engine = Engine(configuration: EngineConfiguration(features: features))
        let store = Store(engine: engine)
        var imports = Imports()
        wasi.link(to: &imports, store: store)
        let instance = try module.instantiate(store: store, imports: imports)
        return try wasi.start(instance)
    }
    exit(Int32(truncatingIfNeeded: status & 0xff))
} catch {
    fail("\(path): \(error)", status: 134)
}
