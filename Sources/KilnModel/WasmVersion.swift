/// Which edition of the standard a module is read and validated by.
///
/// Kiln implements Wasm 3.0 (the parts it supports) by default. `v2` keeps the Wasm 2.0 rules where 3.0
/// changed what is valid — constant expressions that read only imported globals and do no arithmetic, no
/// 3.0 instructions or types — for the 2.0 spec suite, whose assertions about those rules 3.0 reversed,
/// and for users who must reject anything a 2.0 engine would.
public enum WasmVersion: String, Sendable, CaseIterable {
    case v2 = "2.0"
    case v3 = "3.0"
}
