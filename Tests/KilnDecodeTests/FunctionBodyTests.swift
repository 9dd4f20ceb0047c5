import KilnDecode
import KilnModel
import Testing

/// `FunctionBody.localType(at:)` answers from the run-length form the decoder keeps.
struct FunctionBodyTests {
    /// Runs: 2 × i32, 0 × i64 (dropped), 3 × f64, 1 × funcref, 4 × v128.
    static func decodedBody() throws -> FunctionBody {
        let bytes = WasmBytes.function(locals: [(2, 0x7f), (0, 0x7e), (3, 0x7c), (1, 0x70), (4, 0x7b)], [0x0b])
        return try #require(try ModuleDecoder.decode(bytes).bodies.first)
    }

    @Test func runsAreKeptWithoutEmptyOnes() throws {
        let body = try Self.decodedBody()
        #expect(body.locals == [
            .init(count: 2, type: .i32), .init(count: 3, type: .f64), .init(count: 1, type: .ref(.funcRef)),
            .init(count: 4, type: .v128),
        ])
        #expect(body.localCount == 10)
    }

    @Test(arguments: [
        (0, "i32"), (1, "i32"), (2, "f64"), (3, "f64"), (4, "f64"), (5, "funcref"), (6, "v128"), (9, "v128"),
    ] as [(UInt64, String)])
    func localTypeAtEachIndex(_ index: UInt64, _ type: String) throws {
        #expect(try Self.decodedBody().localType(at: index)?.name == type)
    }

    @Test(arguments: [10, 11, UInt64(UInt32.max), UInt64.max])
    func localTypePastTheEndIsNil(_ index: UInt64) throws {
        #expect(try Self.decodedBody().localType(at: index) == nil)
    }

    @Test func bodyWithoutLocals() throws {
        let body = try #require(try ModuleDecoder.decode(WasmBytes.function([0x0b])).bodies.first)
        #expect(body.locals.isEmpty)
        #expect(body.localCount == 0)
        #expect(body.localType(at: 0) == nil)
    }

    @Test func runsFromText() throws {
        let bytes = try WasmBytes.wasm("(module (func (param i64) (local i32 i32 externref) (local f32)))")
        let body = try #require(try ModuleDecoder.decode(bytes).bodies.first)
        // Parameters are not locals: index 0 is the first declared local.
        #expect(body.localCount == 4)
        #expect((0..<5).map { body.localType(at: $0)?.name } == ["i32", "i32", "externref", "f32", nil])
    }
}
