/// The values one engine's module passed to the `fuzzing-support` log imports, in order.
final class LogBox: @unchecked Sendable {
    var values: [Val] = []

    func take() -> [Val] {
        defer { values = [] }
        return values
    }
}

/// The harness imports of binaryen's `-ttf` modules (`fuzzing-support`, binaryen 108): each logs its
/// argument. Signature characters as Kiln spells them.
enum FuzzingSupport {
    static let module = "fuzzing-support"
    static let logs: [(name: String, signature: String)] = [
        ("log-i32", "i"), ("log-i64", "j"), ("log-f32", "f"), ("log-f64", "d"), ("log-v128", "v"),
    ]
}
