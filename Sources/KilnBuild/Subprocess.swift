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

    /// Runs `command` (its first word found on PATH, as a shell would) with stdin from /dev/null, in a process
    /// group of its own (see `CompilerProcesses`). The status is the exit status, or 128 + the signal that
    /// killed it. After `timeout` seconds the group is killed and the command reported as hung. The output is
    /// stdout and stderr together, or stdout alone with `discardingErrors` (an answer a launcher such as
    /// distcc must not mix its complaints into).
    /// `directory`: the working directory it runs in (this process's when nil).
    /// `niceness`: the nice value the command runs at (a background build's compilers: 19).
    static func run(_ command: [String], timeout: Double? = CompileTimeout.seconds(), discardingErrors: Bool = false,
                    directory: String? = nil, niceness: Int32 = 0) throws(BuildError) -> Result {
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
        if let directory {
            guard let addchdir = Self.addchdir, addchdir(&actions, directory) == 0 else {
                spawning.unlock()
                close(ends[0])
                close(ends[1])
                throw BuildError("cannot run \(program) in \(directory): this C library cannot start a process in a directory")
            }
        }
        if discardingErrors {
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        } else {
            posix_spawn_file_actions_adddup2(&actions, ends[1], 2)
        }
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
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { for word in argv { free(word) } }
        var pid: pid_t = 0
        var spawned: Int32 = 0
        _ = CompilerProcesses.spawning {
            spawned = posix_spawnp(&pid, program, &actions, &attributes, argv, environ)
            return spawned == 0 ? pid : nil
        }
        close(ends[1])
        spawning.unlock()
        guard spawned == 0, pid > 0 else {
            close(ends[0])
            throw BuildError("cannot run \(program): \(spawned == 0 ? "kiln is being interrupted" : describe(spawned))")
        }
        defer { CompilerProcesses.finished(pid) }
        // Set on the process as it starts: a spawned process inherits its spawning thread's nice value, and
        // libdispatch's worker threads do not all keep the process's.
        if niceness != 0 { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(pid), niceness) }
        let deadline = timeout.map { monotonicSeconds() + $0 }
        let output = readAll(ends[0], until: deadline)
        close(ends[0])
        var status: Int32 = 0
        var timedOut = output == nil
        while !timedOut {
            let reaped = waitpid(pid, &status, deadline == nil ? 0 : WNOHANG)
            if reaped == pid { break }
            if reaped < 0 {
                guard errno == EINTR else { throw BuildError("cannot wait for \(program): \(describe(errno))") }
                continue
            }
            // Output closed but the process lives on: look again shortly, until the deadline.
            if let deadline, monotonicSeconds() >= deadline { timedOut = true } else { usleep(1000) }
        }
        if timedOut, let timeout {
            kill(-pid, SIGKILL)
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            throw BuildError(
                "\(program) did not finish in \(formatSeconds(timeout)) s and was killed (set KILN_CC_TIMEOUT to allow longer)"
                    + "\n  command: \(command.joined(separator: " "))")
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import.
        let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: code, output: String(decoding: output ?? [], as: UTF8.self))
    }

    /// glibc's and macOS's `posix_spawn_file_actions_addchdir_np`, which Swift's Glibc module does not import.
    static let addchdir: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32)? = {
        #if os(Linux)
            let everywhere: UnsafeMutableRawPointer? = nil  // RTLD_DEFAULT
        #else
            let everywhere = UnsafeMutableRawPointer(bitPattern: -2)  // RTLD_DEFAULT
        #endif
        guard let symbol = dlsym(everywhere, "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32).self)
    }()

    /// Everything until end of file, retrying reads a signal interrupts; nil if `deadline` (monotonic
    /// seconds) passes first.
    static func readAll(_ fd: Int32, until deadline: Double? = nil) -> [UInt8]? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if let deadline {
                let left = deadline - monotonicSeconds()
                if left <= 0 { return nil }
                var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&entry, 1, Int32(min(left * 1000 + 1, 60_000)))
                if ready == 0 || (ready < 0 && errno == EINTR) { continue }
            }
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[0..<count])
            } else if count == 0 || errno != EINTR {
                return data
            }
        }
    }

    private static let spawning = NSLock()

    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    static func formatSeconds(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }

    static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }
}
