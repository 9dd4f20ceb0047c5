import KilnDecode
import KilnModel

/// Validates one function body in a single pass and tells a sink the type of every stack slot and label.
///
/// This is the spec's validation algorithm (appendix "Validation Algorithm"): an operand stack that is
/// polymorphic after `unreachable`, `br`, `br_table` and `return`, and a control stack of frames. Both
/// are arrays; nothing recurses over the input's nesting. The one exhaustive switch over `Instruction`
/// below delegates to the family files in `Instructions/`.
/// > Note: <https://webassembly.github.io/spec/core/appendix/algorithm.html>
public struct FunctionValidator<Sink: TypedInstructionSink>: ~Copyable {
    let context: ModuleContext
    let index: UInt32
    let type: FunctionType
    let body: FunctionBody
    var state: FunctionState
    /// Ranges of local indices (parameters included) whose type has no default value.
    let nonDefaultableLocals: [Range<UInt64>]
    public var sink: Sink
    /// Height after the current instruction's pops, before its pushes.
    var base = 0
    /// The frame the current instruction entered, ended or targets (see `InstructionTyping.frame`).
    var frame: ControlFrame?
    /// Offset of the instruction being validated.
    var currentOffset = 0

    public init(context: ModuleContext, function index: UInt32, sink: Sink) throws(ValidationError) {
        self.context = context
        self.index = index
        let defined = Int(index) - context.space.importedFunctionCount
        guard defined >= 0, defined < context.module.bodies.count else {
            throw .unknown("function", index, count: context.space.functionTypeIndices.count)
        }
        self.type = try context.functionType(index)
        self.body = context.module.bodies[defined]
        self.sink = sink
        self.state = FunctionState(identities: context.identities)
        var ranges: [Range<UInt64>] = []
        var next = UInt64(type.parameters.count)
        for run in body.locals {
            if case .ref(let ref) = run.type, !ref.isNullable { ranges.append(next..<next + UInt64(run.count)) }
            next += UInt64(run.count)
        }
        self.nonDefaultableLocals = ranges
    }

    var location: ErrorLocation {
        ErrorLocation(function: index, functionName: context.module.names.functions[index])
    }

    /// Runs the pass; errors carry the function and the offset of the instruction that failed.
    public mutating func validate() throws(ValidationError) {
        var offset = body.expressionOffset
        do throws(ValidationError) {
            for run in body.locals { try context.validate(run.type) }
            try sink.begin(function: index, type: type, body: body)
            _ = state.pushControl(.function, start: [], end: type.results, offset: offset)
            var reader = FunctionBodyReader(body)
            while true {
                let decoded: FunctionBodyReader.Decoded?
                do {
                    decoded = try reader.next()
                } catch {
                    offset = error.location.offset ?? offset
                    throw ValidationError(decoding: error)
                }
                guard let decoded else { break }
                offset = decoded.offset
                currentOffset = offset
                guard state.depth > 0 else { throw .unexpectedEnd }
                state.popped.removeAll(keepingCapacity: true)
                let heightBefore = state.height
                let reachable = state.isReachable
                base = heightBefore
                frame = nil
                switch decoded.operation {
                case .instruction(let instruction): try visit(instruction)
                case .legacyException(let instruction): try visitLegacy(instruction)
                }
                let typing = InstructionTyping(
                    offset: decoded.offset, reachable: reachable, heightBefore: heightBefore, base: base,
                    heightAfter: state.height, frame: frame)
                switch decoded.operation {
                case .instruction(let instruction): try sink.visit(instruction, typing, state)
                case .legacyException(let instruction): try sink.visit(legacy: instruction, typing, state)
                }
            }
            offset = reader.offset
            guard state.depth == 0 else {
                throw ValidationError("unexpected end of section or function: END opcode expected", isMalformed: true)
            }
            try sink.finish()
        } catch {
            var located = error
            if located.location == ErrorLocation() {
                located.location = location
                located.location.offset = offset
            }
            throw located
        }
    }

    /// Pops `inputs`, records the base, pushes `outputs`: the shape of every simple instruction.
    mutating func apply(_ inputs: [ValueType], _ outputs: [ValueType]) throws(ValidationError) {
        try state.popOperands(inputs)
        base = state.height
        state.pushOperands(outputs)
    }

    mutating func apply(_ input: ValueType, _ output: ValueType) throws(ValidationError) {
        try state.pop(input)
        base = state.height
        state.push(output)
    }

    /// The one exhaustive switch over `Instruction` in this stage.
    mutating func visit(_ instruction: Instruction) throws(ValidationError) {
        switch instruction {
        // Control
        case .unreachable: validateUnreachable()
        case .nop: break
        case .block(let blockType): try validateBlock(.block, blockType)
        case .loop(let blockType): try validateBlock(.loop, blockType)
        case .if(let blockType): try validateIf(blockType)
        case .else: try validateElse()
        case .end: try validateEnd()
        case .br(let depth): try validateBr(depth)
        case .brIf(let depth): try validateBrIf(depth)
        case .brTable(let targets): try validateBrTable(targets)
        case .return: try validateReturn()
        // Calls
        case .call(let function): try validateCall(function)
        case .callIndirect(let typeIndex, let table): try validateCallIndirect(typeIndex, table: table)
        case .returnCall(let function): try validateReturnCall(function)
        case .returnCallIndirect(let typeIndex, let table): try validateReturnCallIndirect(typeIndex, table: table)
        // Parametric and variables
        case .drop: try validateDrop()
        case .select: try validateSelect()
        case .typedSelect(let type): try validateTypedSelect(type)
        case .localGet(let local): try validateLocalGet(local)
        case .localSet(let local): try validateLocalSet(local)
        case .localTee(let local): try validateLocalTee(local)
        case .globalGet(let global): try validateGlobalGet(global)
        case .globalSet(let global): try validateGlobalSet(global)
        // Memory
        case .load(let load, let memarg): try validateLoad(load, memarg)
        case .store(let store, let memarg): try validateStore(store, memarg)
        case .memorySize(let memory): try validateMemorySize(memory)
        case .memoryGrow(let memory): try validateMemoryGrow(memory)
        // Bulk memory
        case .memoryInit(let data, let memory): try validateMemoryInit(data, memory: memory)
        case .dataDrop(let data): try validateDataDrop(data)
        case .memoryCopy(let dst, let src): try validateMemoryCopy(dst, src)
        case .memoryFill(let memory): try validateMemoryFill(memory)
        // Tables
        case .tableInit(let element, let table): try validateTableInit(element, table: table)
        case .elemDrop(let element): try validateElemDrop(element)
        case .tableCopy(let dst, let src): try validateTableCopy(dst, src)
        case .tableFill(let table): try validateTableFill(table)
        case .tableGet(let table): try validateTableGet(table)
        case .tableSet(let table): try validateTableSet(table)
        case .tableGrow(let table): try validateTableGrow(table)
        case .tableSize(let table): try validateTableSize(table)
        // References
        case .refNull(let heapType): try validateRefNull(heapType)
        case .refIsNull: try validateRefIsNull()
        case .refFunc(let function): try validateRefFunc(function)
        case .refAsNonNull: try validateRefAsNonNull()
        case .brOnNull(let depth): try validateBrOnNull(depth)
        case .brOnNonNull(let depth): try validateBrOnNonNull(depth)
        case .callRef(let typeIndex): try validateCallRef(typeIndex)
        case .returnCallRef(let typeIndex): try validateReturnCallRef(typeIndex)
        // Exception handling
        case .throw(let tag): try validateThrow(tag)
        case .throwRef: try validateThrowRef()
        case .tryTable(let blockType, let catches): try validateTryTable(blockType, catches)
        // Numeric
        case .i32Const: try apply([], [.i32])
        case .i64Const: try apply([], [.i64])
        case .f32Const: try apply([], [.f32])
        case .f64Const: try apply([], [.f64])
        case .i32Eqz: try apply(.i32, .i32)
        case .i64Eqz: try apply(.i64, .i32)
        case .cmp(let op): try validateCmp(op)
        case .unary(let op): try validateUnary(op)
        case .binary(let op): try validateBinary(op)
        case .conversion(let op): try validateConversion(op)
        // SIMD
        case .v128Const: try apply([], [.v128])
        case .i8x16Shuffle(let mask): try validateShuffle(mask)
        case .simd(let op): try validateSIMD(op)
        case .simdLane(let op, let lane): try validateSIMDLane(op, lane: lane)
        case .simdMemLane(let op, let memarg, let lane): try validateSIMDMemLane(op, memarg, lane: lane)

        case .atomicFence: try apply([], [])
        case .memoryAtomicWait32(let memarg): try validateAtomicWait(memarg, type: .i32)
        case .memoryAtomicWait64(let memarg): try validateAtomicWait(memarg, type: .i64)
        case .memoryAtomicNotify(let memarg): try validateAtomicNotify(memarg)
        default:
            if let rmw = AtomicRMW.of(instruction) { return try validateAtomicRMW(rmw) }
            // GC is a later proposal.
            throw .unsupported(Self.proposalName(instruction))
        }
    }

    static func proposalName(_ instruction: Instruction) -> String {
        let text = "\(instruction)"
        let name = text.prefix { $0 != "(" }
        return String(name)
    }
}

extension FunctionValidator where Sink == NullSink {
    public init(context: ModuleContext, function index: UInt32) throws(ValidationError) {
        try self.init(context: context, function: index, sink: NullSink())
    }
}
