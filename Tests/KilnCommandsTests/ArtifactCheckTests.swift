import Foundation
import Testing

/// `kiln run x.so` reads the artifact's ELF headers and metadata from the file before `dlopen` runs any of
/// its code; a compiler that reports success with a broken shared object publishes nothing.
@Suite struct ArtifactCheckTests {
    /// A compiled fac.so in `directory`.
    static func compiled(in directory: TemporaryDirectory) throws -> String {
        let artifact = directory.url.appendingPathComponent("fac.so").path
        let compile = try KilnProcess.run(["compile", KilnProcess.fixture("wat/fac.wat"), "-o", artifact, "--opt", "0"])
        try #require(compile.status == 0, "\(compile.stderr)")
        return artifact
    }

    /// Once SIGBUS inside dlopen.
    @Test func aTruncatedArtifactIsRefusedBeforeDlopen() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try Self.compiled(in: directory))))
        for length in [3000, bytes.count / 2, bytes.count - 1] {
            let path = try directory.write("cut-\(length).so", Array(bytes[0..<length]))
            let result = try KilnProcess.run(["run", path, "--invoke", "fac", "3"])
            #expect(result.status == 1, "\(length): \(result.stderr)")
            #expect(result.stderr.hasPrefix("\(path): truncated artifact (the file has \(length) bytes"), "\(result.stderr)")
        }
    }

    /// Once SIGSEGV: the ABI version was read from the descriptor after dlclose.
    @Test func anArtifactOfAnotherABIIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try Self.compiled(in: directory))))
        let magic = try #require(Self.offset(of: Array("KILNMETA".utf8), in: bytes))
        bytes[magic + 8] = 99
        bytes[magic + 9] = 0
        let path = try directory.write("abi99.so", bytes)
        let result = try KilnProcess.run(["run", path, "--invoke", "fac", "3"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("\(path): built for Kiln ABI 99, this kiln speaks "), "\(result.stderr)")
        #expect(result.stderr.hasSuffix(": recompile it\n"))
    }

    @Test func anArtifactForAnotherMachineIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try Self.compiled(in: directory))))
        bytes[18] = 183 == bytes[18] ? 62 : 183  // e_machine: aarch64 here, or x86_64 on an arm64 host
        bytes[19] = 0
        let path = try directory.write("other.so", bytes)
        let result = try KilnProcess.run(["run", path, "--invoke", "fac", "3"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(path): built for "), "\(result.stderr)")
        #expect(result.stderr.contains(", this machine is "), "\(result.stderr)")
    }

    /// A plain shared library's constructor used to run (dlopen first, then the descriptor lookup).
    @Test func aForeignLibrarysConstructorNeverRuns() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let marker = directory.url.appendingPathComponent("marker").path
        let source = try directory.write("ctor.c", text: """
            #include <stdio.h>
            __attribute__((constructor)) static void mark(void) {
              FILE* f = fopen("\(marker)", "w");
              if (f) fclose(f);
            }
            int f(void) { return 1; }
            """)
        let library = directory.url.appendingPathComponent("ctor.so").path
        let clang = Process()
        clang.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        clang.arguments = ["clang", "-shared", "-fPIC", "-o", library, source]
        try clang.run()
        clang.waitUntilExit()
        try #require(clang.terminationStatus == 0)
        let result = try KilnProcess.run(["run", library, "--invoke", "f"])
        #expect(result.status == 1)
        #expect(result.stderr == "\(library): not a Kiln artifact: it has no .kiln_metadata section\n")
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    /// Once published to the cache, and every later run with that compiler crashed with SIGBUS.
    @Test func aCompilerThatLeavesATruncatedObjectPublishesNothing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let script = try directory.write("truncating-cc", text: """
            #!/bin/sh
            # The real clang, then the shared object cut to 3000 bytes, and exit 0.
            clang "$@" || exit $?
            out=""; shared=""; prev=""
            for a in "$@"; do
              [ "$a" = "-shared" ] && shared=1
              [ "$prev" = "-o" ] && out="$a"
              prev="$a"
            done
            [ -n "$shared" ] && truncate -s 3000 "$out"
            exit 0
            """)
        chmod(script, 0o755)
        let cache = directory.url.appendingPathComponent("cache").path
        for _ in 0..<2 {
            let result = try KilnProcess.run(
                ["run", "--cc", script, KilnProcess.fixture("wat/fac.wat"), "--invoke", "fac", "3"], environment: ["KILN_CACHE_DIR": cache])
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr.contains("reported success but produced an invalid shared object: "), "\(result.stderr)")
            #expect(result.stderr.contains("truncated artifact (the file has 3000 bytes"), "\(result.stderr)")
        }
        let compiled = directory.url.appendingPathComponent("fac.so").path
        let compile = try KilnProcess.run(["compile", "--cc", script, KilnProcess.fixture("wat/fac.wat"), "-o", compiled, "--no-cache"])
        #expect(compile.status == 1)
        #expect(compile.stderr.contains("reported success but produced an invalid shared object: "))
        #expect(!FileManager.default.fileExists(atPath: compiled))
    }

    static func offset(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard needle.count <= bytes.count else { return nil }
        return (0...(bytes.count - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
