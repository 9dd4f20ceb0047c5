import KilnDecode
import KilnModel
import KilnValidate
import Testing

/// Exception handling: tags, throw, throw_ref and the catch clauses of try_table.
struct ExceptionValidationTests {
    @Test func catchClausesGiveTheirLabelsWhatTheyTake() throws {
        let text = """
            (module (tag $e (param i32 f64))
              (func (result i32 f64) (block $h (result i32 f64) (try_table (catch $e $h) (throw $e (i32.const 1) (f64.const 2))) (unreachable)))
              (func (result exnref) (block $h (result (ref exn)) (try_table (catch_all_ref $h) (unreachable)) (unreachable)))
              (func (block $h (try_table (catch_all $h) (nop)))))
            """
        #expect(try Validation.outcome(text) == "valid")
    }

    @Test(arguments: [
        // The payload is [i32], the label takes [i64].
        "(tag $e (param i32)) (func (block $h (result i64) (try_table (catch $e $h)) (unreachable)) (drop))",
        // catch_ref gives a (ref exn) more than the label takes.
        "(tag $e) (func (block $h (try_table (catch_ref $e $h))))",
        // throw's payload.
        "(tag $e (param i32)) (func (throw $e (i64.const 0)))",
        // throw_ref of something else.
        "(func (throw_ref (ref.null func)))",
    ])
    func mismatchesAreTypeErrors(_ fields: String) throws {
        #expect(try Validation.outcome("(module \(fields))").hasPrefix("type mismatch"))
    }

    @Test func catchLabelsCountFromOutsideTheTryTable() throws {
        // Label 0 of a catch clause is the block around the try_table, not the try_table (which has no result).
        let text = "(module (tag $e (param i32)) (func (result i32) (block (result i32) (try_table (catch $e 0) (throw $e (i32.const 1))) (unreachable))))"
        #expect(try Validation.outcome(text) == "valid")
        #expect(try Validation.outcome("(module (tag $e) (func (try_table (catch $e 1))))").hasPrefix("unknown label"))
    }

    @Test func aTagHasNoResults() throws {
        let bytes: [UInt8] = [
            0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
            0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,  // type 0: [] -> [i32]
            0x0d, 0x03, 0x01, 0x00, 0x00,  // tag section: one tag, attribute 0, type 0
        ]
        #expect(try Validation.rejection(bytes: bytes).reason.hasPrefix("type mismatch: non-empty tag result type"))
    }

    @Test func anUnknownTagIsNamed() throws {
        let bytes: [UInt8] = [
            0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
            0x01, 0x04, 0x01, 0x60, 0x00, 0x00,  // type 0: [] -> []
            0x03, 0x02, 0x01, 0x00,  // func 0: type 0
            0x0a, 0x06, 0x01, 0x04, 0x00, 0x08, 0x00, 0x0b,  // throw 0; end
        ]
        #expect(try Validation.rejection(bytes: bytes).reason.hasPrefix("unknown tag 0"))
    }
}
