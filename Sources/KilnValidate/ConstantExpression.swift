import KilnModel

/// Validates a constant expression (global initializers, segment offsets, element initializers).
///
/// Wasm 2.0 allows `t.const`, `ref.null`, `ref.func` and `global.get` of an imported immutable global,
/// leaving exactly one value of the expected type.
/// > Note: <https://webassembly.github.io/spec/core/valid/instructions.html#constant-expressions>
enum ConstantExpression {
    static func validate(_ expression: ConstExpression, expected: ValueType, context: ModuleContext) throws(ValidationError) {
        var stack: [ValueType] = []
        for instruction in expression {
            switch instruction {
            case .i32Const: stack.append(.i32)
            case .i64Const: stack.append(.i64)
            case .f32Const: stack.append(.f32)
            case .f64Const: stack.append(.f64)
            case .v128Const: stack.append(.v128)
            case .refNull(let heapType):
                guard heapType == .funcRef || heapType == .externRef else { throw .unsupported("ref.null of \(heapType)") }
                stack.append(.ref(ReferenceType(isNullable: true, heapType: heapType)))
            case .refFunc(let index):
                _ = try context.functionType(index)
                stack.append(.ref(.funcRef))
            case .globalGet(let index):
                // Only imported globals are visible to constant expressions in Wasm 2.0.
                guard Int(index) < context.space.importedGlobalCount else {
                    throw .unknown("global", index, count: context.space.importedGlobalCount)
                }
                let global = try context.global(index)
                guard global.mutability == .constant else {
                    throw .constantRequired("global.get \(index) reads a mutable global")
                }
                stack.append(global.valueType)
            case .end:
                return try checkResult(stack, expected: expected)
            default:
                throw .constantRequired("\(FunctionValidator<NullSink>.proposalName(instruction)) is not constant")
            }
        }
        // Element segments given as function indices arrive as `[ref.func i]`, without an `end`.
        try checkResult(stack, expected: expected)
    }

    private static func checkResult(_ stack: [ValueType], expected: ValueType) throws(ValidationError) {
        guard stack.count == 1, stack[0] == expected else {
            let found = stack.isEmpty ? "nothing" : "[\(stack.map(\.name).joined(separator: " "))]"
            throw .typeMismatch(expected: expected.name, found: found)
        }
    }
}
