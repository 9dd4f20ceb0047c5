#if canImport(Glibc)
    import Glibc
#endif
import CKilnHost
import Foundation

/// How a WASI command sees the world: its arguments, its environment (exactly these variables, nothing
/// inherited), the host directories it may reach and what its stdin, stdout and stderr are.
public struct WASIConfiguration: Sendable {
    public var arguments: [String]
    /// `NAME=VALUE` pairs, in order.
    public var environment: [(name: String, value: String)]
    public var preopens: [Preopen]
    public var stdin: WASIInput
    public var stdout: WASIOutput
    public var stderr: WASIOutput

    public init(arguments: [String] = [], environment: [(name: String, value: String)] = [], preopens: [Preopen] = [],
                stdin: WASIInput = .inherit, stdout: WASIOutput = .inherit, stderr: WASIOutput = .inherit) {
        self.arguments = arguments
        self.environment = environment
        self.preopens = preopens
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
    }

    /// A host directory the guest sees at `guestPath`; through a read-only one it can change nothing.
    public struct Preopen: Sendable {
        public var hostPath: String
        public var guestPath: String
        public var readOnly: Bool

        public init(hostPath: String, guestPath: String? = nil, readOnly: Bool = false) {
            self.hostPath = hostPath
            self.guestPath = guestPath ?? hostPath
            self.readOnly = readOnly
        }
    }
}

/// What the guest reads from stdin.
public enum WASIInput: Sendable {
    /// The host process's own stdin.
    case inherit
    /// The file at the path.
    case file(String)
    /// These bytes, then end of file.
    case bytes([UInt8])
}

/// Where the guest's stdout or stderr goes.
public enum WASIOutput: Sendable {
    /// The host process's own.
    case inherit
    /// The file at the path, created or truncated.
    case file(String)
    /// A buffer the host reads (`WASIOutputBuffer.bytes`) while or after the guest runs.
    case buffer(WASIOutputBuffer)
}

/// Output a guest wrote, kept in an unlinked temporary file: the guest's writes go straight there, however
/// many, and reading them back takes no thread and no pipe that could fill up.
public final class WASIOutputBuffer: @unchecked Sendable {
    let fd: Int32

    public init() throws {
        var template = Array((NSTemporaryDirectory() + "/kiln-wasi-output-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw LoadError(reason: "cannot make a WASI output buffer: \(String(cString: strerror(errno)))") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        self.fd = fd
    }

    deinit { close(fd) }

    /// Everything written so far.
    public var bytes: [UInt8] {
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_size > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: Int(status.st_size))
        let count = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        return Array(out.prefix(max(0, count)))
    }

    /// Everything written so far, as UTF-8 (invalid sequences repaired).
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

extension Store {
    /// Gives the store the WASI state `configuration` describes.
    public func setUpWASI(_ configuration: WASIConfiguration) throws {
        try setUpWASI(
            arguments: configuration.arguments.map { Array($0.utf8) },
            environment: configuration.environment.map { Array("\($0.name)=\($0.value)".utf8) },
            preopens: configuration.preopens.map { ($0.hostPath, $0.guestPath, $0.readOnly) })
        guard let wasi else { return }
        func redirect(_ stdio: Int32, _ fd: Int32, _ what: String) throws {
            let error = kiln_wasi_set_stdio(wasi, stdio, fd)
            guard error == 0 else { throw LoadError(reason: "cannot give the guest \(what): \(String(cString: strerror(error)))") }
        }
        func openFile(_ path: String, _ flags: Int32) throws -> Int32 {
            let fd = open(path, flags | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw LoadError(reason: "cannot open \(path): \(String(cString: strerror(errno)))") }
            return fd
        }
        switch configuration.stdin {
        case .inherit: break
        case .file(let path):
            let fd = try openFile(path, O_RDONLY)
            defer { close(fd) }
            try redirect(0, fd, "stdin from \(path)")
        case .bytes(let bytes):
            let buffer = try WASIOutputBuffer()
            var written = 0
            while written < bytes.count {
                let n = bytes[written...].withUnsafeBytes { pwrite(buffer.fd, $0.baseAddress, $0.count, off_t(written)) }
                guard n > 0 else { throw LoadError(reason: "cannot keep the guest's stdin: \(String(cString: strerror(errno)))") }
                written += n
            }
            try redirect(0, buffer.fd, "its stdin")
        }
        for (stdio, output) in [(Int32(1), configuration.stdout), (2, configuration.stderr)] {
            switch output {
            case .inherit: break
            case .file(let path):
                let fd = try openFile(path, O_WRONLY | O_CREAT | O_TRUNC)
                defer { close(fd) }
                try redirect(stdio, fd, "\(stdio == 1 ? "stdout" : "stderr") to \(path)")
            case .buffer(let buffer):
                try redirect(stdio, buffer.fd, stdio == 1 ? "stdout" : "stderr")
            }
        }
    }

    var hasWASI: Bool { wasi != nil }
}

extension Instance {
    /// Runs a WASI command's `_start` and gives its exit status as a value: 0 when `_start` returns, the
    /// status when the guest calls `proc_exit`. A trap is thrown (`Trap`), never turned into a status.
    public func runCommand() throws -> Int32 {
        do {
            _ = try call("_start")
            return 0
        } catch let trap as Trap where trap.isExit {
            return store.exitCode
        }
    }
}
