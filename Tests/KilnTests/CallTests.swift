import Kiln
import Testing

/// Calls from the host into the guest: typed (checked once, at lookup) and dynamic (`Value`s), and the errors
/// of calling wrongly, each of its own kind.
@Suite struct CallTests {
    static let text = """
        (module
          (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
          (func (export "mix") (param i64 f32 f64) (result f64 i64)
            (f64.add (f64.promote_f32 (local.get 1)) (local.get 2)) (i64.mul (local.get 0) (i64.const 2)))
          (func (export "neg") (param f32) (result f32) (f32.neg (local.get 0)))
          (func (export "swap") (param v128) (result v128) (i8x16.shuffle 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0 (local.get 0) (local.get 0)))
          (func (export "same") (param externref) (result externref) (local.get 0))
          (func (export "nothing"))
          (func $div (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
          (global (export "g") i32 (i32.const 7)))
        """

    func instance() throws -> Instance {
        let module = try Module(engine: Shared.engine, wat: Self.text, name: "calls.wat")
        return try Linker().instantiate(module, in: Store())
    }

    @Test func typedFunctionsTakeAndReturnSwiftValues() throws {
        let instance = try instance()
        let add = try instance.typedFunction("add", (Int32, Int32).self, Int32.self)
        #expect(try add(40, 2) == 42)
        #expect(try add(Int32.max, 1) == Int32.min)
        let mix = try instance.typedFunction("mix", (Int64, Float, Double).self, (Double, Int64).self)
        let (sum, product) = try mix(21, 1.5, 2.25)
        #expect(sum == 3.75 && product == 42)
        let nothing = try instance.typedFunction("nothing", Void.self, Void.self)
        try nothing()
        // Unsigned Swift types are i32/i64 too.
        let unsigned = try instance.typedFunction("add", (UInt32, UInt32).self, UInt32.self)
        #expect(try unsigned(UInt32.max, 2) == 1)
    }

    @Test func aTypedLookupChecksTheSignatureOnce() throws {
        let instance = try instance()
        let wrong = #expect(throws: CallError.self) { try instance.typedFunction("add", (Int32, Int64).self, Int32.self) }
        #expect(wrong?.reason == "\"add\" is (func (param i32 i32) (result i32)), not (func (param i32 i64) (result i32))")
        let missing = #expect(throws: CallError.self) { try instance.typedFunction("nope", Void.self, Void.self) }
        #expect(missing?.reason == "no export \"nope\"")
        let global = #expect(throws: CallError.self) { try instance.typedFunction("g", Void.self, Int32.self) }
        #expect(global?.reason == "export \"g\" is not a function")
        #expect(global?.description == "cannot call function: export \"g\" is not a function")
    }

    @Test func dynamicCallsCarryRealFloatsVectorsAndReferences() throws {
        let instance = try instance()
        #expect(try instance.call("mix", [.i64(5), .f32(0.5), .f64(-1)]) == [.f64(-0.5), .i64(10)])
        // A NaN's payload passes through unchanged, and equal values are equal by their bits.
        let nan = Float(bitPattern: 0x7fa0_0001)
        #expect(try instance.call("neg", [.f32(nan)]) == [.f32(Float(bitPattern: 0xffa0_0001))])
        #expect(Value.f64(0) != Value.f64(-0.0))
        let bytes = (0..<16).map { UInt8($0) }
        #expect(try instance.call("swap", [.v128(bytes)]) == [.v128(bytes.reversed())])
        #expect(try instance.call("same", [.externref(1234)]) == [.externref(1234)])
        #expect(try instance.call("same", [.externref(nil)]) == [.externref(nil)])
        let function = try instance.exportedFunction("add")
        #expect(function.type == FunctionType(parameters: [.i32, .i32], results: [.i32]))
        #expect(try function(.i32(2), .i32(3)) == [.i32(5)])
    }

    @Test func wrongArgumentsAreACallErrorAndNothingRuns() throws {
        let instance = try instance()
        let count = #expect(throws: CallError.self) { try instance.call("add", [.i32(1)]) }
        #expect(count?.reason == "\"add\" is (func (param i32 i32) (result i32)), called with [(i32 1)]")
        let type = #expect(throws: CallError.self) { try instance.call("add", [.i32(1), .f64(2)]) }
        #expect(type?.reason.hasPrefix("\"add\" is (func (param i32 i32) (result i32)), called with [(i32 1) (f64 2.0") == true)
        #expect(throws: CallError.self) { try instance.call("missing") }
    }

    @Test func aTrapHasItsKindMessageAndBacktraceAndTheInstanceStaysUsable() throws {
        let instance = try instance()
        let div = try instance.typedFunction("div", (Int32, Int32).self, Int32.self)
        let trap = #expect(throws: Trap.self) { try div(1, 0) }
        #expect(trap?.trapKind == .integerDivideByZero)
        #expect(trap?.message == "integer divide by zero")
        #expect(trap?.description == "wasm trap: integer divide by zero")
        #expect(trap?.backtrace.first?.functionIndex == 6)
        #expect(trap?.backtrace.first?.name == "div")
        #expect(trap?.backtrace.first?.codeOffset != nil)
        #expect(try div(7, 2) == 3)
    }
}
