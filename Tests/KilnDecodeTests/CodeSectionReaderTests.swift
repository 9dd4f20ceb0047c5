import KilnModel
import Testing

@testable import KilnDecode

/// The code section, read by Kiln itself: body framing, run-length locals and their limits.
struct CodeSectionReaderTests {
    @Test func moreFunctionsThanBodies() throws {
        let type = WasmBytes.voidType
        let functions = WasmBytes.functions(2)
        let bytes = WasmBytes.module(type, functions, WasmBytes.code(WasmBytes.body([0x0b])))
        let error = try #require(throws: DecodeError.self) { try ModuleDecoder.decode(bytes) }
        #expect(error.reason == "function and code section have inconsistent lengths: 2 functions, 1 bodies")
        #expect(error.location.offset == 8 + type.count + functions.count)  // the code section
    }

    @Test func functionsWithoutACodeSection() throws {
        let bytes = WasmBytes.module(WasmBytes.voidType, WasmBytes.functions(1))
        let error = try #require(throws: DecodeError.self) { try ModuleDecoder.decode(bytes) }
        #expect(error.reason == "function and code section have inconsistent lengths: 1 functions, 0 bodies")
        #expect(error.location.offset == 8 + WasmBytes.voidType.count)  // the function section
    }

    @Test func bodiesWithoutAFunctionSection() throws {
        let bytes = WasmBytes.module(WasmBytes.voidType, WasmBytes.code(WasmBytes.body([0x0b])))
        let error = try #require(throws: DecodeError.self) { try ModuleDecoder.decode(bytes) }
        #expect(error.reason == "function and code section have inconsistent lengths: 0 functions, 1 bodies")
    }

    @Test func localsAboveTwoToTheThirtyTwoAreMalformed() throws {
        // 2^32 - 1 i32 locals, then one more: the running total no longer fits in a u32.
        let bytes = WasmBytes.function(locals: [(0xffff_ffff, 0x7f), (1, 0x7f)], [0x0b])
        let error = try #require(throws: DecodeError.self) { try ModuleDecoder.decode(bytes) }
        #expect(error.reason == "too many locals: 4294967296 declared")
        // Reported at the second run: the body's size (1 byte), run count (1), first run (5 + 1 bytes).
        let codeSection = 8 + WasmBytes.voidType.count + WasmBytes.functions(1).count
        let bodyOffset = codeSection + 3  // id, size (1 byte), count
        #expect(error.location.offset == bodyOffset + 1 + 1 + 6)
    }

    @Test func aBillionLocalsAreRefusedWithoutExpandingThem() throws {
        // Five bytes declare 1,000,000,000 locals; expanding them would allocate gigabytes.
        let bytes = WasmBytes.function(locals: [(1_000_000_000, 0x7f)], [0x0b])
        let error = try #require(throws: DecodeError.self) { try ModuleDecoder.decode(bytes) }
        #expect(error.reason == "too many locals: 1000000000 declared, Kiln's limit is 1000000")
        let codeSection = 8 + WasmBytes.voidType.count + WasmBytes.functions(1).count
        #expect(error.location.offset == codeSection + 3)  // the body
    }

    @Test func manyBodiesAtTheLocalsLimitDecodeWithoutExpandingThem() throws {
        // 2,000 bodies of 1,000,000 locals each: 2e9 locals in total, a few bytes each in the binary.
        let count = 2_000
        let body = WasmBytes.body(locals: [(600_000, 0x7e), (400_000, 0x7c)], [0x0b])
        let code = WasmBytes.section(10, WasmBytes.leb(UInt64(count)) + Array(repeating: body, count: count).flatMap { $0 })
        let module = try ModuleDecoder.decode(WasmBytes.module(WasmBytes.voidType, WasmBytes.functions(count), code))
        #expect(module.bodies.count == count)
        let last = try #require(module.bodies.last)
        #expect(last.localCount == 1_000_000)
        #expect(last.locals == [.init(count: 600_000, type: .i64), .init(count: 400_000, type: .f64)])
        #expect(last.localType(at: 599_999) == .i64)
        #expect(last.localType(at: 600_000) == .f64)
    }

    @Test func bodyLongerThanItsSection() throws {
        let code = WasmBytes.section(10, [0x01, 0x05, 0x00, 0x0b])
        let bytes = WasmBytes.module(WasmBytes.voidType, WasmBytes.functions(1), code)
        let error = try #require(throws: DecodeError.self) { try ModuleDecoder.decode(bytes) }
        #expect(error.reason == "unexpected end of section or function: body declares 5 bytes")
        let codeSection = 8 + WasmBytes.voidType.count + WasmBytes.functions(1).count
        #expect(error.location.offset == codeSection + 3)
    }

    @Test func bytesAfterTheLastBody() throws {
        let code = WasmBytes.section(10, [0x01, 0x02, 0x00, 0x0b, 0x00])
        let bytes = WasmBytes.module(WasmBytes.voidType, WasmBytes.functions(1), code)
        let error = try #require(throws: DecodeError.self) { try ModuleDecoder.decode(bytes) }
        #expect(error.reason == "section size mismatch")
        let codeSection = 8 + WasmBytes.voidType.count + WasmBytes.functions(1).count
        #expect(error.location.offset == codeSection + 6)
    }

    @Test func malformedLocalType() throws {
        let bytes = WasmBytes.function(locals: [(1, 0x40)], [0x0b])
        let error = try #require(throws: DecodeError.self) { try ModuleDecoder.decode(bytes) }
        #expect(error.reason == "malformed value type: 0x40")
    }

    @Test func emptyCodeSectionIsCutShort() throws {
        let bytes = WasmBytes.module(WasmBytes.voidType, WasmBytes.section(10, []))
        let error = try #require(throws: DecodeError.self) { try ModuleDecoder.decode(bytes) }
        #expect(error.reason == "unexpected end")
        #expect(error.location.offset == 8 + WasmBytes.voidType.count + 2)
    }

    @Test func bodyOffsetsPointIntoTheOriginalModule() throws {
        let first = WasmBytes.body(locals: [(2, 0x7f)], [0x41, 0x07, 0x1a, 0x0b])
        let second = WasmBytes.body([0x01, 0x0b])
        let bytes = WasmBytes.module(WasmBytes.voidType, WasmBytes.functions(2), WasmBytes.code(first, second))
        let module = try ModuleDecoder.decode(bytes)
        let codeSection = 8 + WasmBytes.voidType.count + WasmBytes.functions(2).count
        #expect(module.bodies.map(\.bodyOffset) == [codeSection + 3, codeSection + 3 + first.count])
        // Expression: after the size byte, the run count and one run (count, type).
        #expect(module.bodies[0].expressionOffset == codeSection + 3 + 1 + 1 + 2)
        #expect(module.bodies[1].expressionOffset == codeSection + 3 + first.count + 1 + 1)
        #expect(bytes[module.bodies[0].expressionOffset] == 0x41)
        #expect(bytes[module.bodies[1].expressionOffset] == 0x01)
    }
}
