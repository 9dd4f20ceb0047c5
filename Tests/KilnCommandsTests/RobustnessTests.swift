import Foundation
import Kiln
import KilnDecode
import KilnModel
import Testing

/// Input never crashes Kiln: truncated and corrupted modules, and deep nesting, end in a `KilnError` or a
/// valid module, in process and through the command line.
struct RobustnessTests {
    /// Decodes and validates; returns nil when valid, the error when rejected, and records an issue when
    /// the error is not a `KilnError`.
    static func outcome(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> (any KilnError)? {
        do {
            _ = try Kiln.validate(.binary(bytes))
            return nil
        } catch let error as any KilnError {
            return error
        } catch {
            Issue.record("not a KilnError: \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// Ends of the sections of a well-formed module (where a truncation can leave a well-formed module).
    static func sectionEnds(_ bytes: [UInt8]) -> Set<Int> {
        var ends: Set<Int> = [8]
        var index = 8
        while index < bytes.count {
            index += 1
            var size = 0
            var shift = 0
            while true {
                let b = bytes[index]
                index += 1
                size |= Int(b & 0x7f) << shift
                shift += 7
                if b & 0x80 == 0 { break }
            }
            index += size
            ends.insert(index)
        }
        return ends
    }

    @Test func everyTruncatedPrefixOfSortIsRejectedOrWellFormed() throws {
        let bytes = try KilnProcess.fixtureBytes("wasm/sort.wasm")
        #expect(Self.outcome(bytes) == nil)
        let ends = Self.sectionEnds(bytes)
        #expect(ends.contains(bytes.count))
        var accepted: [Int] = []
        for length in 0..<bytes.count {
            guard let error = Self.outcome(Array(bytes[..<length])) else {
                accepted.append(length)
                continue
            }
            #expect(error.kind == (length == 0 ? "cannot read module" : "malformed module"), "prefix of \(length) bytes: \(error)")
            #expect(!error.reason.isEmpty)
            if let offset = error.location.offset {
                #expect(offset >= 0 && offset <= length, "prefix of \(length) bytes: offset \(offset)")
            }
        }
        // Only a cut between sections can leave a module; a cut inside a section never can.
        #expect(Set(accepted).isSubset(of: ends), "accepted prefixes \(accepted.filter { !ends.contains($0) })")
        #expect(accepted.contains(8))  // the header alone
    }

    /// xorshift64*, so the corruptions are the same on every run.
    struct XorShift {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 0x2545_F491_4F6C_DD1D
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    @Test func corruptedCopiesOfSortAreRejectedOrValid() throws {
        let original = try KilnProcess.fixtureBytes("wasm/sort.wasm")
        var random = XorShift(state: 0x5EED_0F_C0FFEE)
        var rejected = 0
        var kinds: [String: Int] = [:]
        for round in 0..<2_000 {
            var bytes = original
            let flips = round % 2 == 0 ? 1 : 1 + random.below(8)
            for _ in 0..<flips {
                let position = random.below(bytes.count)
                bytes[position] ^= UInt8(1 + random.below(255))
            }
            if let error = Self.outcome(bytes) {
                rejected += 1
                kinds[error.kind, default: 0] += 1
                // A flipped byte can also spell a later proposal's opcode or section (UnsupportedFeature).
                #expect(["malformed module", "invalid module", "unsupported feature"].contains(error.kind), "round \(round): \(error)")
            }
        }
        // Most corruptions break something; both kinds of rejection occur.
        #expect(rejected > 500)
        #expect(kinds["malformed module", default: 0] > 0)
        #expect(kinds["invalid module", default: 0] > 0)
    }

    @Test func randomBytesAfterAValidHeaderAreRejected() {
        var random = XorShift(state: 42)
        var rejected = 0
        for length in [1, 2, 3, 10, 100, 1_000] {
            for _ in 0..<50 {
                let tail = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                if Self.outcome([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00] + tail) != nil { rejected += 1 }
            }
        }
        #expect(rejected >= 290, "\(300 - rejected) of 300 random modules were accepted")
    }

    /// A directory or an empty file where a module should be: a clear error from every command that reads
    /// one (`kiln run DIR` once crashed on the read that looks for an artifact's magic number).
    @Test(arguments: ["run", "compile", "validate", "describe"])
    func aDirectoryOrEmptyFileIsNotAModule(command: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let empty = try directory.write("empty.wasm", [])
        for path in [directory.url.path, empty] {
            let extra = command == "compile" ? ["-o", directory.url.appendingPathComponent("out.so").path] : []
            let result = try KilnProcess.run([command, path] + extra)
            #expect(result.status == 1, "\(command) \(path): \(result.stderr)")
            #expect(result.stderr.hasPrefix("\(path): "), "\(command) \(path): \(result.stderr)")
            #expect(!result.stderr.contains("crashed") && !result.stderr.contains("Fatal error"))
        }
    }

    // MARK: Deep nesting

    static let depth = 100_000

    static func leb(_ value: Int) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        repeat {
            var b = UInt8(v & 0x7f)
            v >>= 7
            if v != 0 { b |= 0x80 }
            out.append(b)
        } while v != 0
        return out
    }

    /// A module with one `[] -> []` function whose body (without locals) is `expression`.
    static func module(expression: [UInt8]) -> [UInt8] {
        let body = [0x00] + expression  // no locals
        let code = [0x01] + leb(body.count) + body
        let header: [UInt8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]
        let types: [UInt8] = [0x01, 0x04, 0x01, 0x60, 0x00, 0x00]
        let functions: [UInt8] = [0x03, 0x02, 0x01, 0x00]
        return header + types + functions + [0x0a] + leb(code.count) + code
    }

    /// `block`×depth, then `end`×ends, then the function's `end` if `closed`.
    static func nested(depth: Int, ends: Int, closed: Bool = true) -> [UInt8] {
        var expression: [UInt8] = []
        for _ in 0..<depth { expression += [0x02, 0x40] }
        expression += Array(repeating: 0x0b, count: ends)
        if closed { expression.append(0x0b) }
        return module(expression: expression)
    }

    @Test func hundredThousandNestedBlocksValidate() {
        #expect(Self.outcome(Self.nested(depth: Self.depth, ends: Self.depth)) == nil)
    }

    @Test func hundredThousandUnclosedBlocksAreMalformed() throws {
        let error = try #require(Self.outcome(Self.nested(depth: Self.depth, ends: 0)))
        #expect(error.kind == "malformed module")
        #expect(error.reason == "unexpected end of section or function: END opcode expected")
        #expect(error.location.function == 0)
    }

    @Test func hundredThousandNestedBlocksWithOneEndMissingAreMalformed() throws {
        let bytes = Self.nested(depth: Self.depth, ends: Self.depth - 1)
        let error = try #require(Self.outcome(bytes))
        #expect(error.reason == "unexpected end of section or function: END opcode expected")
        #expect(error.location.offset == bytes.count)
    }

    @Test func hundredThousandNestedBlocksWithAnExtraEndAreMalformed() throws {
        let error = try #require(Self.outcome(Self.nested(depth: Self.depth, ends: Self.depth + 1)))
        #expect(error.reason == "unexpected end of section or function: instructions after the function's final end")
    }

    @Test func deepNestingWithResultsValidates() {
        // block (result i32) ×depth, i32.const 0, end ×depth, drop, end
        var expression: [UInt8] = []
        for _ in 0..<Self.depth { expression += [0x02, 0x7f] }
        expression += [0x41, 0x00]
        expression += Array(repeating: 0x0b, count: Self.depth)
        expression += [0x1a, 0x0b]
        #expect(Self.outcome(Self.module(expression: expression)) == nil)
    }

    @Test func deepNestingWithAMismatchDeepInsideIsInvalid() throws {
        // The innermost block yields an i64 where i32 is declared.
        var expression: [UInt8] = []
        for _ in 0..<Self.depth { expression += [0x02, 0x7f] }
        expression += [0x42, 0x00]
        expression += Array(repeating: 0x0b, count: Self.depth)
        expression += [0x1a, 0x0b]
        let error = try #require(Self.outcome(Self.module(expression: expression)))
        #expect(error.kind == "invalid module")
        #expect(error.reason == "type mismatch: expected i32, found i64")
    }
}
