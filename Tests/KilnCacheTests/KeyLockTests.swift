import Foundation
import Testing

@testable import KilnCache

#if canImport(Glibc)
    import Glibc
#endif

struct KeyLockTests {
    /// Whether the lock can be taken within two seconds. Not at once: while another test's thread starts a
    /// process, the forked child holds copies of every descriptor until it calls `exec`, where `O_CLOEXEC`
    /// closes them, so a lock just released can stay held for that moment.
    static func becomesFree(_ path: String) -> Bool {
        let deadline = Date().addingTimeInterval(2)
        repeat {
            if (try? KeyLock.attempt(path)) != nil { return true }
            usleep(10_000)
        } while Date() < deadline
        return false
    }

    @Test func excludesAnotherOpenOfTheSameFileEvenInOneProcess() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path + "/k.lock"
        var held: KeyLock? = try KeyLock.acquire(path)
        #expect(try KeyLock.attempt(path) == nil)
        withExtendedLifetime(held) {}
        held = nil
        #expect(Self.becomesFree(path))
    }

    @Test func attemptWithoutCreateOnAMissingFile() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        #expect(try KeyLock.attempt(scratch.path + "/none.lock", create: false) == nil)
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/none.lock"))
    }

    @Test func waiterGetsTheLockWhenItIsReleased() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path + "/k.lock"
        var held: KeyLock? = try KeyLock.acquire(path)
        let acquired = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let lock = try? KeyLock.acquire(path)
            acquired.signal()
            withExtendedLifetime(lock) {}
        }
        #expect(acquired.wait(timeout: .now() + 0.3) == .timedOut)
        withExtendedLifetime(held) {}
        held = nil
        #expect(acquired.wait(timeout: .now() + 10) == .success)
    }

    /// A waiter whose lock file was removed by the holder (`prune`) must not believe it holds the lock: it
    /// takes the lock again on the new file, where it excludes later comers.
    @Test func waiterRetriesWhenTheHolderRemovesTheFile() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path + "/k.lock"
        var held: KeyLock? = try KeyLock.acquire(path)
        let acquired = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let lock = try? KeyLock.acquire(path)
            acquired.signal()
            release.wait()
            withExtendedLifetime(lock) {}
        }
        usleep(100_000)
        held?.removeFile()
        held = nil
        #expect(acquired.wait(timeout: .now() + 10) == .success)
        // The waiter holds the lock on the file that is at `path` now.
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try KeyLock.attempt(path) == nil)
        release.signal()
    }

    /// A long-running child (a C compiler the build started, say) must not keep the lock alive after the
    /// holder is gone. `posix_spawn` without file actions passes on every descriptor not marked close-on-exec
    /// (Foundation's `Process` closes them itself, which would hide a missing `O_CLOEXEC`).
    @Test func lockIsNotInheritedByChildProcesses() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = scratch.path + "/k.lock"
        var held: KeyLock? = try KeyLock.acquire(path)
        var child: pid_t = 0
        let words: [String] = ["/bin/sleep", "30"]
        let arguments: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { arguments.forEach { free($0) } }
        try #require(posix_spawn(&child, "/bin/sleep", nil, nil, arguments, environ) == 0)
        defer {
            kill(child, SIGKILL)
            var status: Int32 = 0
            waitpid(child, &status, 0)
        }
        withExtendedLifetime(held) {}
        held = nil
        #expect(Self.becomesFree(path))
    }
}
