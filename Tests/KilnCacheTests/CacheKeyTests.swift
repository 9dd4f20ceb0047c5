import Foundation
import Testing

@testable import KilnCache

struct CacheKeyTests {
    /// Everything that goes into a key, so each test can change one thing.
    struct Inputs {
        var module = Fixture.bytes(size: 300)
        var version = "0.1.0"
        var options = ["-O2", "sanitize=none", "cpu=x86-64-v2"]
        var compiler = "/usr/bin/clang\nclang version 21.0.0\nTarget: x86_64-unknown-linux-gnu"
        var runtime: [String: String] = ["kiln.h": "/* header */", "trap.c": "void kiln_trap(void) {}", "memory.c": "int m;"]
        var order = ["kiln.h", "trap.c", "memory.c"]

        func key(in directory: String) throws -> CacheKey {
            for (name, text) in runtime {
                try text.write(toFile: directory + "/" + name, atomically: false, encoding: .utf8)
            }
            return try CacheKey(
                module: module, kilnVersion: version, options: options, compilerIdentity: compiler,
                runtimeFiles: order.map { directory + "/" + $0 })
        }
    }

    static let changes: [(String, @Sendable (inout Inputs) -> Void)] = [
        ("a module byte", { $0.module[150] ^= 1 }),
        ("a module's length", { $0.module.append(0) }),
        ("the Kiln version", { $0.version = "0.1.1" }),
        ("the optimization level", { $0.options[0] = "-O3" }),
        ("sanitize", { $0.options[1] = "sanitize=address,undefined" }),
        ("the target CPU", { $0.options[2] = "cpu=x86-64-v3" }),
        ("an added option", { $0.options.append("-g") }),
        ("option order", { $0.options.swapAt(0, 1) }),
        ("options split differently", { $0.options = ["-O2 sanitize=none", "cpu=x86-64-v2"] }),
        ("the compiler identity", { $0.compiler = $0.compiler.replacingOccurrences(of: "21.0.0", with: "21.0.1") }),
        ("a runtime header's contents", { $0.runtime["kiln.h"] = "/* header changed */" }),
        ("a runtime source's contents", { $0.runtime["memory.c"] = "int m = 1;" }),
        ("runtime file order", { $0.order.swapAt(1, 2) }),
        ("a runtime file more", { $0.runtime["table.c"] = ""; $0.order.append("table.c") }),
    ]

    @Test(arguments: changes.map(\.0))
    func everyInputChangesTheKey(_ change: String) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let base = try Inputs().key(in: scratch.path)
        var changed = Inputs()
        try #require(Self.changes.first { $0.0 == change }).1(&changed)
        let other = try changed.key(in: scratch.path)
        #expect(other.digest != base.digest, "\(change) did not change the key")
    }

    @Test func sameInputsSameKey() throws {
        let one = try Scratch()
        let two = try Scratch()
        defer { one.remove(); two.remove() }
        // The runtime's location is not part of the key, only its contents.
        let first = try Inputs().key(in: one.path)
        let second = try Inputs().key(in: two.path)
        #expect(first == second)
        #expect(first.digest.count == 64 && CacheLayout.isDigest(first.digest))
    }

    @Test func moduleHashIsTheModulesOwnSHA256() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let inputs = Inputs()
        let key = try inputs.key(in: scratch.path)
        #expect(key.moduleSHA256 == ContentHash.sha256(of: inputs.module))
        #expect(key.moduleSHA256 != key.digest)
        #expect(key.kilnVersion == "0.1.0")
    }

    @Test func runtimeHashMatchesTheFileListForm() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let inputs = Inputs()
        let fromFiles = try inputs.key(in: scratch.path)
        let runtime = try CacheKey.runtimeSHA256(files: inputs.order.map { scratch.path + "/" + $0 })
        let fromHashes = CacheKey(
            moduleSHA256: ContentHash.sha256(of: inputs.module), kilnVersion: inputs.version, options: inputs.options,
            compilerIdentity: inputs.compiler, runtimeSHA256: runtime)
        #expect(fromFiles == fromHashes)
    }

    @Test func unreadableRuntimeFileThrows() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let missing = scratch.path + "/gone.c"
        #expect(throws: CacheError.unreadableKeyInput(missing, errno: ENOENT)) {
            try CacheKey(module: [1], kilnVersion: "v", options: [], compilerIdentity: "cc", runtimeFiles: [missing])
        }
    }
}
