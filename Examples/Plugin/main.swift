// A plugin host: the plugin is a Wasm module that exports `transform(ptr, len) -> len'` and imports two host
// functions, `host.log` (a message in its memory) and `host.lookup` (a value from the host's table). The
// host compiles it once (cached in a directory of its own), gives each request a store of its own, and
// turns a plugin's failure into an error for that request alone.
//
//     swift run example-plugin
import Foundation
import Kiln

let plugin = """
    (module
      (import "host" "log" (func $log (param i32 i32)))
      (import "host" "lookup" (func $lookup (param i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 0) "uppercasing")
      ;; Uppercases ASCII letters in place, adds the host's value for the text's length, and refuses input
      ;; longer than 64 bytes by trapping.
      (func (export "transform") (param $ptr i32) (param $len i32) (result i32)
        (local $i i32) (local $c i32)
        (call $log (i32.const 0) (i32.const 11))
        (if (i32.gt_u (local.get $len) (i32.const 64)) (then unreachable))
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
          (local.set $c (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
          (if (i32.and (i32.ge_u (local.get $c) (i32.const 97)) (i32.le_u (local.get $c) (i32.const 122)))
            (then (i32.store8 (i32.add (local.get $ptr) (local.get $i)) (i32.sub (local.get $c) (i32.const 32)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
        (i32.store8 (i32.add (local.get $ptr) (local.get $len)) (call $lookup (local.get $len)))
        (i32.add (local.get $len) (i32.const 1))))
    """

/// What each request's host functions see, through `Caller.data(as:)`.
final class RequestState {
    let id: Int
    var logged: [String] = []
    init(id: Int) { self.id = id }
}

struct UnknownKey: Error, CustomStringConvertible {
    let key: Int32
    var description: String { "no table entry for \(key)" }
}

let cache = NSTemporaryDirectory() + "kiln-example-plugin-cache"
let engine = try Engine(Configuration(cache: .directory(cache)))
let module = try Module(engine: engine, wat: plugin, name: "plugin.wat")

let table: [Int32: Int32] = [5: 0x21, 6: 0x3f]  // "!" for 5-byte texts, "?" for 6-byte ones
let linker = Linker()
try linker.defineFunction("host", "log") { (caller: Caller, pointer: Int32, length: Int32) in
    let text = try caller.memory()!.readString(at: UInt64(UInt32(bitPattern: pointer)), count: Int(length))
    caller.data(as: RequestState.self)?.logged.append(text)
}
try linker.defineFunction("host", "lookup") { (_: Caller, key: Int32) -> Int32 in
    guard let value = table[key] else { throw UnknownKey(key: key) }
    return value
}

func handle(_ input: String, id: Int) -> String {
    let state = RequestState(id: id)
    let store = Store()
    store.data = state
    do {
        let instance = try linker.instantiate(module, in: store)
        let memory = instance.memory()!
        try memory.write(Array(input.utf8), at: 1024)
        let transform = try instance.typedFunction("transform", (Int32, Int32).self, Int32.self)
        let length = try transform(1024, Int32(input.utf8.count))
        return "request \(id): \(try memory.readString(at: 1024, count: Int(length))) (plugin logged \(state.logged))"
    } catch let trap as Trap {
        return "request \(id): plugin failed: \(trap.message)"
    } catch {
        return "request \(id): \(error)"
    }
}

for (id, input) in ["hello", "kiln!!", "unknown length", String(repeating: "x", count: 100)].enumerated() {
    print(handle(input, id: id))
}
