import KilnDecode
import KilnModel
import KilnValidate
import Testing

/// return_call and return_call_indirect: the callee's results must be the caller's, and the rest of the
/// block is unreachable (stack-polymorphic), as after `return`.
struct TailCallValidationTests {
    @Test func matchingResultsAreValid() throws {
        let text = """
            (module (type $t (func (param i64) (result i32))) (table 1 funcref)
              (func $f (param i64) (result i32) (return_call $g (i32.const 1)))
              (func $g (param i32) (result i32) (return_call_indirect (type $t) (i64.const 2) (i32.const 0)) (i32.const 9)))
            """
        #expect(try Validation.outcome(text) == "valid")
        let validated = try Validation.validate(text)
        #expect(validated.tailCallers == [0, 1])
    }

    @Test(arguments: [
        "(func $f (result i32) (return_call $g)) (func $g (result i64) (i64.const 0))",
        "(type $t (func (result i64))) (table 1 funcref) (func (result i32) (return_call_indirect (type $t) (i32.const 0)))",
        "(func $f (return_call $g)) (func $g (result i32) (i32.const 0))",
    ])
    func differentResultsAreATypeMismatch(_ functions: String) throws {
        #expect(try Validation.outcome("(module \(functions))").hasPrefix("type mismatch"))
    }

    @Test func argumentsAreTyped() throws {
        let text = "(module (func $f (param i32) (return_call $f (i64.const 0))))"
        #expect(try Validation.outcome(text) == "type mismatch: expected i32, found i64")
    }

    @Test func anExternrefTableIsRejected() throws {
        let text = "(module (type $t (func)) (table 1 externref) (func (return_call_indirect (type $t) (i32.const 0))))"
        #expect(try Validation.outcome(text).hasPrefix("type mismatch"))
    }
}
