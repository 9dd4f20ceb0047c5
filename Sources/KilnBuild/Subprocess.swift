#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// Runs a command and captures its combined output: posix_spawnp and waitpid, not Foundation.Process.
///
/// Process.waitUntilExit polls a run loop, and noticed a finished clang 20–70 ms late: on Lua at --opt 2,
/// with 24 units on 2 cores, that idled each core for about 0.3 s between units. waitpid returns when the
/// child exits.
enum Subprocess {
    struct Result {
        let status: Int32
        let output: String
    }

    /// Runs `command` (its first word found on PATH, as a shell would) with stdin from /dev/null. The status is
    /// the exit status, or 128 + the signal that killed it.
    static func run(_ command: [String]) throws(BuildError) -> Result {
        guard let program = command.first else { throw BuildError("cannot run an empty command") }
        // The pipe is made close-on-exec, and the child spawned, under one lock: so no compiler another thread
        // starts can inherit this pipe's write end and keep this thread reading after its own child is done.
        spawning.lock()
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            spawning.unlock()
            throw BuildError("cannot run \(program): pipe: \(describe(errno))")
        }
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
        posix_spawn_file_actions_adddup2(&actions, ends[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The compiler starts with default signal handling whatever this process set (`kiln run` ignores
        // SIGPIPE) and with no signal blocked.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { for word in argv { free(word) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, program, &actions, &attributes, argv, environ)
        close(ends[1])
        spawning.unlock()
        guard spawned == 0 else {
            close(ends[0])
            throw BuildError("cannot run \(program): \(describe(spawned))")
        }
        let output = readAll(ends[0])
        close(ends[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw BuildError("cannot wait for \(program): \(describe(errno))") }
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import.
        let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: code, output: String(decoding: output, as: UTF8.self))
    }

    /// Everything until end of file, retrying reads a signal interrupts.
    static func readAll(_ fd: Int32) -> [UInt8] {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[0..<count])
            } else if count == 0 || errno != EINTR {
                return data
            }
        }
    }

    private static let spawning = NSLock()

    static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }
}
