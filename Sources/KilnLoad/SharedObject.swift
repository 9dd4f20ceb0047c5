#if canImport(Glibc)
    import Glibc
#endif
import CKilnHost

/// A loaded artifact: `dlopen` and its `kiln_module_descriptor`. Kept open for the life of the process,
/// since instances point into its code.
public final class SharedObject: @unchecked Sendable {
    public let path: String
    let handle: UnsafeMutableRawPointer
    public let descriptor: UnsafePointer<kiln_module>

    /// The ABI version and metadata record, as read from the file before it was opened.
    public let file: ArtifactFile

    /// Checks the file (`ArtifactFile.inspect`) and only then opens it: dlopen runs a library's constructors
    /// and faults on a truncated file, so nothing that is not a complete Kiln artifact of this ABI reaches it.
    public init(path: String) throws {
        self.path = path
        file = try ArtifactFile.inspect(path: path)
        // dlopen searches the library path for a name without a slash ("m.so"), never the current directory.
        let name = path.contains("/") ? path : "./" + path
        guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
            throw LoadError(reason: "dlopen \(path): \(String(cString: dlerror()))")
        }
        guard let symbol = dlsym(handle, "kiln_module_descriptor") else {
            dlclose(handle)
            throw LoadError(reason: "\(path) is not a Kiln artifact: no kiln_module_descriptor")
        }
        let descriptor = symbol.assumingMemoryBound(to: kiln_module.self)
        // Read before dlclose: the descriptor is in the library's memory, which dlclose unmaps.
        let version = descriptor.pointee.abi_version
        guard version == KILN_ABI_VERSION else {
            dlclose(handle)
            throw LoadError(reason: "\(path) was built for Kiln ABI \(version), this kiln speaks \(KILN_ABI_VERSION): recompile it")
        }
        self.handle = handle
        self.descriptor = UnsafePointer(descriptor)
        // Trap backtraces read the file's symbols: now, while the file is surely there.
        kiln_backtrace_prepare(descriptor)
    }

    public var module: kiln_module { descriptor.pointee }

    func type(_ index: UInt32) -> (params: String, results: String) {
        let type = module.types[Int(index)]
        return (String(cString: type.params), String(cString: type.results))
    }
}
