import KilnDecode
import KilnModel
import KilnValidate
import Testing

/// Typed function references: type identity and subtyping, non-nullable locals, the new instructions, and
/// tables with initializers.
struct FunctionReferenceValidationTests {
    private func types(_ text: String) throws -> TypeIdentities {
        try Validation.validate(text).context.identities
    }

    @Test func structurallyEqualTypesAreTheSame() throws {
        // 0 and 1 are equal; 2 and 3 refer to them and so are equal too; 4 refers to itself, 5 to 4: different.
        let identities = try types("""
            (module (type (func (param i32))) (type (func (param i32)))
              (type (func (param (ref 0)))) (type (func (param (ref 1))))
              (type $self (func (param (ref $self)))) (type (func (param (ref 4)))))
            """)
        #expect(identities.same(0, 1))
        #expect(identities.same(2, 3))
        #expect(!identities.same(0, 2))
        #expect(!identities.same(4, 5))
    }

    @Test func referenceSubtyping() throws {
        let identities = try types("(module (type (func)) (type (func)) (type (func (result i32))))")
        func ref(_ nullable: Bool, _ heap: HeapType) -> ValueType { .ref(ReferenceType(isNullable: nullable, heapType: heap)) }
        #expect(identities.isSubtype(ref(false, .concrete(typeIndex: 0)), of: ref(true, .concrete(typeIndex: 1))))
        #expect(identities.isSubtype(ref(false, .concrete(typeIndex: 0)), of: .ref(.funcRef)))
        #expect(!identities.isSubtype(ref(true, .concrete(typeIndex: 0)), of: ref(false, .concrete(typeIndex: 0))))
        #expect(!identities.isSubtype(ref(false, .concrete(typeIndex: 0)), of: ref(false, .concrete(typeIndex: 2))))
        #expect(!identities.isSubtype(.ref(.funcRef), of: ref(true, .concrete(typeIndex: 0))))
        #expect(!identities.isSubtype(ref(false, .concrete(typeIndex: 0)), of: .ref(.externRef)))
    }

    @Test func aTypeMayNotReferToALaterOne() throws {
        #expect(try Validation.outcome("(module (type (func (param (ref 1)))) (type (func)))").hasPrefix("unknown type 1"))
    }

    @Test func refFuncHasItsFunctionsType() throws {
        let text = """
            (module (type $t (func (param i32) (result i32))) (elem declare func $f)
              (func $f (type $t) (local.get 0))
              (func (result (ref $t)) (ref.func $f)))
            """
        #expect(try Validation.outcome(text) == "valid")
        let wrong = "(module (type $t (func)) (elem declare func $f) (func $f (param i32)) (func (result (ref $t)) (ref.func $f)))"
        #expect(try Validation.outcome(wrong).hasPrefix("type mismatch"))
    }

    @Test(arguments: [
        // Read before any set.
        "(func (local $x (ref extern)) (drop (local.get $x)))",
        // Set only inside a block that has ended.
        "(func (param $p (ref extern)) (local $x (ref extern)) (block (local.set $x (local.get $p))) (drop (local.get $x)))",
        // Set in the then branch, read in the else branch.
        "(func (param $p (ref extern)) (local $x (ref extern)) (if (i32.const 0) (then (local.set $x (local.get $p))) (else (drop (local.get $x)))))",
    ])
    func anUnsetNonNullableLocalCannotBeRead(_ function: String) throws {
        #expect(try Validation.outcome("(module \(function))").hasPrefix("uninitialized local"))
    }

    @Test func aSetNonNullableLocalCanBeRead() throws {
        let text = """
            (module (func (param $p (ref extern)) (result (ref extern)) (local $x (ref extern)) (local $n externref)
              (drop (local.get $n))
              (local.set $x (local.get $p))
              (block (result (ref extern)) (local.get $x))))
            """
        #expect(try Validation.outcome(text) == "valid")
    }

    @Test func brOnNonNullNeedsALabelEndingInAReference() throws {
        let valid = "(module (type $t (func)) (func (param (ref null $t)) (result (ref $t)) (block (br_on_non_null 1 (local.get 0))) (unreachable)))"
        #expect(try Validation.outcome(valid) == "valid")
        let noReference = "(module (type $t (func)) (func (param (ref null $t)) (block (br_on_non_null 0 (local.get 0)))))"
        #expect(try Validation.outcome(noReference).hasPrefix("type mismatch"))
    }

    @Test func brOnNullLeavesANonNullReference() throws {
        let text = "(module (type $t (func)) (func (param (ref null $t)) (result (ref $t)) (block (return (br_on_null 0 (local.get 0)))) (unreachable)))"
        #expect(try Validation.outcome(text) == "valid")
    }

    @Test func callRefTakesANullableReferenceToItsType() throws {
        let text = "(module (type $t (func (param i32) (result i32))) (func (param (ref null $t)) (result i32) (call_ref $t (i32.const 1) (local.get 0))))"
        #expect(try Validation.outcome(text) == "valid")
        let other = "(module (type $t (func (param i32) (result i32))) (type $u (func)) (func (param (ref $u)) (result i32) (call_ref $t (i32.const 1) (local.get 0))))"
        #expect(try Validation.outcome(other).hasPrefix("type mismatch"))
    }

    @Test func aNonNullableTableNeedsAnInitializer() throws {
        #expect(try Validation.outcome("(module (type $t (func)) (table 1 (ref $t)))").hasPrefix("type mismatch"))
        let initialized = "(module (type $t (func)) (func $f (type $t)) (table 1 (ref $t) (ref.func $f)))"
        #expect(try Validation.outcome(initialized) == "valid")
    }

    @Test func gcHeapTypesAreNamedUnsupported() throws {
        let error = try Validation.rejection(bytes: [
            0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
            0x01, 0x04, 0x01, 0x60, 0x00, 0x00,  // type 0: [] -> []
            0x03, 0x02, 0x01, 0x00,  // func 0: type 0
            0x0a, 0x07, 0x01, 0x05, 0x00, 0xd0, 0x73, 0x1a, 0x0b,  // ref.null nofunc; drop; end
        ])
        #expect(error.reason.contains("GC proposal"))
    }
}

/// Type identity with recursion groups: a group's types are the same as another group's at the same
/// position when the groups are structurally the same, and never the same as a lone type.
struct RecursionGroupIdentityTests {
    @Test func groupsAreComparedWholeAndByPosition() throws {
        let f: FunctionType = FunctionType(parameters: [], results: [.i32])
        // 0, 1: a group of two; 2, 3: the same group again; 4: a lone type of the same signature.
        let identities = TypeIdentities([f, f, f, f, f], groups: [0..<2, 2..<4, 4..<5])
        #expect(identities.same(0, 2))
        #expect(identities.same(1, 3))
        #expect(!identities.same(0, 1))
        #expect(!identities.same(0, 4))
        #expect(!identities.same(1, 4))
    }

    @Test func referencesIntoTheGroupAreByPosition() throws {
        func refers(_ index: UInt32) -> FunctionType {
            FunctionType(parameters: [.ref(ReferenceType(isNullable: true, heapType: .concrete(typeIndex: index)))], results: [])
        }
        // Group A: 0 refers to 1, 1 to 0. Group B the same. Group C: each refers to itself.
        let identities = TypeIdentities([refers(1), refers(0), refers(3), refers(2), refers(4), refers(5)], groups: [0..<2, 2..<4, 4..<6])
        #expect(identities.same(0, 2))
        #expect(!identities.same(0, 4))
    }
}
