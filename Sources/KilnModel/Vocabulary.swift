import WasmParser
import WasmTypes

// The Wasm vocabulary every later stage speaks. Later stages import only KilnModel, so if WasmKit is ever
// replaced, this file and KilnDecode are all that change.

public typealias Instruction = WasmParser.Instruction
/// Instruction families that later stages name in public signatures.
public typealias LoadInstruction = WasmParser.Instruction.Load
public typealias StoreInstruction = WasmParser.Instruction.Store
public typealias SIMDMemLaneInstruction = WasmParser.Instruction.SimdMemLane
public typealias MemArg = WasmParser.MemArg
public typealias BlockType = WasmParser.BlockType
public typealias BrTable = WasmParser.BrTable
public typealias TryCatch = WasmParser.TryCatch
public typealias CatchClause = WasmParser.CatchClause
public typealias Limits = WasmParser.Limits
public typealias TableType = WasmParser.TableType
public typealias GlobalType = WasmParser.GlobalType
public typealias Mutability = WasmParser.Mutability
public typealias ConstExpression = WasmParser.ConstExpression
public typealias ElementSegment = WasmParser.ElementSegment
public typealias DataSegment = WasmParser.DataSegment
public typealias Import = WasmParser.Import
public typealias ImportDescriptor = WasmParser.ImportDescriptor
public typealias Export = WasmParser.Export
public typealias ExportDescriptor = WasmParser.ExportDescriptor
public typealias Code = WasmParser.Code
public typealias V128 = WasmTypes.V128
public typealias V128ShuffleMask = WasmTypes.V128ShuffleMask

public typealias ValueType = WasmTypes.ValueType
public typealias FunctionType = WasmTypes.FunctionType
public typealias ReferenceType = WasmTypes.ReferenceType
public typealias HeapType = WasmTypes.HeapType

extension ValueType {
    /// The spelling the spec and its test scripts use: `i32`, `funcref`, `externref`.
    public var name: String {
        switch self {
        case .i32: "i32"
        case .i64: "i64"
        case .f32: "f32"
        case .f64: "f64"
        case .v128: "v128"
        case .ref(let ref): ref.name
        }
    }

    /// Whether values of this type are numbers or vectors (the operands `select` without a type accepts).
    public var isNumericOrVector: Bool {
        if case .ref = self { return false }
        return true
    }
}

extension ReferenceType {
    public var name: String {
        switch heapType {
        case .abstract(.funcRef): isNullable ? "funcref" : "(ref func)"
        case .abstract(.externRef): isNullable ? "externref" : "(ref extern)"
        case .abstract(let other): isNullable ? "(ref null \(other))" : "(ref \(other))"
        case .concrete(let index): isNullable ? "(ref null \(index))" : "(ref \(index))"
        }
    }
}

extension FunctionType {
    /// `[i32 i32] -> [i64]`, as the spec writes function types.
    public var signature: String {
        "[\(parameters.map(\.name).joined(separator: " "))] -> [\(results.map(\.name).joined(separator: " "))]"
    }
}
