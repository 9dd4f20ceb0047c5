import KilnModel

/// Validates a constant expression (global initializers, segment offsets, element initializers).
///
/// Wasm 3.0 allows `t.const`, `ref.null`, `ref.func`, `global.get` of an immutable global, and (extended
/// constant expressions) `i32`/`i64` `add`, `sub` and `mul`, leaving exactly one value of the expected type.
/// A global's initializer sees the imported globals and the defined ones before it; segments see them all.
/// > Note: <https://webassembly.github.io/spec/core/valid/instructions.html#constant-expressions>
enum ConstantExpression {
    /// `visibleGlobals`: how many globals (from index 0) the expression may read.
    static func validate(
        _ expression: ConstExpression, expected: ValueType, context: ModuleContext, visibleGlobals: Int
    ) throws(ValidationError) {
        var stack: [ValueType] = []
        let extended = context.module.version != .v2
        // Wasm 2.0: only imported globals.
        let visibleGlobals = extended ? visibleGlobals : min(visibleGlobals, context.space.importedGlobalCount)
        func binary(_ type: ValueType) throws(ValidationError) {
            guard extended else { throw .constantRequired("arithmetic is not constant in Wasm 2.0") }
            guard stack.count >= 2, stack[stack.count - 1] == type, stack[stack.count - 2] == type else {
                throw .typeMismatch(expected: "[\(type.name) \(type.name)]", found: "[\(stack.suffix(2).map(\.name).joined(separator: " "))]")
            }
            stack.removeLast()
        }
        for instruction in expression {
            switch instruction {
            case .i32Const: stack.append(.i32)
            case .i64Const: stack.append(.i64)
            case .f32Const: stack.append(.f32)
            case .f64Const: stack.append(.f64)
            case .v128Const: stack.append(.v128)
            case .refNull(let heapType):
                try context.validate(heapType)
                stack.append(.ref(ReferenceType(isNullable: true, heapType: heapType)))
            case .refFunc(let index):
                stack.append(try context.functionReferenceType(index))
            case .globalGet(let index):
                guard Int(index) < visibleGlobals else {
                    guard Int(index) < context.space.globals.count else { throw .unknown("global", index, count: context.space.globals.count) }
                    throw ValidationError("unknown global \(index): a constant expression here reads only globals 0..<\(visibleGlobals)")
                }
                let global = try context.global(index)
                guard global.mutability == .constant else {
                    throw .constantRequired("global.get \(index) reads a mutable global")
                }
                stack.append(global.valueType)
            case .binary(.i32Add), .binary(.i32Sub), .binary(.i32Mul): try binary(.i32)
            case .binary(.i64Add), .binary(.i64Sub), .binary(.i64Mul): try binary(.i64)
            case .end:
                return try checkResult(stack, expected: expected, context.identities)
            default:
                throw .constantRequired("\(FunctionValidator<NullSink>.proposalName(instruction)) is not constant")
            }
        }
        // Element segments given as function indices arrive as `[ref.func i]`, without an `end`.
        try checkResult(stack, expected: expected, context.identities)
    }

    private static func checkResult(_ stack: [ValueType], expected: ValueType, _ identities: TypeIdentities) throws(ValidationError) {
        guard stack.count == 1, identities.isSubtype(stack[0], of: expected) else {
            let found = stack.isEmpty ? "nothing" : "[\(stack.map(\.name).joined(separator: " "))]"
            throw .typeMismatch(expected: expected.name, found: found)
        }
    }
}
