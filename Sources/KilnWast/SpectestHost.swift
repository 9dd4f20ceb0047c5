import CKilnHost
import KilnLoad

/// The `spectest` module the spec scripts import: print functions (which print nothing here), four
/// globals of value 666, a 10..20 funcref table (and a 64-bit one, `table64`), a 1..2 page memory, and a
/// shared one (`shared_memory`, threads).
/// > Note: <https://github.com/WebAssembly/spec/tree/main/interpreter#spectest-host-module>
final class SpectestHost {
    private var values: [String: ExternalValue] = [:]

    init(store: Store) {
        let prints: [(String, String)] = [
            ("print", ""), ("print_i32", "i"), ("print_i64", "j"), ("print_f32", "f"), ("print_f64", "d"),
            ("print_i32_f32", "if"), ("print_f64_f64", "dd"),
        ]
        for (name, params) in prints {
            values[name] = .hostFunction(HostFunction(params: params, results: "") { _ in [] })
        }
        values["global_i32"] = store.makeGlobal(.i32(666), mutable: false)
        values["global_i64"] = store.makeGlobal(.i64(666), mutable: false)
        values["global_f32"] = store.makeGlobal(.f32(666.6), mutable: false)
        values["global_f64"] = store.makeGlobal(.f64(666.6), mutable: false)
        values["table"] = store.makeTable(funcref: true, min: 10, max: 20)
        values["table64"] = store.makeTable(funcref: true, min: 10, max: 20, is64: true)
        values["memory"] = store.makeMemory(min: 1, max: 2)
        values["shared_memory"] = store.makeMemory(min: 1, max: 2, shared: true)
    }

    func resolve(_ name: String) -> ExternalValue? { values[name] }
}
