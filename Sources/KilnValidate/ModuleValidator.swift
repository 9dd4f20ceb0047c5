import KilnModel

/// A module that passed validation, with the context its consumers need.
public struct ValidatedModule: Sendable {
    public let module: Module
    public let context: ModuleContext
    /// Tables some instruction can write (table.set, grow, fill, init, or the destination of table.copy).
    public let writtenTables: Set<UInt32>
    /// Defined functions that make a tail call (`return_call*`).
    public let tailCallers: Set<UInt32>
    public var usesTailCalls: Bool { !tailCallers.isEmpty }
    /// Offsets of the legacy catch clauses a `rethrow` names (`BodyFacts.rethrownCatches`).
    public var rethrownCatches: Set<Int> = []
}

/// Validates everything outside function bodies, then each body with `FunctionValidator`.
///
/// > Note: <https://webassembly.github.io/spec/core/valid/modules.html>
public enum ModuleValidator {
    /// Validates the module; each body goes through `BodyFacts`.
    public static func validate(_ module: Module) throws(ValidationError) -> ValidatedModule {
        let context = ModuleContext(module)
        try validateDeclarations(module, context)
        var written = Set<UInt32>()
        var tailCallers = Set<UInt32>()
        var rethrown = Set<Int>()
        for index in 0..<module.bodies.count {
            var validator = try FunctionValidator(
                context: context, function: UInt32(context.space.importedFunctionCount + index), sink: BodyFacts())
            try validator.validate()
            written.formUnion(validator.sink.tables)
            tailCallers.formUnion(validator.sink.tailCallers)
            rethrown.formUnion(validator.sink.rethrownCatches)
        }
        var validated = ValidatedModule(module: module, context: context, writtenTables: written, tailCallers: tailCallers)
        validated.rethrownCatches = rethrown
        return validated
    }

    /// Validates imports, definitions, exports, the start function and segments, in section order.
    public static func validateDeclarations(_ module: Module, _ context: ModuleContext) throws(ValidationError) {
        func at(_ section: UInt8, _ what: String) -> ErrorLocation {
            ErrorLocation(offset: module.sectionOffset(section), context: what)
        }
        func check(_ location: ErrorLocation, _ body: () throws(ValidationError) -> Void) throws(ValidationError) {
            do { try body() } catch { throw error.at(location) }
        }

        for (i, type) in module.types.enumerated() {
            // A type refers to itself, the types before it, and the others of its recursion group.
            let bound = module.recursionGroups.first { $0.contains(i) }?.upperBound ?? i + 1
            try check(at(1, "type \(i)")) { () throws(ValidationError) in
                for value in type.parameters + type.results { try context.validate(value, typeBound: bound) }
            }
        }
        for (i, entry) in module.imports.enumerated() {
            try check(at(2, "import \(i) \"\(entry.module)\" \"\(entry.name)\"")) { () throws(ValidationError) in
                switch entry.descriptor {
                case .function(let type): _ = try context.type(type)
                case .table(let table): try validateTable(table, context)
                case .memory(let memory): try validateMemory(memory)
                case .global(let global): try context.validate(global.valueType)
                case .tag(let type): try validateTagType(type, context)
                }
            }
        }
        for (i, type) in module.functions.enumerated() {
            try check(at(3, "func \(context.space.importedFunctionCount + i)")) { () throws(ValidationError) in
                _ = try context.type(type)
            }
        }
        // The table section comes before the global section: an initializer reads only imported globals.
        for (i, table) in module.tables.enumerated() {
            try check(at(4, "table \(context.space.tables.count - module.tables.count + i)")) { () throws(ValidationError) in
                try validateTable(table, context)
                let elementType = ValueType.ref(table.elementType)
                if let initializer = module.tableInitializers[i] {
                    try ConstantExpression.validate(
                        initializer, expected: elementType, context: context, visibleGlobals: context.space.importedGlobalCount)
                } else if !table.elementType.isNullable {
                    throw .typeMismatch("a table of \(elementType.name) needs an initializer: it cannot start null")
                }
            }
        }
        for (i, memory) in module.memories.enumerated() {
            try check(at(5, "memory \(i)")) { () throws(ValidationError) in try validateMemory(memory) }
        }
        for (i, type) in module.tags.enumerated() {
            try check(at(13, "tag \(context.space.importedTagCount + i)")) { () throws(ValidationError) in
                try validateTagType(type, context)
            }
        }
        if module.version == .v2, context.space.memories.count > 1 { throw ValidationError.multipleMemories.at(at(5, "memory 1")) }
        for (i, global) in module.globals.enumerated() {
            let index = context.space.importedGlobalCount + i
            try check(at(6, "global \(index)")) { () throws(ValidationError) in
                try context.validate(global.type.valueType)
                try ConstantExpression.validate(global.initializer, expected: global.type.valueType, context: context, visibleGlobals: index)
            }
        }
        // Names are compared as bytes: Swift's String equality would merge canonically equivalent names.
        var exportNames = Set<[UInt8]>()
        for entry in module.exports {
            try check(at(7, "export \"\(entry.name)\"")) { () throws(ValidationError) in
                guard exportNames.insert(Array(entry.name.utf8)).inserted else { throw .duplicateExport(entry.name) }
                switch entry.descriptor {
                case .function(let index): _ = try context.functionType(index)
                case .table(let index): _ = try context.table(index)
                case .memory(let index): _ = try context.memory(index)
                case .global(let index): _ = try context.global(index)
                case .tag(let index): _ = try context.tag(index)
                }
            }
        }
        if let start = module.start {
            try check(at(8, "start function")) { () throws(ValidationError) in
                let type = try context.functionType(start)
                guard type.parameters.isEmpty, type.results.isEmpty else { throw .startFunction(type) }
            }
        }
        let all = context.space.globals.count
        for (i, segment) in module.elements.enumerated() {
            try check(at(9, "elem segment \(i)")) { () throws(ValidationError) in
                let type = ValueType.ref(segment.type)
                try context.validate(type)
                for expression in segment.initializer {
                    try ConstantExpression.validate(expression, expected: type, context: context, visibleGlobals: all)
                }
                if case .active(let table, let offset) = segment.mode {
                    let tableType = try context.table(table)
                    guard context.identities.isSubtype(segment.type, of: tableType.elementType) else {
                        throw .typeMismatch("elem segment of \(segment.type.name) for a table of \(tableType.elementType.name)")
                    }
                    try ConstantExpression.validate(offset, expected: tableType.limits.addressType, context: context, visibleGlobals: all)
                }
            }
        }
        for (i, segment) in module.data.enumerated() {
            try check(at(11, "data segment \(i)")) { () throws(ValidationError) in
                if case .active(let active) = segment {
                    _ = try context.memory(active.index)
                    let memory = try context.memory(active.index)
                    try ConstantExpression.validate(active.offset, expected: memory.addressType, context: context, visibleGlobals: all)
                }
            }
        }
    }

    /// A tag's type is a function type without results.
    static func validateTagType(_ index: UInt32, _ context: ModuleContext) throws(ValidationError) {
        guard context.module.version != .v2 else { throw .unsupported("a tag (exception handling proposal)") }
        let type = try context.type(index)
        guard type.results.isEmpty else { throw .typeMismatch("non-empty tag result type: \(type.signature)") }
    }

    /// > Note: <https://webassembly.github.io/spec/core/valid/types.html#limits>
    static func validateLimits(_ limits: Limits, bound: UInt64, tooLarge: (UInt64) -> ValidationError) throws(ValidationError) {
        guard limits.min <= bound else { throw tooLarge(limits.min) }
        if let max = limits.max {
            guard max <= bound else { throw tooLarge(max) }
            guard limits.min <= max else { throw .limitsMinMax(limits.min, max) }
        }
    }

    static func validateMemory(_ memory: Limits) throws(ValidationError) {
        // The decoder already refuses the flags of a shared memory without one (ModuleDecoder.checkShared).
        guard !memory.shared || memory.max != nil else { throw ValidationError("shared memory must have maximum") }
        if memory.isMemory64 {
            try validateLimits(memory, bound: 1 << 48, tooLarge: ValidationError.memory64Size)
        } else {
            try validateLimits(memory, bound: 65536, tooLarge: ValidationError.memorySize)
        }
    }

    static func validateTable(_ table: TableType, _ context: ModuleContext) throws(ValidationError) {
        try context.validate(.ref(table.elementType))
        try validateLimits(table.limits, bound: table.limits.isMemory64 ? UInt64.max : UInt64(UInt32.max), tooLarge: ValidationError.tableSize)
    }
}
