import Foundation
import Kiln
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Incremental rebuilds (issue 20, part 3): the objects of a module's units are kept in the artifact cache by
/// their C, so a module rebuilt with one function changed compiles that function's unit and instance.c only.
/// A `--cc` wrapper logs what clang is asked to compile.
@Suite struct IncrementalBuildTests {
    /// A module large enough for several units (about 1.3 MB of C): `count` functions that each fold a few
    /// values, `main` that calls them all, and `late`, the last function, which traps. In the `edited`
    /// version one function near the middle does one more addition, so `main` returns one more, and every
    /// later function's body moves.
    static func module(edited: Bool, count: Int = 600) -> String {
        var functions: [String] = []
        for i in 0..<count {
            let extra = edited && i == count / 2 ? "(local.set $a (i32.add (local.get $a) (i32.const 1)))" : ""
            functions.append("""
                (func $f\(i) (param $x i32) (result i32) (local $a i32) (local $i i32)
                  (local.set $a (i32.const \(i)))
                  \(extra)
                  (block $done (loop $l
                    (br_if $done (i32.ge_u (local.get $i) (local.get $x)))
                    (local.set $a (i32.xor (i32.mul (local.get $a) (i32.const 31)) (i32.load (i32.and (local.get $i) (i32.const 1020)))))
                    (i32.store (i32.and (local.get $a) (i32.const 1020)) (i32.add (local.get $a) (local.get $i)))
                    (local.set $a (i32.rotl (local.get $a) (i32.const 5)))
                    (local.set $a (i32.add (local.get $a) (i32.div_u (local.get $a) (i32.or (local.get $i) (i32.const 1)))))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $l)))
                  (i32.sub (local.get $a) (i32.div_u (local.get $a) (i32.const 2)))
                  (i32.add (local.get $a))
                  (i32.sub (local.get $a))
                  (i32.const \(i))
                  (i32.add))
                """)
        }
        let calls = (0..<count).map { "(i32.add (call $f\($0) (i32.const 0)))" }.joined(separator: " ")
        return """
            (module
              (memory 1)
            \(functions.joined(separator: "\n"))
              (func (export "main") (result i32) (i32.const 0) \(calls))
              (func $late (export "late") (unreachable)))
            """
    }

    /// What `main` returns: f_i(0) is a - a/2 + i with a = i (its loop does not run), or i + 1 for the edited one.
    static func expected(edited: Bool, count: Int = 600) -> Int {
        (0..<count).reduce(0) { sum, i in
            let a = i + (edited && i == count / 2 ? 1 : 0)
            return sum + a - a / 2 + i
        }
    }

    @Test func aModuleWithOneFunctionChangedRecompilesOneUnit() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let log = directory.url.appendingPathComponent("compiled.log").path
        let script = try directory.write("cc.sh", text: """
            previous=
            for word in "$@"; do
              if [ "$previous" = -c ]; then echo "$word" >> '\(log)'; fi
              previous=$word
            done
            exec clang "$@"
            """)
        let environment = ["KILN_CACHE_DIR": directory.url.appendingPathComponent("cache").path]
        func compiled() -> [String] {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(atPath: log)
            return text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("/") }  // units, not runtime sources
        }

        var modules: [String] = []
        for edited in [false, true] {
            let source = try directory.write(edited ? "b.wat" : "a.wat", text: Self.module(edited: edited))
            modules.append(try directory.write(edited ? "b.wasm" : "a.wasm", try Kiln.read(path: source).binary))
        }
        let first = try KilnProcess.run(["compile", "--opt", "1", "--cc", "sh \(script)", modules[0], "-o", directory.url.appendingPathComponent("a.so").path],
                                        environment: environment)
        #expect(first.status == 0, "\(first.stderr)")
        let full = compiled()
        let units = full.filter { $0.hasPrefix("funcs_") }
        #expect(units.count >= 3, "\(full)")
        #expect(full.contains("instance.c"))

        let b = directory.url.appendingPathComponent("b.so").path
        let second = try KilnProcess.run(["compile", "--opt", "1", "--cc", "sh \(script)", modules[1], "-o", b], environment: environment)
        #expect(second.status == 0, "\(second.stderr)")
        let rebuilt = compiled()
        #expect(rebuilt.filter { $0.hasPrefix("funcs_") }.count == 1, "\(rebuilt)")
        #expect(rebuilt.contains("instance.c"), "\(rebuilt)")

        // The rebuilt artifact is the edited module: its result, and a backtrace whose offset is the trap's
        // in the edited module, although the unit holding `late` was compiled for the first.
        let main = try KilnProcess.run(["run", b, "--invoke", "main"], environment: environment)
        #expect(main.stdout == "\(Self.expected(edited: true))\n", "\(main.stderr)")
        let binary = try [UInt8](Data(contentsOf: URL(fileURLWithPath: modules[1])))
        let late = 600 + 1
        let offset = try InstructionOffsets.only(binary, body: late) { if case .unreachable = $0 { true } else { false } }
        let trap = try KilnProcess.run(["run", b, "--invoke", "late"], environment: environment)
        let frames = trap.stderrLines.drop { $0 != "wasm backtrace:" }.dropFirst()
        #expect(frames.first == "   0: func \(late) ($late) at offset \(InstructionOffsets.hex(offset))", "\(trap.stderr)")
        let unchanged = try KilnProcess.run(["run", directory.url.appendingPathComponent("a.so").path, "--invoke", "main"], environment: environment)
        #expect(unchanged.stdout == "\(Self.expected(edited: false))\n", "\(unchanged.stderr)")

        // The kept objects are cache entries like any other.
        let list = try KilnProcess.run(["cache", "list"], environment: environment)
        #expect(list.stdoutLines.filter { $0.contains(" unit ") }.count == units.count + 1, "\(list.stdout)")
    }

    /// A kept object that passes the cache's checks but does not link (what a compiler that lied would have
    /// left) fails no build: the link fails, the unit is compiled again, the build links, and the entry is
    /// replaced by the good object.
    @Test func aKeptObjectThatDoesNotLinkIsCompiledAgainAndReplaced() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cache = directory.url.appendingPathComponent("cache").path
        let environment = ["KILN_CACHE_DIR": cache]
        let source = try directory.write("a.wat", text: Self.module(edited: false))
        let module = try directory.write("a.wasm", try Kiln.read(path: source).binary)
        let first = try KilnProcess.run(["compile", "--opt", "1", module, "-o", directory.url.appendingPathComponent("a.so").path], environment: environment)
        #expect(first.status == 0, "\(first.stderr)")

        // One unit's entry now holds an object that defines nothing, and its manifest vouches for it.
        let entries = try FileManager.default.contentsOfDirectory(atPath: cache).filter { name in
            let manifest = (try? String(contentsOfFile: cache + "/" + name + "/manifest", encoding: .utf8)) ?? ""
            return manifest.contains("options kind=unit-object")
        }
        let entry = cache + "/" + (try #require(entries.first))
        let empty = try directory.write("empty.c", text: "")
        let clang = try KilnProcess.launch(URL(fileURLWithPath: "/usr/bin/env"), ["clang", "-c", empty, "-o", entry + "/unit.new"], environment: [:])
        #expect(clang.status == 0, "\(clang.stderr)")
        try FileManager.default.removeItem(atPath: entry + "/unit.o")
        try FileManager.default.moveItem(atPath: entry + "/unit.new", toPath: entry + "/unit.o")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: entry + "/unit.o"))
        let sum = try KilnProcess.launch(URL(fileURLWithPath: "/usr/bin/env"), ["sha256sum", entry + "/unit.o"], environment: [:])
        let sha256 = try #require(sum.stdout.split(separator: " ").first)
        let manifest = try String(contentsOfFile: entry + "/manifest", encoding: .utf8).split(separator: "\n").map { line in
            line.hasPrefix("size ") ? "size \(bytes.count)" : line.hasPrefix("sha256 ") ? "sha256 \(sha256)" : String(line)
        }
        try FileManager.default.removeItem(atPath: entry + "/manifest")
        try (manifest.joined(separator: "\n") + "\n").write(toFile: entry + "/manifest", atomically: false, encoding: .utf8)
        chmod(entry + "/unit.o", 0o444)
        chmod(entry + "/manifest", 0o444)

        let again = directory.url.appendingPathComponent("again.so").path
        let second = try KilnProcess.run(["compile", "--opt", "1", module, "-o", again], environment: environment)
        #expect(second.status == 0, "\(second.stderr)")
        let main = try KilnProcess.run(["run", again, "--invoke", "main"], environment: environment)
        #expect(main.stdout == "\(Self.expected(edited: false))\n", "\(main.stderr)")
        let replaced = try Data(contentsOf: URL(fileURLWithPath: entry + "/unit.o"))
        #expect(replaced.count > bytes.count)
    }
}
