#if canImport(Glibc)
    import Glibc
#endif
import CKilnHost

/// The WASI state of a command: its arguments, environment and preopened directories.
extension Store {
    public func setUpWASI(arguments: [String], environment: [String], preopens: [(host: String, guest: String)]) throws {
        let state = withCStrings(arguments) { argv in
            withCStrings(environment) { envp in
                withCStrings(preopens.map(\.host)) { hosts in
                    withCStrings(preopens.map(\.guest)) { guests in
                        kiln_wasi_new(Int32(arguments.count), argv, Int32(environment.count), envp, Int32(preopens.count), hosts, guests)
                    }
                }
            }
        }
        guard let state else {
            throw LoadError(reason: "cannot preopen \(preopens.map(\.host).joined(separator: ", "))")
        }
        ctx.pointee.host = UnsafeMutableRawPointer(state)
        wasi = state
    }

    /// The status the guest passed to proc_exit.
    public var exitCode: Int32 { ctx.pointee.exit_code }
}

func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    var pointers: [UnsafePointer<CChar>?] = strings.map { UnsafePointer(strdup($0)) }
    defer { for p in pointers { free(UnsafeMutablePointer(mutating: p)) } }
    pointers.append(nil)
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
