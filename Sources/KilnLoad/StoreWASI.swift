#if canImport(Glibc)
    import Glibc
#endif
import CKilnHost

/// The WASI state of a command: its arguments, environment and preopened directories.
extension Store {
    /// Arguments and `NAME=VALUE` variables are bytes: the guest gets exactly what the host was given,
    /// valid UTF-8 or not. Preopen i is guest fd 3 + i; through a `readOnly` one (`--readonly-dir`) the guest
    /// can change nothing (Runtime/include/kiln_wasi.h).
    public func setUpWASI(arguments: [[UInt8]], environment: [[UInt8]], preopens: [(host: String, guest: String, readOnly: Bool)]) throws {
        let flags = preopens.map { $0.readOnly ? UInt32(KILN_WASI_PREOPEN_READ_ONLY) : 0 }
        let state = withCStrings(arguments) { argv in
            withCStrings(environment) { envp in
                withCStrings(preopens.map { Array($0.host.utf8) }) { hosts in
                    withCStrings(preopens.map { Array($0.guest.utf8) }) { guests in
                        flags.withUnsafeBufferPointer { flags in
                            kiln_wasi_new_with_flags(
                                Int32(arguments.count), argv, Int32(environment.count), envp, Int32(preopens.count), hosts, guests,
                                flags.baseAddress)
                        }
                    }
                }
            }
        }
        guard let state else {
            throw LoadError(reason: "cannot preopen \(preopens.map(\.host).joined(separator: ", "))")
        }
        // wasi-threads: thread-spawn starts native threads (Runtime/host/threads.c).
        kiln_wasi_set_spawn(state, kiln_thread_spawn)
        ctx.pointee.host = UnsafeMutableRawPointer(state)
        wasi = state
    }

    /// The same with every preopen writable.
    public func setUpWASI(arguments: [[UInt8]], environment: [[UInt8]], preopens: [(host: String, guest: String)]) throws {
        try setUpWASI(arguments: arguments, environment: environment, preopens: preopens.map { ($0.host, $0.guest, false) })
    }

    /// The same with text arguments and variables.
    public func setUpWASI(arguments: [String], environment: [String], preopens: [(host: String, guest: String)]) throws {
        try setUpWASI(arguments: arguments.map { Array($0.utf8) }, environment: environment.map { Array($0.utf8) }, preopens: preopens)
    }

    /// The status the guest passed to proc_exit.
    public var exitCode: Int32 { ctx.pointee.exit_code }
}

/// NUL-terminated copies of `strings` (which hold no NUL: they come from argv, environ and paths) in a
/// NULL-terminated array, for the duration of `body`.
func withCStrings<R>(_ strings: [[UInt8]], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let array = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(capacity: strings.count + 1)
    for (i, bytes) in strings.enumerated() {
        let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
        for (j, byte) in bytes.enumerated() { copy[j] = CChar(bitPattern: byte) }
        copy[bytes.count] = 0
        array[i] = UnsafePointer(copy)
    }
    array[strings.count] = nil
    defer {
        for i in 0..<strings.count { array[i].map { UnsafeMutablePointer(mutating: $0).deallocate() } }
        array.deallocate()
    }
    return body(array)
}
