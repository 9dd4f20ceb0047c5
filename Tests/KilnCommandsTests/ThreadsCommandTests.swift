import Foundation
import Kiln
import Testing

/// wasi-threads from the command line: `thread-spawn` starts native threads in new instances sharing the
/// imported shared memory (which `kiln run` makes to the import's type), in all three ways a command runs (the
/// driver, the launcher from the cache, a `--exe` executable); a trap in any thread ends the program with 134
/// and says which thread; proc_exit in any thread exits with its status; threads' WASI calls do not corrupt
/// each other. And a real pthreads program (Fixtures/threads/parsort.c) prints what its native build prints.
@Suite struct ThreadsCommandTests {
    static let spawn = KilnProcess.fixture("threads/spawn.wat")

    /// The driver (first run, which compiles), then the launcher (the cached artifact), then an executable.
    static func runEveryWay(_ guestArguments: [String], in directory: TemporaryDirectory) throws -> [KilnProcess.Result] {
        let environment = ["KILN_CACHE_DIR": directory.url.appendingPathComponent("cache").path, "KILN_LAUNCH_DEBUG": "1"]
        let binary = try directory.write("spawn.wasm", try Kiln.read(path: spawn).binary)
        let first = try KilnProcess.run(["run", "--opt", "0", binary] + guestArguments, environment: environment)
        let second = try KilnProcess.run(["run", "--opt", "0", binary] + guestArguments, environment: environment)
        #expect(second.stderr.contains("kiln: launch: hit"), "the second run is the launcher's: \(second.stderr)")
        let program = directory.url.appendingPathComponent("spawn").path
        let compile = try KilnProcess.run(["compile", "--exe", "--opt", "0", binary, "-o", program], environment: environment)
        #expect(compile.status == 0, "\(compile.stderr)")
        return [first, second, try KilnProcess.runProgram(program, guestArguments)]
    }

    @Test func threadsShareTheMemoryAndAreWaitedFor() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for result in try Self.runEveryWay([], in: directory) {
            #expect(result.status == 0, "\(result.stderr)")
            // 4 × 1000 atomic adds, and thread ids 1 to 4 (their sum is 10) in one process.
            #expect(result.stdout == "counted 4000\n")
        }
    }

    @Test func aTrapInAThreadEndsTheProgram() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for result in try Self.runEveryWay(["trap"], in: directory) {
            #expect(result.status == 134)
            #expect(result.stderr.contains("error: wasm trap: unreachable\n  while running wasi_thread_start (thread "), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
    }

    @Test func procExitInAThreadExitsTheProgram() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for result in try Self.runEveryWay(["exit", "7"], in: directory) {
            #expect(result.status == 7, "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
    }

    /// Four threads write 50 lines each while the others count: every line arrives whole.
    @Test func threadsWriteConcurrently() throws {
        let result = try KilnProcess.run(["run", "--no-cache", "--opt", "2", Self.spawn, "a", "b", "c"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.filter { $0 == "thread line" }.count == 200)
        #expect(lines.filter { $0 == "counted 4000" }.count == 1)
        #expect(lines.count == 202)  // and the empty string after the last newline
    }

    /// A module whose thread-spawn finds no `wasi_thread_start` export gets -1 (pthread_create's EAGAIN).
    @Test func spawnWithoutAThreadStartFails() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let source = try directory.write("nostart.wat", text: """
            (module
              (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
              (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
              (import "env" "memory" (memory 1 1 shared))
              (func (export "_start") (call $proc_exit (i32.sub (i32.const 0) (call $spawn (i32.const 0))))))
            """)
        let result = try KilnProcess.run(["run", "--no-cache", "--opt", "0", source])
        #expect(result.status == 1, "\(result.stderr)")
    }

    /// The real program: a pthreads merge sort built for wasi-threads; its output is native's, at every thread
    /// count (the native build is made here from the same source with clang -O2 -pthread).
    @Test func parallelSortPrintsWhatNativePrints() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let native = directory.url.appendingPathComponent("parsort").path
        let cc = try KilnProcess.launch(URL(fileURLWithPath: "/usr/bin/env"), ["clang", "-O2", "-pthread", KilnProcess.fixture("threads/parsort.c"), "-o", native], environment: [:])
        #expect(cc.status == 0, "\(cc.stderr)")
        let environment = ["KILN_CACHE_DIR": directory.url.appendingPathComponent("cache").path]
        for threads in ["1", "2", "3"] {
            let expected = try KilnProcess.runProgram(native, [threads, "100003"])
            let result = try KilnProcess.run(["run", KilnProcess.fixture("threads/parsort.wasm"), threads, "100003"], environment: environment)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == expected.stdout)
            #expect(result.stdout == "parsort: n=100003 sorted=yes permutation=yes checksum=5ea76b9631598371\n")
        }
    }
}
