#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// The compilers running now (each in its own process group) and the work directories of the builds, so that
/// SIGINT or SIGTERM to kiln kills the compilers and removes the directories instead of leaving them behind.
///
/// Why a process group per compiler: `clang` runs `cc1` and the linker as children, and a `--cc` script runs
/// whatever it likes; killing the group reaches all of them. Why a dispatch signal source rather than a
/// handler: removing directories is not async-signal-safe, and the source's handler runs on a queue thread.
public enum CompilerProcesses {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var groups: Set<pid_t> = []
    nonisolated(unsafe) private static var directories: [String] = []
    nonisolated(unsafe) private static var terminating = false
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
    /// The dispositions found at install, put back at uninstall.
    nonisolated(unsafe) private static var previous: [(Int32, sighandler_t?)] = []
    nonisolated(unsafe) private static var installed = false

    /// Runs `spawn` (which starts a process group and returns its id, or nil) and records the group, under the
    /// lock the signal handler takes: so no compiler can start after the handler has killed the others.
    static func spawning(_ spawn: () -> pid_t?) -> pid_t? {
        lock.lock()
        defer { lock.unlock() }
        // The handler holds the lock until the process exits; this is only reached if it has not run.
        guard !terminating, let group = spawn() else { return nil }
        groups.insert(group)
        return group
    }

    static func finished(_ group: pid_t) {
        lock.withLock { _ = groups.remove(group) }
    }

    /// Removes `path` (a directory tree or a file) if kiln is interrupted before `forget(path)`.
    public static func removeOnInterrupt(_ path: String) {
        lock.withLock { directories.append(path) }
    }

    public static func forget(_ path: String) {
        lock.withLock { directories.removeAll { $0 == path } }
    }

    /// From now on SIGINT and SIGTERM kill the running compilers, remove the registered paths and exit with
    /// 128 + the signal, as a shell reports a process killed by it. `kiln compile`, and `kiln run` while it
    /// builds, call this; `uninstall` gives the signals back the action they had (a guest that runs next is
    /// killed by them as usual).
    public static func installSignalHandlers() {
        lock.withLock {
            guard !installed else { return }
            installed = true
            for number in [SIGINT, SIGTERM] {
                // Ignored first, so the default action does not end kiln before the source sees the signal.
                let old = signal(number, SIG_IGN)
                previous.append((number, old))
                // A signal kiln was started with ignored (`nohup`, a background job of a non-interactive
                // shell) stays ignored.
                if let old, unsafeBitCast(old, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) { continue }
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { interrupted(by: number) }
                source.resume()
                sources.append(source)
            }
        }
    }

    public static func uninstallSignalHandlers() {
        lock.withLock {
            guard installed else { return }
            installed = false
            for source in sources { source.cancel() }
            sources.removeAll()
            for (number, old) in previous { signal(number, old) }
            previous.removeAll()
        }
    }

    private static func interrupted(by number: Int32) {
        lock.lock()  // never unlocked: no compiler may start after this
        terminating = true
        for group in groups { kill(-group, SIGKILL) }
        // Reap them, so none outlives kiln even as a zombie an observer could mistake for a live process.
        for group in groups { while waitpid(group, nil, 0) < 0 && errno == EINTR {} }
        for path in directories { try? FileManager.default.removeItem(atPath: path) }
        _exit(128 + number)
    }
}
