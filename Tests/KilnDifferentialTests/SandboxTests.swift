import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `Fixtures/wasm/wasi_sandbox.wasm` under `kiln run`: every way out of the preopen is refused with the
/// expected errno, and nothing outside the preopen changes.
struct SandboxTests {
    /// `ROOT/sandbox` is preopened as `/sandbox`; `ROOT/outside` is what must stay out of reach. The layout is
    /// the one `Fixtures/c/wasi_sandbox.c` describes.
    struct Layout {
        let root: TemporaryDirectory
        var sandbox: String { root.path + "/sandbox" }
        var outside: String { root.path + "/outside" }

        init() throws {
            root = try TemporaryDirectory()
            try root.makeDirectory("sandbox/sub")
            try root.makeDirectory("outside")
            try root.write("sandbox/inside.txt", text: "inside\n")
            try root.write("sandbox/sub/data.txt", text: "inside\n")
            try root.write("outside/secret.txt", text: "SECRET\n")
            try root.write("outside/data.txt", text: "SECRET\n")
            try root.symlink("sandbox/etc_link", to: "/etc")
            try root.symlink("sandbox/passwd_link", to: "/etc/passwd")
            try root.symlink("sandbox/out_link", to: root.path + "/outside")
            try root.symlink("sandbox/rel_out_link", to: "../outside")
            try root.symlink("sandbox/inside_link", to: "inside.txt")
            try root.symlink("sandbox/sub/up_link", to: "..")
            try root.symlink("sandbox/sub/up2_link", to: "../..")
            try root.symlink("sandbox/flip", to: "inside.txt")
            try root.symlink("sandbox/flipdir", to: "sub")
        }

        func command(_ test: String) -> Command {
            Command(fixture: "wasm/wasi_sandbox.wasm", arguments: [test], preopens: [Preopen(host: sandbox, guest: "/sandbox")])
        }
    }

    /// Paths outside the sandbox the guest tries to create or that it could reach through a link.
    static let probes = ["/tmp/kiln_sandbox_escape.txt", "/tmp/kiln_escape_dir"]

    /// Every entry under `root` except the sandbox, with its kind, size, link target and (for files) content.
    static func snapshot(_ root: String) -> [String: String] {
        var entries: [String: String] = [:]
        let manager = FileManager.default
        guard let walker = manager.enumerator(atPath: root) else { return entries }
        while let relative = walker.nextObject() as? String {
            if relative == "sandbox" { walker.skipDescendants() }
            let path = root + "/" + relative
            let attributes = (try? manager.attributesOfItem(atPath: path)) ?? [:]
            let type = attributes[.type] as? FileAttributeType
            var entry = "\(type.map { $0.rawValue } ?? "?") \(attributes[.size] as? Int ?? -1)"
            if type == .typeSymbolicLink { entry += " -> " + ((try? manager.destinationOfSymbolicLink(atPath: path)) ?? "?") }
            if type == .typeRegular { entry += " " + String(decoding: manager.contents(atPath: path) ?? Data(), as: UTF8.self) }
            entries[relative] = entry
        }
        return entries
    }

    /// Runs one sub-test and checks the guest's verdict and the world outside the sandbox.
    func run(_ test: String, _ layout: Layout, whileRunning: (() -> Void)? = nil) throws -> EngineResult {
        let before = Self.snapshot(layout.root.path)
        let passwd = try? FileManager.default.attributesOfItem(atPath: "/etc/passwd")
        let result = try KilnEngine.run(layout.command(test), whileRunning: whileRunning)
        #expect(result.status == 0, "\(test): \(result)")
        #expect(!result.stdout.contains("FAILED"), "\(test): \(result)")
        #expect(result.stdout.contains("\(test): 0 failed\n"), "\(test): \(result)")
        #expect(Self.snapshot(layout.root.path) == before, "\(test) changed something outside the sandbox")
        for probe in Self.probes {
            #expect(!FileManager.default.fileExists(atPath: probe), "\(test) created \(probe)")
        }
        let passwdAfter = try? FileManager.default.attributesOfItem(atPath: "/etc/passwd")
        #expect(passwd?[.modificationDate] as? Date == passwdAfter?[.modificationDate] as? Date)
        return result
    }

    @Test(arguments: ["dotdot", "absolute", "symlink", "badfd", "efault"])
    func escapesAreRefused(_ test: String) throws {
        let layout = try Layout()
        defer { layout.root.remove() }
        _ = try run(test, layout)
        #expect(try readText(layout.sandbox + "/inside.txt") == "inside\n")
    }

    /// The host swaps `flip` and `flipdir` between inside and outside targets (atomically, by renaming a
    /// fresh link over them) for as long as the guest runs; the guest must never read the outside content.
    @Test func symlinkSwappedDuringOpen() throws {
        let layout = try Layout()
        defer { layout.root.remove() }
        let targets = [("inside.txt", "sub"), ("../outside/secret.txt", "../outside"), (layout.outside + "/secret.txt", layout.outside)]
        var flips = 0
        let result = try run("race", layout) {
            let (file, directory) = targets[flips % targets.count]
            Self.replaceSymlink(layout.sandbox + "/flip", with: file)
            Self.replaceSymlink(layout.sandbox + "/flipdir", with: directory)
            flips += 1
            usleep(100)  // leaves the CPU to clang while kiln compiles
        }
        #expect(flips > 0)
        #expect(result.stdout.contains("race: times the outside content was read"), "\(result)")
    }

    static func replaceSymlink(_ path: String, with target: String) {
        let temporary = path + ".next"
        unlink(temporary)
        if symlink(target, temporary) == 0 { rename(temporary, path) }
    }
}
