import KilnModel
import KilnValidate

/// What every function's lowering shares: the validated module, its C names and type table.
public struct LoweringContext: Sendable {
    public let validated: ValidatedModule
    let names: CNames
    /// Whether the C is split into several units: functions and shared tables are then `KILN_HIDDEN`
    /// instead of `static`, declared in module.h.
    let split: Bool
    /// Tables whose entries never change (SealedTables.swift).
    let sealedTables: [UInt32: [UInt32?]]
    let boundsGuard: Bool
    let interruption: Interruption
    let typeKeys: TypeKeys
    var module: Module { validated.module }
    var space: IndexSpace { validated.context.space }

    public init(_ validated: ValidatedModule, split: Bool = false, boundsGuard: Bool = false, interruption: Interruption = .none) {
        self.boundsGuard = boundsGuard
        self.interruption = interruption
        self.validated = validated
        self.split = split
        self.sealedTables = SealedTables.contents(validated)
        self.typeKeys = TypeKeys(validated.module.types, groups: validated.module.allRecursionGroups)
        self.names = CNames(validated.module, functionCount: validated.context.space.functionTypeIndices.count)
    }

    /// Memory 0's descriptor. A memory the module defines lives inside the instance at a fixed offset, so
    /// reaching its base costs one load instead of two (it matters in small functions called often).
    var memory0: String { memoryPointer(0) }

    /// Memory `index`'s descriptor: a defined memory inside the instance, an imported one through its pointer.
    func memoryPointer(_ index: UInt32) -> String {
        let imported = space.memories.count - module.memories.count
        return Int(index) < imported ? "inst->memories[\(index)]" : "(&inst->memory_storage[\(Int(index) - imported)])"
    }

    /// A global's value. One the module defines lives inside the instance (`inst->globals[i]` points at it
    /// for exports and the host), so it is read with one load instead of two: a C program's stack pointer is
    /// such a global, read and written in nearly every function (PERF-LEADS.md, lead 2).
    func globalValue(_ index: UInt32) -> String {
        let imported = space.importedGlobalCount
        return Int(index) < imported ? "inst->globals[\(index)]->value" : "inst->global_storage[\(Int(index) - imported)].value"
    }

    /// Whether memory `index` is shared (threads): other threads may access and grow it meanwhile.
    func isShared(_ index: UInt32) -> Bool { space.memory(index)?.shared == true }

    /// Whether memory `index` is a 64-bit memory (memory64).
    func isMemory64(_ index: UInt32) -> Bool { space.memory(index)?.isMemory64 == true }

    /// The type of a table's indices: i64 for a 64-bit table (table64).
    func tableIndexType(_ table: UInt32) -> ValueType { space.table(table)?.limits.isMemory64 == true ? .i64 : .i32 }

    func isImportedFunction(_ index: UInt32) -> Bool { Int(index) < space.importedFunctionCount }

    /// `static` in a single unit; hidden (shared by the units, still invisible outside the artifact) when split.
    /// Unused: a function nothing calls and no funcref holds is still emitted, without a warning.
    var linkage: String { split ? "KILN_HIDDEN " : "static KILN_UNUSED " }

    /// Whether a defined function needs a funcref in the instance: it can become a value (ref.func names only
    /// declared functions: element segments, global initializers, exports) or is the start function. With
    /// tail calls, every function's tail entry goes in the same table, so all of them do.
    ///
    /// Why not all: a function whose address nothing takes and that only calls reach is one clang may inline
    /// into its only caller and drop, as it does wasm2c's static functions (UnitLocality).
    func needsFuncref(_ function: UInt32) -> Bool {
        validated.usesTailCalls || validated.context.declaredReferences.contains(function) || module.start == function
    }
}

/// Why a module cannot be lowered (a feature this stage does not emit yet).
public struct LoweringError: KilnError {
    public let reason: String
    public let location: ErrorLocation
    public var kind: String { "cannot compile module" }

    public init(_ reason: String, location: ErrorLocation = ErrorLocation()) {
        self.reason = reason
        self.location = location
    }
}
