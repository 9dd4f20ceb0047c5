import KilnDecode
import KilnModel
import KilnValidate
import Testing

/// Legacy exception handling (`try`, `catch`, `catch_all`, `delegate`, `rethrow`), from bytes: WasmKit's
/// text parser does not know these instructions.
struct LegacyExceptionValidationTests {
    /// A module with types 0: [] -> [] and 1: [i32] -> [], tag 0 of type 1, and one function of type 0.
    static func module(_ expression: [UInt8]) -> [UInt8] {
        func section(_ id: UInt8, _ content: [UInt8]) -> [UInt8] { [id, UInt8(content.count)] + content }
        let body = [0x00] + expression
        return [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]
            + section(1, [0x02, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7f, 0x00])
            + section(3, [0x01, 0x00])
            + section(13, [0x01, 0x00, 0x01])
            + section(10, [0x01, UInt8(body.count)] + body)
    }

    static func outcome(_ expression: [UInt8]) throws -> String {
        do {
            try Validation.validate(bytes: module(expression))
            return "valid"
        } catch let error as ValidationError {
            return error.reason
        }
    }

    // try, catch 0 (drop the payload), catch_all, end, then the function's end.
    static let tryCatch: [UInt8] = [0x06, 0x40, 0x07, 0x00, 0x1a, 0x19, 0x0b, 0x0b]

    @Test func clausesStartWithThePayloadAndEndLikeTheBody() throws {
        #expect(try Self.outcome(Self.tryCatch) == "valid")
        // The payload left on the stack at the end of a clause of a try that returns nothing.
        #expect(try Self.outcome([0x06, 0x40, 0x07, 0x00, 0x0b, 0x0b]).hasPrefix("type mismatch"))
        // A try with a result: the body and every clause must give it.
        #expect(try Self.outcome([0x06, 0x7f, 0x41, 0x01, 0x07, 0x00, 0x19, 0x41, 0x02, 0x0b, 0x1a, 0x0b]) == "valid")
        #expect(try Self.outcome([0x06, 0x7f, 0x41, 0x01, 0x19, 0x0b, 0x1a, 0x0b]).hasPrefix("type mismatch"))
    }

    @Test func clausesOnlyFollowATryOrAnotherCatch() throws {
        #expect(try Self.outcome([0x06, 0x40, 0x19, 0x19, 0x0b, 0x0b]) == "catch_all without a try, or after catch_all")
        #expect(try Self.outcome([0x06, 0x40, 0x19, 0x07, 0x00, 0x1a, 0x0b, 0x0b]) == "catch without a try, or after catch_all")
        #expect(try Self.outcome([0x02, 0x40, 0x19, 0x0b, 0x0b]) == "catch_all without a try, or after catch_all")
        #expect(try Self.outcome([0x06, 0x40, 0x19, 0x18, 0x00, 0x0b]) == "delegate without a try")
    }

    @Test func delegateCountsItsLabelFromOutsideTheTry() throws {
        // Inside one block: labels 0 (the block) and 1 (the function) exist outside the try, 2 does not.
        #expect(try Self.outcome([0x02, 0x40, 0x06, 0x40, 0x18, 0x01, 0x0b, 0x0b]) == "valid")
        #expect(try Self.outcome([0x02, 0x40, 0x06, 0x40, 0x18, 0x02, 0x0b, 0x0b]).hasPrefix("unknown label"))
    }

    @Test func rethrowNamesACatchClause() throws {
        // rethrow 0 in a catch_all; rethrow 1 from a block inside a catch.
        #expect(try Self.outcome([0x06, 0x40, 0x19, 0x09, 0x00, 0x0b, 0x0b]) == "valid")
        #expect(try Self.outcome([0x06, 0x40, 0x07, 0x00, 0x1a, 0x02, 0x40, 0x09, 0x01, 0x0b, 0x0b, 0x0b]) == "valid")
        // Not a clause: the function, a block, a try's body.
        #expect(try Self.outcome([0x09, 0x00, 0x0b]) == "invalid rethrow label")
        #expect(try Self.outcome([0x02, 0x40, 0x09, 0x00, 0x0b, 0x0b]) == "invalid rethrow label")
        #expect(try Self.outcome([0x06, 0x40, 0x09, 0x00, 0x0b, 0x0b]) == "invalid rethrow label")
    }

    /// Lowering keeps a clause's exception only when a rethrow names that clause.
    @Test func theClausesARethrowNamesAreRecorded() throws {
        // try, catch 0 (drop), catch_all with rethrow 0, end.
        let expression: [UInt8] = [0x06, 0x40, 0x07, 0x00, 0x1a, 0x19, 0x09, 0x00, 0x0b, 0x0b]
        let bytes = Self.module(expression)
        let validated = try Validation.validate(bytes: bytes)
        let start = try #require(Validation.offset(of: expression, in: bytes))
        #expect(validated.rethrownCatches == [start + 5])
        #expect(try Validation.validate(bytes: Self.module(Self.tryCatch)).rethrownCatches.isEmpty)
    }
}
