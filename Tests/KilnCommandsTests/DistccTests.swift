#if canImport(Glibc)
    import Glibc
#endif
import Foundation
import Testing

@testable import Kiln

/// `--cc "distcc clang"` spreads the C compiles over a build farm (README, "Compiling on a build farm"): a
/// distccd on loopback compiles a module's C and the runtime's, with no fallback to compiling locally, and
/// the artifact runs.
@Suite struct DistccTests {
    @Test func aModuleCompilesThroughDistccdOnLoopback() throws {
        let distccd = try KilnProcess.debianTool("distccd")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let port = try #require(Self.freePort())
        // distccd gives up root for its own user, which cannot write here: it logs to stderr, into our file.
        let logPath = try directory.write("distccd.log", [])
        // --enable-tcp-insecure: run clang though /usr/lib/distcc lists no masquerade link for it (a farm's
        // machines run update-distcc-symlinks instead).
        let group = try #require(Self.spawnGroup([distccd, "--daemon", "--no-detach", "--allow", "127.0.0.1", "--listen", "127.0.0.1",
                                                  "--port", "\(port)", "--log-stderr", "--log-level", "info", "--jobs", "2",
                                                  "--enable-tcp-insecure"], stderr: logPath))
        defer { Self.killGroup(group) }
        try #require(Self.waitForListener(port: port), "distccd did not listen on port \(port)")
        let state = directory.url.appendingPathComponent("distcc").path
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let environment = ["DISTCC_HOSTS": "127.0.0.1:\(port)/2", "DISTCC_FALLBACK": "0", "DISTCC_DIR": state,
                           "DISTCC_BACKOFF_PERIOD": "0", "KILN_CACHE_DIR": directory.url.appendingPathComponent("cache").path]
        let artifact = directory.url.appendingPathComponent("fac.so").path
        let compile = try KilnProcess.run(["compile", "--cc", "distcc clang", KilnProcess.fixture("wat/fac.wat"), "-o", artifact],
                                          environment: environment)
        #expect(compile.status == 0, "\(compile.stderr)")
        let run = try KilnProcess.run(["run", artifact, "--invoke", "fac", "5"], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "120\n")
        // The runtime's sources and the module's C: each compile the daemon did is a COMPILE_OK line.
        let text = try String(contentsOfFile: logPath, encoding: .utf8)
        #expect(text.components(separatedBy: "COMPILE_OK").count - 1 >= 2, "\(text)")
    }

    /// distcc runs clang with `-target x86_64-pc-linux-gnu`, its own build's triple; artifacts it built
    /// were refused as "built for" another machine until the vendor stopped counting.
    @Test func triplesThatDifferOnlyInTheVendorNameOneMachine() {
        #expect(ArtifactMetadata.sameMachine("x86_64-pc-linux-gnu", "x86_64-unknown-linux-gnu"))
        #expect(!ArtifactMetadata.sameMachine("aarch64-unknown-linux-gnu", "x86_64-unknown-linux-gnu"))
        #expect(!ArtifactMetadata.sameMachine("x86_64-unknown-linux-musl", "x86_64-unknown-linux-gnu"))
        #expect(!ArtifactMetadata.sameMachine("x86_64-linux-gnu", "x86_64-unknown-linux-gnu"))
    }

    /// Starts `command` in a process group of its own with no signal blocked (a thread of this test process
    /// may block signals, and a child inherits its mask: distccd then never heard SIGTERM), stderr to a file.
    static func spawnGroup(_ command: [String], stderr: String) -> pid_t? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_APPEND, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { for word in argv { free(word) } }
        var pid: pid_t = 0
        return posix_spawn(&pid, command[0], &actions, &attributes, argv, environ) == 0 ? pid : nil
    }

    /// The whole group (distccd and the workers it forked), then the leader reaped.
    static func killGroup(_ group: pid_t) {
        kill(-group, SIGKILL)
        var status: Int32 = 0
        while waitpid(group, &status, 0) < 0 && errno == EINTR {}
    }

    /// A port nothing listens on now: the kernel's pick for a socket bound to port 0.
    static func freePort() -> UInt16? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        return bound ? UInt16(bigEndian: address.sin_port) : nil
    }

    /// Whether something accepts connections on the port within 10 s.
    static func waitForListener(port: UInt16) -> Bool {
        for _ in 0..<200 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { return false }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = port.bigEndian
            let connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            close(fd)
            if connected { return true }
            usleep(50_000)
        }
        return false
    }
}
