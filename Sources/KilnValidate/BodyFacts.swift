import KilnModel

/// The sink `ModuleValidator` runs every body through, noting what lowering must know about the whole
/// module before it lowers any one function:
/// - which tables an instruction can change, so that lowering knows which tables keep, for the whole life
///   of an instance, the contents their active element segments gave them (and can turn call_indirect
///   through them into direct calls);
/// - which functions make tail calls, so that every function of such a module gets an entry tail calls can
///   jump to (LowerTailCalls.swift). A direct tail call of a function to itself is a jump back to its start
///   when it has few locals to reset (`selfTailCallIsLoop`), and needs no tail entry.
public struct BodyFacts: TypedInstructionSink {
    public private(set) var tables: Set<UInt32> = []
    public private(set) var tailCallers: Set<UInt32> = []
    /// Offsets of the legacy catch clauses some `rethrow` names: they keep their exception until they end
    /// (LowerLegacyExceptions.swift); every other clause lets it go as it starts.
    public private(set) var rethrownCatches: Set<Int> = []
    private var function: UInt32 = 0
    private var localCount: UInt64 = 0

    /// Locals a self tail call may reset to zero before it jumps back to the function's start.
    public static let selfLoopLocals: UInt64 = 64
    public static func selfTailCallIsLoop(localCount: UInt64) -> Bool { localCount <= selfLoopLocals }

    public init() {}
    public mutating func begin(function index: UInt32, type: FunctionType, body: FunctionBody) {
        function = index
        localCount = body.localCount
    }
    public mutating func finish() {}

    public mutating func visit(_ instruction: Instruction, _ typing: InstructionTyping, _ state: borrowing FunctionState) {
        switch instruction {
        case .tableSet(let table), .tableGrow(let table), .tableFill(let table): tables.insert(table)
        case .tableCopy(let destination, _): tables.insert(destination)
        case .tableInit(_, let table): tables.insert(table)
        case .returnCall(let callee) where callee == function && Self.selfTailCallIsLoop(localCount: localCount): break
        case .returnCall, .returnCallIndirect, .returnCallRef: tailCallers.insert(function)
        default: break
        }
    }

    public mutating func visit(legacy instruction: LegacyException, _ typing: InstructionTyping, _ state: borrowing FunctionState) {
        if case .rethrow = instruction, let clause = typing.frame { rethrownCatches.insert(clause.offset) }
    }
}
