import KilnModel

/// alloc, init, start and free: instantiation in the spec's order. Functions, memories, tables and
/// globals are defined first; then element segments and data segments are applied one by one, so a
/// segment that traps leaves the earlier ones' effects in place (linking.wast) and writes nothing itself.
enum Instantiate {
    static func render(_ context: LoweringContext) -> String {
        [alloc(context), initFunction(context), start(context), free(context)].joined(separator: "\n\n")
    }

    static func alloc(_ context: LoweringContext) -> String {
        let module = context.module
        let space = context.space
        var lines = ["static kiln_instance* kiln_alloc(kiln_ctx* ctx) {"]
        lines.append("  Instance* const inst = (Instance*)calloc(1, sizeof(Instance));")
        lines.append("  if (!inst) return NULL;")
        lines.append("  inst->base.ctx = ctx;")
        lines.append("  inst->base.module = &kiln_module_descriptor;")
        lines.append("  inst->base.funcs = inst->funcs;")
        lines.append("  inst->base.memories = inst->memories;")
        lines.append("  inst->base.tables = inst->tables;")
        lines.append("  inst->base.globals = inst->globals;")
        lines.append("  inst->base.tags = inst->tags;")
        let importedMemories = space.memories.count - module.memories.count
        for i in 0..<module.memories.count { lines.append("  inst->memories[\(importedMemories + i)] = &inst->memory_storage[\(i)];") }
        let importedTables = space.tables.count - module.tables.count
        for i in 0..<module.tables.count { lines.append("  inst->tables[\(importedTables + i)] = &inst->table_storage[\(i)];") }
        for i in 0..<module.globals.count { lines.append("  inst->globals[\(space.importedGlobalCount + i)] = &inst->global_storage[\(i)];") }
        for (i, type) in module.tags.enumerated() {
            lines.append("  inst->tag_storage[\(i)].type = &kiln_types[\(type)];")
            lines.append("  inst->tags[\(space.importedTagCount + i)] = &inst->tag_storage[\(i)];")
        }
        for (i, segment) in module.data.enumerated() { lines.append("  inst->data_size[\(i)] = \(DataSection.bytes(segment).count)u;") }
        lines.append("  return &inst->base;")
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    static func initFunction(_ context: LoweringContext) -> String {
        let module = context.module
        let space = context.space
        var lines = ["static void kiln_init(kiln_instance* self) {"]
        lines.append("  Instance* const inst KILN_UNUSED = (Instance*)self;")
        lines.append("  kiln_ctx* const ctx KILN_UNUSED = self->ctx;")
        for (i, name) in WASIImports.bound(context) {
            let type = space.functionTypeIndices[i]
            lines.append("  inst->funcs[\(i)] = (kiln_funcref){&kiln_types[\(type)], (void*)kiln_import_\(i)_\(name), self, NULL};")
        }
        lines += definedFunctions(context)
        // Without a guarded reservation an access past the end would not fault: refuse the memory.
        // A 64-bit memory has explicit checks in every mode (kiln_address64), so it need not be guarded.
        for memory in 0..<(context.boundsGuard ? space.memories.count - module.memories.count : 0) where !space.memories[memory].isMemory64 {
            lines.append("  if (!kiln_memory_is_guarded(inst->memories[\(memory)])) {")
            lines.append("    ctx->trap_detail = \"imported memory \(memory) is not guarded (built with --bounds guard; use --bounds explicit)\";")
            lines.append("    kiln_trap(ctx, KILN_TRAP_HOST);")
            lines.append("  }")
        }
        // A limit below the minimum, or a reservation the OS refuses, stops instantiation with a message that
        // says how much was asked and which option lowers it (Runtime/src/memory.c).
        for (i, memory) in module.memories.enumerated() {
            let max = memory.max ?? (memory.isMemory64 ? 1 << 48 : 65536)
            let index = space.memories.count - module.memories.count + i
            let guarded = context.boundsGuard && !memory.isMemory64
            lines.append("  kiln_memory_define(ctx, &inst->memory_storage[\(i)], \(index)u, \(memory.min)u, \(max)u, \(guarded ? 1 : 0));")
            if memory.max != nil { lines.append("  inst->memory_storage[\(i)].has_max = 1;") }
            if memory.isMemory64 { lines.append("  inst->memory_storage[\(i)].is64 = 1;") }
            if memory.shared { lines.append("  kiln_memory_share(ctx, &inst->memory_storage[\(i)], \(index)u);") }
        }
        for (i, table) in module.tables.enumerated() {
            let kind = table.elementType == .externRef ? "KILN_EXTERNREF" : "KILN_FUNCREF"
            // A table64's limits may exceed 32 bits; no table holds more than KILN_TABLE_ELEMENTS_LIMIT anyway.
            let max = table.limits.max.map { "\(min($0, UInt64(UInt32.max)))u" } ?? "0xFFFFFFFFu"
            let minimum = min(table.limits.min, UInt64(UInt32.max))
            let index = space.tables.count - module.tables.count + i
            lines.append("  kiln_table_define(ctx, &inst->table_storage[\(i)], \(index)u, \(kind), \(minimum)u, \(max));")
            if table.limits.isMemory64 { lines.append("  inst->table_storage[\(i)].is64 = 1;") }
            let refType = context.typeKeys.refTypeLiteral(.ref(table.elementType))
            if refType != "NULL" { lines.append("  inst->table_storage[\(i)].ref_type = \(refType);") }
        }
        for (i, global) in module.globals.enumerated() {
            let member = CTypes.valueMember(global.type.valueType)
            let char = CTypes.signatureChar(global.type.valueType)
            lines.append("  inst->global_storage[\(i)].type = '\(char)';")
            lines.append("  inst->global_storage[\(i)].is_mutable = \(global.type.mutability == .variable ? 1 : 0);")
            lines.append("  inst->global_storage[\(i)].value.\(member) = \(ConstantC.value(global.initializer, context));")
            let refType = context.typeKeys.refTypeLiteral(global.type.valueType)
            if refType != "NULL" { lines.append("  inst->global_storage[\(i)].ref_type = \(refType);") }
        }
        // Table initializers (typed function references) read only imported globals; the spec evaluates them
        // after the globals' initializers, as here.
        for (i, initializer) in module.tableInitializers.sorted(by: { $0.key < $1.key }) {
            lines.append("  kiln_table_fill(ctx, &inst->table_storage[\(i)], 0u, \(ConstantC.value(initializer, context)), inst->table_storage[\(i)].size);")
        }
        for (i, segment) in module.elements.enumerated() {
            lines += elementItems(i, segment, context)
            lines.append("  inst->elem_size[\(i)] = \(segment.initializer.count)u;")
            switch segment.mode {
            case .active(let table, let offset):
                lines.append("  kiln_table_init(ctx, inst->tables[\(table)], inst->elem\(i), inst->elem_size[\(i)], \(ConstantC.value(offset, context)), 0u, \(segment.initializer.count)u);")
                lines.append("  inst->elem_size[\(i)] = 0u;")
            case .declarative:
                lines.append("  inst->elem_size[\(i)] = 0u;")
            case .passive:
                break
            }
        }
        for (i, segment) in module.data.enumerated() {
            if case .active(let active) = segment {
                lines.append("  kiln_memory_init(ctx, inst->memories[\(active.index)], kiln_data\(i), inst->data_size[\(i)], \(ConstantC.value(active.offset, context)), 0u, \(active.initializer.count)u);")
                lines.append("  inst->data_size[\(i)] = 0u;")
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    /// The defined functions' funcrefs (those that need one), from a table and a loop.
    ///
    /// Why: one store per function made kiln_init one basic block of thousands of stores, and clang's
    /// scheduler is superlinear in a block's length (Lua's instance.c took 0.5 s at -O1, most of it there).
    static func definedFunctions(_ context: LoweringContext) -> [String] {
        let space = context.space
        let first = space.importedFunctionCount
        // A module with tail calls also records each function's tail entry (LowerTailCalls.swift).
        let tails = context.validated.usesTailCalls
        // Only the functions that can become values: the others' funcrefs are never read (see needsFuncref).
        let functions = (first..<space.functionTypeIndices.count).map(UInt32.init).filter(context.needsFuncref)
        guard !functions.isEmpty else { return [] }
        let fields = tails ? "u32 index; u32 type; void* fn; void (*tail)(kiln_instance*);" : "u32 index; u32 type; void* fn;"
        var lines = ["  static const struct { \(fields) } defined[\(functions.count)] = { /* function index, type index, code\(tails ? ", tail entry" : "") */"]
        for function in functions {
            let tail = !tails ? "" : ", " + (context.hasTailEntry(function) ? context.tailEntryName(function) : "NULL")
            lines.append("    {\(function)u, \(space.functionTypeIndices[Int(function)])u, (void*)\(context.names.function(function))\(tail)},")
        }
        lines.append("  };")
        lines.append("  for (u32 i = 0; i < \(functions.count)u; i++) inst->funcs[defined[i].index] = (kiln_funcref){&kiln_types[defined[i].type], defined[i].fn, self, \(tails ? "defined[i].tail" : "NULL")};")
        return lines
    }

    /// An element segment's items: a table of function indices and a loop when they are all `ref.func`
    /// (as in every C program's function table), one store per item otherwise.
    static func elementItems(_ i: Int, _ segment: ElementSegment, _ context: LoweringContext) -> [String] {
        var functions: [UInt32] = []
        for item in segment.initializer {
            let rest = item.dropFirst().allSatisfy { if case .end = $0 { true } else { false } }
            guard rest, case .refFunc(let index) = item.first else { functions = []; break }
            functions.append(index)
        }
        guard functions.count == segment.initializer.count, !functions.isEmpty else {
            return segment.initializer.enumerated().map { k, item in "  inst->elem\(i)[\(k)] = \(ConstantC.value(item, context));" }
        }
        var lines = ["  {"]
        lines.append("    static const u32 items[\(functions.count)] = {\(functions.map { "\($0)u" }.joined(separator: ", "))}; /* function indices */")
        lines.append("    for (u32 k = 0; k < \(functions.count)u; k++) inst->elem\(i)[k] = (void*)&inst->funcs[items[k]];")
        lines.append("  }")
        return lines
    }

    static func start(_ context: LoweringContext) -> String {
        guard let start = context.module.start else { return "" }
        var lines = ["static void kiln_start(kiln_instance* self) {"]
        if context.isImportedFunction(start) {
            lines.append("  Instance* const inst = (Instance*)self;")
            lines.append("  ((kiln_fn_0_0)inst->funcs[\(start)].fn)(inst->funcs[\(start)].instance);")
        } else {
            lines.append("  \(context.names.function(start))(self);")
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    static func free(_ context: LoweringContext) -> String {
        var lines = ["static void kiln_free(kiln_instance* self) {"]
        lines.append("  Instance* const inst = (Instance*)self;")
        for i in 0..<context.module.memories.count { lines.append("  kiln_memory_free(&inst->memory_storage[\(i)]);") }
        for i in 0..<context.module.tables.count { lines.append("  kiln_table_free(&inst->table_storage[\(i)]);") }
        lines.append("  free(inst);")
        lines.append("}")
        return lines.joined(separator: "\n")
    }
}

/// Constant expressions as C expressions, evaluated in `kiln_init`, by running the (validated) expression
/// over a stack of C expressions. Extended constants wrap: their arithmetic is done in `u32`/`u64`.
enum ConstantC {
    static func value(_ expression: ConstExpression, _ context: LoweringContext) -> String {
        var stack: [String] = []
        func arithmetic(_ type: String, _ op: String) {
            let b = stack.popLast() ?? "0"
            let a = stack.popLast() ?? "0"
            stack.append("(\(type))((\(type))(\(a)) \(op) (\(type))(\(b)))")
        }
        for instruction in expression {
            switch instruction {
            case .i32Const(let value): stack.append(Literals.i32(value))
            case .i64Const(let value): stack.append(Literals.i64(value))
            case .f32Const(let value): stack.append(Literals.f32(value.bitPattern))
            case .f64Const(let value): stack.append(Literals.f64(value.bitPattern))
            case .refNull: stack.append("NULL")
            case .refFunc(let index): stack.append("(void*)&inst->funcs[\(index)]")
            case .globalGet(let index):
                let member = context.space.global(index).map { CTypes.valueMember($0.valueType) } ?? "i32"
                stack.append("inst->globals[\(index)]->value.\(member)")
            case .v128Const(let value):
                stack.append("(kiln_v128){\(value.bytes.map { "\($0)" }.joined(separator: ", "))}")
            case .binary(.i32Add): arithmetic("u32", "+")
            case .binary(.i32Sub): arithmetic("u32", "-")
            case .binary(.i32Mul): arithmetic("u32", "*")
            case .binary(.i64Add): arithmetic("u64", "+")
            case .binary(.i64Sub): arithmetic("u64", "-")
            case .binary(.i64Mul): arithmetic("u64", "*")
            default: continue
            }
        }
        return stack.last ?? "0"
    }
}
