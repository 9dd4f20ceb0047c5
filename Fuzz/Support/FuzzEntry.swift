#if canImport(Glibc)
    import Glibc
#endif

/// The one-input test a fuzz target runs: libFuzzer's `LLVMFuzzerTestOneInput` signature.
public typealias FuzzTest = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

#if KILN_FUZZ
    /// libFuzzer's entry point for a program with its own `main` (libFuzzer >= 11). SwiftPM links an executable
    /// target with `main` renamed to `<module>_main`, so the target needs a Swift `@main` even under
    /// `-sanitize=fuzzer`; that `main` hands the command line to libFuzzer here.
    @_silgen_name("LLVMFuzzerRunDriver")
    private func llvmFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ test: FuzzTest
    ) -> CInt
#endif

/// What a fuzz target's `main` does: under the fuzz build (`-D KILN_FUZZ`, `make fuzz`), run libFuzzer with
/// the command line; in a plain `swift build`, run `test` once on each file named on the command line, so a
/// crash artifact reproduces under the debugger or in a normal build.
public enum FuzzEntry {
    public static func main(_ test: FuzzTest) -> Never {
        #if KILN_FUZZ
            var argc = CommandLine.argc
            var argv = CommandLine.unsafeArgv
            exit(llvmFuzzerRunDriver(&argc, &argv, test))
        #else
            let paths = CommandLine.arguments.dropFirst().filter { !$0.hasPrefix("-") }
            if paths.isEmpty {
                print("usage: \(CommandLine.arguments[0]) INPUT... (reproducer mode; `make fuzz` builds the fuzzer)")
                exit(2)
            }
            for path in paths {
                guard let bytes = readFile(path) else {
                    print("cannot read \(path)")
                    exit(1)
                }
                print("running \(path) (\(bytes.count) bytes)")
                _ = bytes.withUnsafeBufferPointer { test($0.baseAddress, $0.count) }
            }
            print("done: \(paths.count) inputs, no crash")
            exit(0)
        #endif
    }

    /// The whole file, or nil when it cannot be read.
    public static func readFile(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        return ferror(file) == 0 ? bytes : nil
    }
}
