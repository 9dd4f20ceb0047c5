import Foundation
import Kiln
import Testing

@testable import KilnCommands

/// Guest arguments and variables arrive byte for byte, valid UTF-8 or not, whether kiln-driver or the C
/// launcher runs the module (RawArguments.swift), and `--env NAME` with NAME unset on the host leaves the
/// variable out, as wasmtime does.
@Suite struct RawArgumentsTests {
    /// Prints its argument buffer, then its environment buffer (each string with its NUL), as hex lines.
    static let echo = """
        (module
          (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (memory 1)
          (data (i32.const 0) "0123456789abcdef")
          ;; 16: count, 20: buffer size, 32: iovec, 1024: pointers, 4096: strings, 8192: the hex line
          (func $hex (param $at i32) (param $length i32)
            (local $i i32) (local $out i32) (local $byte i32)
            (local.set $out (i32.const 8192))
            (block $done
              (loop $next
                (br_if $done (i32.ge_u (local.get $i) (local.get $length)))
                (local.set $byte (i32.load8_u (i32.add (local.get $at) (local.get $i))))
                (i32.store8 (local.get $out) (i32.load8_u (i32.shr_u (local.get $byte) (i32.const 4))))
                (i32.store8 (i32.add (local.get $out) (i32.const 1)) (i32.load8_u (i32.and (local.get $byte) (i32.const 15))))
                (local.set $out (i32.add (local.get $out) (i32.const 2)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $next)))
            (i32.store8 (local.get $out) (i32.const 10))
            (i32.store (i32.const 32) (i32.const 8192))
            (i32.store (i32.const 36) (i32.sub (i32.add (local.get $out) (i32.const 1)) (i32.const 8192)))
            (drop (call $fd_write (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 40))))
          (func (export "_start")
            (drop (call $args_sizes_get (i32.const 16) (i32.const 20)))
            (drop (call $args_get (i32.const 1024) (i32.const 4096)))
            (call $hex (i32.const 4096) (i32.load (i32.const 20)))
            (drop (call $environ_sizes_get (i32.const 16) (i32.const 20)))
            (drop (call $environ_get (i32.const 1024) (i32.const 4096)))
            (call $hex (i32.const 4096) (i32.load (i32.const 20)))))
        """

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0 >> 4, radix: 16) + String($0 & 15, radix: 16) }.joined()
    }

    @Test func nonUTF8ArgumentsAndVariablesArriveByteExact() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let source = try directory.write("echo.wat", text: Self.echo)
        let module = try directory.write("echo.wasm", try Kiln.read(path: source).binary)
        let kiln = try #require(KilnProcess.executable)
        // sh's printf makes the bytes: Foundation's Process takes arguments and variables as Strings.
        let script = """
            unset KILN_TEST_UNSET
            KILN_TEST_RAW="$(printf 'x\\377y')" exec "$1" run --opt 0 --env KILN_TEST_RAW --env "LIT=$(printf '\\375')" \
              --env KILN_TEST_UNSET "$2" -- "$(printf 'a\\377\\376b')" plain
            """
        let environment = ["KILN_CACHE_DIR": directory.url.appendingPathComponent("cache").path, "KILN_LAUNCH_DEBUG": "1"]
        let arguments = Array("echo.wasm\0a".utf8) + [0xFF, 0xFE] + Array("b\0plain\0".utf8)
        let variables = Array("KILN_TEST_RAW=x".utf8) + [0xFF] + Array("y\0LIT=".utf8) + [0xFD, 0]
        let expected = Self.hex(arguments) + "\n" + Self.hex(variables) + "\n"
        let shell = URL(fileURLWithPath: "/bin/sh")
        // The first run is kiln-driver's, the second the launcher's, from the cache.
        let first = try KilnProcess.launch(shell, ["-c", script, "sh", kiln.path, module], environment: environment)
        let second = try KilnProcess.launch(shell, ["-c", script, "sh", kiln.path, module], environment: environment)
        #expect(first.stderr.contains("kiln: launch: miss"), "\(first.stderr)")
        #expect(second.stderr.contains("kiln: launch: hit"), "\(second.stderr)")
        for run in [first, second] {
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == expected)
        }
    }

    @Test func rawWordsStandInOnlyForTheWordsTheyParseAs() {
        let words: [[UInt8]] = [Array("kiln".utf8), [0x61, 0xFF], Array("b".utf8)]
        #expect(RawArguments.trailing(["a\u{FFFD}", "b"], of: words) == [[0x61, 0xFF], Array("b".utf8)])
        #expect(RawArguments.trailing(["other", "b"], of: words) == [Array("other".utf8), Array("b".utf8)])
        #expect(RawArguments.trailing(["1", "2", "3", "4"], of: words) == ["1", "2", "3", "4"].map { Array($0.utf8) })
    }

    @Test func aBareNameTheHostDoesNotSetIsLeftOut() throws {
        unsetenv("KILN_TEST_NEVER_SET")
        setenv("KILN_TEST_SET_HERE", "v", 1)
        let options = try WASIOptions.parse(["--env", "KILN_TEST_NEVER_SET", "--env", "KILN_TEST_SET_HERE", "--env=X="])
        #expect(options.resolvedEnvironment == ["KILN_TEST_SET_HERE=v", "X="])
        let words = ["--env", "KILN_TEST_NEVER_SET", "--env", "KILN_TEST_SET_HERE", "--env=X="].map { Array($0.utf8) }
        #expect(options.rawEnvironment(words: words[...]) == ["KILN_TEST_SET_HERE=v", "X="].map { Array($0.utf8) })
        // A raw value on the command line is kept as given.
        let raw = try WASIOptions.parse(["--env", "V=\u{FFFD}"])
        #expect(raw.rawEnvironment(words: [Array("--env".utf8), Array("V=".utf8) + [0xFF]]) == [Array("V=".utf8) + [0xFF]])
    }
}
