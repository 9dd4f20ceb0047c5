#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import KilnModel

/// Prints `m.wasm: invalid module: func 3 at offset 0x2a: type mismatch: …` to stderr.
func printError(_ error: any Error, module: String) {
    let line = (error as? any KilnError)?.message(module: module) ?? "\(module): error: \(error)"
    printStandardError(line)
}

func printStandardError(_ text: String) {
    var bytes = Array((text + "\n").utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
}
