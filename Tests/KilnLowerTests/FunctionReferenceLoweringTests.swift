import KilnDecode
import KilnModel
@testable import KilnLower
import KilnValidate
import Testing

/// Typed function references in C: type keys that tell types apart across modules, and the null checks
/// that are all `call_ref` needs.
@Suite struct FunctionReferenceLoweringTests {
    func lower(_ text: String) throws -> String { try Lowered.moduleC(text) }

    func keys(_ text: String) throws -> TypeKeys {
        TypeKeys(try ModuleSource.text(text).decode().types)
    }

    @Test func keysAreEqualExactlyForEqualTypes() throws {
        let a = try keys("(module (type (func (param i32))) (type (func (param (ref 0)))) (type $s (func (result (ref null $s)))))")
        // Another module: the same types at other indices, and ones that differ in one detail.
        let b = try keys("""
            (module (type (func)) (type (func (param i32))) (type (func (param (ref 1))))
              (type (func (param (ref null 1)))) (type $s (func (result (ref null $s)))) (type (func (result (ref null 4)))))
            """)
        #expect(a.keys[0] == b.keys[1])
        #expect(a.keys[1] == b.keys[2])
        #expect(a.keys[1] != b.keys[3])  // nullable
        #expect(a.keys[2] == b.keys[4])  // both refer to themselves
        #expect(a.keys[2] != b.keys[5])  // refers to such a type, not to itself
        #expect(a.keys[0] != b.keys[0])
    }

    @Test func onlyTypedTypesCarryTheirKey() throws {
        let c = try lower("(module (type (func (param funcref) (result i32))) (type (func (param (ref func)))))")
        let k = try keys("(module (type (func (param funcref) (result i32))) (type (func (param (ref func)))))")
        #expect(c.contains("{\"r\", \"i\", NULL}, {\"r\", \"\", \"\(k.keys[1])\"}"))
    }

    @Test func callRefChecksOnlyForNull() throws {
        let c = try lower("(module (type $t (func (param i32) (result i32))) (func (param (ref null $t)) (result i32) (call_ref $t (i32.const 7) (local.get 0))))")
        #expect(c.contains("const kiln_funcref* c = kiln_funcref_for_call_ref(ctx, l0);"))
        #expect(c.contains("((kiln_fn_i_i)c->fn)(c->instance, 7u)"))
    }

    @Test func typedTablesAndGlobalsRecordTheirTypes() throws {
        let text = """
            (module (type $t (func)) (func $f (type $t))
              (table 2 (ref $t) (ref.func $f)) (global (ref null $t) (ref.null $t)))
            """
        let c = try lower(text)
        let key = try keys(text).keys[0]
        #expect(c.contains("inst->table_storage[0].ref_type = \"!\(key)\";"))
        #expect(c.contains("inst->global_storage[0].ref_type = \"?\(key)\";"))
        #expect(c.contains("kiln_table_fill(ctx, &inst->table_storage[0], 0u, (void*)&inst->funcs[0], inst->table_storage[0].size);"))
    }
}
