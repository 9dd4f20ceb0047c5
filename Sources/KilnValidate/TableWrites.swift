import KilnModel

/// The sink `ModuleValidator` runs every body through: it notes which tables an instruction can change, so
/// that lowering knows which tables keep, for the whole life of an instance, the contents their active
/// element segments gave them (and can turn call_indirect through them into direct calls).
public struct TableWrites: TypedInstructionSink {
    public private(set) var tables: Set<UInt32> = []

    public init() {}
    public mutating func begin(function index: UInt32, type: FunctionType, body: FunctionBody) {}
    public mutating func finish() {}

    public mutating func visit(_ instruction: Instruction, _ typing: InstructionTyping, _ state: borrowing FunctionState) {
        switch instruction {
        case .tableSet(let table), .tableGrow(let table), .tableFill(let table): tables.insert(table)
        case .tableCopy(let destination, _): tables.insert(destination)
        case .tableInit(_, let table): tables.insert(table)
        default: break
        }
    }
}
