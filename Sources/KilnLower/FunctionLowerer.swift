import KilnModel
import KilnValidate

/// Lowers one function to C as the second consumer of the validator's pass (`TypedInstructionSink`).
///
/// The operand stack becomes C locals named by height and type (`s3_i32`), so an instruction reads and
/// writes the slots the validator reports; structured control becomes labels and gotos (`B4:` after a
/// block, `L4:` at a loop's start, `E4:` at an if's else), and a branch copies its values into the target's
/// slots first. Code the validator marks unreachable is not emitted.
public struct FunctionLowerer: TypedInstructionSink {
    struct Frame {
        let label: Int
        /// A legacy try's frame becomes its clauses' (LowerLegacyExceptions.swift).
        var kind: ControlFrame.Kind
        /// Whether the frame was entered in reachable code (a dead frame emits nothing, not even labels).
        let live: Bool
        var sawElse = false
        /// Legacy catch clauses so far, and whether the current one holds its exception.
        var clauses = 0
        var holdsException = false
        /// Bounds facts where the frame was entered (an if's else starts from them) and where its `end`
        /// is reached by branches (ProvenBounds.swift); nil while no branch has reached it.
        var entryBounds = ProvenBounds()
        var exitBounds: ProvenBounds?
    }

    let context: LoweringContext
    var writer = CWriter()
    /// Slot variables in first-use order, with their C types.
    var slotDecls: [(name: String, type: String)] = []
    var declared: Set<String> = []
    var frames: [Frame] = []
    var targeted: Set<String> = []
    var labelLines: [String: Int] = [:]
    var usesMemory = false
    /// Lines that refresh the memory view after a call or memory.grow; dropped if nothing reads the view.
    var refreshLines: Set<Int> = []
    var index: UInt32 = 0
    /// Whether the function is compiled as its tail entry (LowerTailCalls.swift).
    var tailForm = false
    /// Whether a tail call to itself jumps to `T0`, the label before the first instruction.
    var selfLoopTargeted = false
    /// Whether the function calls anything (a leaf cannot recurse, so its stack check can go; FunctionRender).
    var makesCalls = false
    /// Whether the function has a try_table (LowerExceptions.swift): its locals are then `volatile`.
    var usesHandlers = false
    var handlerDecls: [String] = []
    /// The variables legacy catch clauses keep their exception in.
    var caughtDecls: [String] = []
    var declaredHandlers: Set<String> = []
    /// Bounds facts at the instruction being lowered, and the locals each loop assigns (ProvenBounds.swift).
    var bounds = ProvenBounds()
    var loopAssignments: [Int: Set<UInt32>]?
    /// Checked loads still open to widening, by the local they address through (WidenedChecks.swift).
    var openChecks: [UInt32: OpenCheck] = [:]
    /// Bounds of i32 values by stack height (ValueRanges.swift).
    var ranges: [Int: ValueRange] = [:]
    /// Fuel charged by each check's region (index 0: the function's entry) and the regions open now
    /// (LowerInterruption.swift).
    var fuelCosts: [Int] = [0]
    var fuelRegions: [Int] = [0]
    /// The innermost loop being recorded for versioning (LowerLoopVersioning.swift), if any.
    var loop: LoopRecording?
    var type = FunctionType(parameters: [], results: [])
    var body: FunctionBody?
    /// Atoms not yet stored in their slots, by stack height (PendingOperands.swift).
    var pending: [PendingAtom?] = []
    /// The atom the instruction being lowered produced.
    var produced: PendingAtom?
    /// The statement that computed the instruction's single result into its slot, and the previous
    /// instruction's (LowerVariables.swift folds `s0 = e; l1 = s0;` into `l1 = e;`).
    var result: ResultLine?
    var previousResult: ResultLine?

    // The instruction being lowered.
    var typing = InstructionTyping.empty
    var inputTypes: [ValueType] = []
    var outputTypes: [ValueType] = []

    /// The finished C function.
    public private(set) var output = ""

    public init(context: LoweringContext) {
        self.context = context
    }

    public mutating func begin(function index: UInt32, type: FunctionType, body: FunctionBody) {
        self.index = index
        self.type = type
        self.body = body
        tailForm = context.isTailForm(index)
        selfLoopTargeted = false
        frames = [Frame(label: 0, kind: .function, live: true)]
        bounds = ProvenBounds()
        ranges = [:]
        openChecks = [:]
        fuelCosts = [0]
        fuelRegions = [0]
        loopAssignments = context.boundsGuard ? nil : ProvenBounds.loopAssignments(body)
    }

    public mutating func visit(_ instruction: Instruction, _ typing: InstructionTyping, _ state: borrowing FunctionState) throws(ValidationError) {
        take(typing, state)
        do {
            try lower(instruction, state)
        } catch {
            throw ValidationError("cannot compile: \(error.reason)")
        }
    }

    public mutating func visit(legacy instruction: LegacyException, _ typing: InstructionTyping, _ state: borrowing FunctionState) {
        take(typing, state)
        lowerLegacy(instruction, state)
    }

    /// The validator's report on the instruction about to be lowered.
    private mutating func take(_ typing: InstructionTyping, _ state: borrowing FunctionState) {
        self.typing = typing
        inputTypes = state.popped.map { $0 ?? .i32 }
        outputTypes = typing.heightAfter > typing.base ? (typing.base..<typing.heightAfter).map { state.operand(at: $0) ?? .i32 } : []
    }

    public mutating func finish() {
        var unused = Set(labelLines.filter { !targeted.contains($0.key) }.map(\.value))
        if !usesMemory { unused.formUnion(refreshLines) }
        writer.remove(lines: unused)
        output = render()
    }

    // MARK: slots

    mutating func slot(_ height: Int, _ type: ValueType) -> String {
        let name = CNames.slot(height, type)
        if declared.insert(name).inserted { slotDecls.append((name, CTypes.cType(type))) }
        return name
    }

    /// The i-th operand the instruction consumed: its slot, or the atom pending there.
    mutating func input(_ i: Int) -> String { operand(typing.base + i, inputTypes[i]) }
    /// The i-th value the instruction produced.
    mutating func output(_ i: Int) -> String { slot(typing.base + i, outputTypes[i]) }

    var comment: String { "@0x\(String(typing.offset, radix: 16))" }

    mutating func emit(_ statement: String, _ name: String) {
        writer.statement(statement, "\(name) \(comment)")
        guard outputTypes.count == 1 else { return }
        let prefix = CNames.slot(typing.base, outputTypes[0]) + " = "
        if statement.hasPrefix(prefix), statement.hasSuffix(";") {
            result = ResultLine(line: writer.lines.count - 1, height: typing.base,
                                expression: String(statement.dropFirst(prefix.count).dropLast()), comment: "\(name) \(comment)")
        }
    }

    /// The memory view inline accesses read: a local copy of memory 0's descriptor, so clang keeps its
    /// base and size in registers (a store through guest memory cannot change a local whose address never
    /// escapes). Out-of-line runtime calls get the real `inst->memories[0]`.
    var memory: String {
        mutating get {
            usesMemory = true
            return "mem0"
        }
    }

    /// After a call or memory.grow, memory 0 may have grown, and moved (a memory whose reservation was cut
    /// short by an address-space limit, Runtime/src/memory.c): copy its descriptor again.
    mutating func refreshMemoryView() {
        reloadEpochDeadline()
        guard !context.space.memories.isEmpty else { return }
        writer.line("kiln_memory_refresh(&mem0_view, \(context.memory0)); /* the callee may have grown (or moved) memory */")
        refreshLines.insert(writer.lines.count - 1)
    }

    // MARK: the one switch

    /// What every instruction does around its own lowering: what the previous one produced, loop recording,
    /// widened checks and pending operands before, known ranges and pending operands after. A legacy
    /// exception instruction passes the instruction with the same effect on them (LowerLegacyExceptions.swift).
    mutating func beginInstruction(_ instruction: Instruction) {
        previousResult = result
        result = nil
        chargeFuel(instruction)
        recordLoopStep(instruction)
        if Self.endsStraightLine(instruction) { openChecks.removeAll() }
        settlePending(instruction)
    }

    mutating func endInstruction(_ instruction: Instruction) {
        updateRanges(instruction)
        consumePending(instruction)
    }

    mutating func lower(_ instruction: Instruction, _ state: borrowing FunctionState) throws(LoweringError) {
        beginInstruction(instruction)
        defer { endInstruction(instruction) }
        switch instruction {
        case .block, .loop, .if, .tryTable: lowerEnter(instruction, state)
        case .else: lowerElse()
        case .end: lowerEnd()
        default:
            // Code in a frame entered in unreachable code is dead even where the validator calls it
            // reachable (the frame's start resets its polymorphic stack): its labels are never written.
            guard typing.reachable, frames.last?.live ?? true else { return }
            try lowerReachable(instruction, state)
        }
    }

    mutating func lowerReachable(_ instruction: Instruction, _ state: borrowing FunctionState) throws(LoweringError) {
        switch instruction {
        case .unreachable: emit("kiln_trap(ctx, KILN_TRAP_UNREACHABLE);", "unreachable")
        case .nop: break
        case .br: lowerBr()
        case .brIf: lowerBrIf()
        case .brTable(let table): lowerBrTable(table, state)
        case .return: lowerReturn(from: typing.heightBefore, "return")
        case .call(let function):
            makesCalls = true
            lowerCall(function)
        case .callIndirect(let typeIndex, let table):
            makesCalls = true
            lowerCallIndirect(typeIndex, table: table)
        case .returnCall(let function):
            makesCalls = true
            emitHandlerExitForTailCall()
            lowerReturnCall(function)
        case .returnCallIndirect(let typeIndex, let table):
            makesCalls = true
            emitHandlerExitForTailCall()
            lowerReturnCallIndirect(typeIndex, table: table)
        case .drop:
            // Bounds mode "guard": a load whose value is dropped must still fault; keep the value alive.
            // An atom is no load: nothing to keep.
            if context.boundsGuard, !isPending(typing.base) { emit("KILN_KEEP(\(input(0)));", "drop") }
        case .select, .typedSelect: lowerSelect()
        case .localGet(let local): pend(CNames.local(local), local: local, "local.get \(local)")
        case .localSet(let local): assignLocal(local, "local.set")
        case .localTee(let local):
            assignLocal(local, "local.tee")
            // The local now holds the value its slot would.
            pend(CNames.local(local), local: local, "local.tee \(local)")
        case .globalGet(let global): lowerGlobalGet(global)
        case .globalSet(let global): lowerGlobalSet(global)
        case .load(let load, let memarg): try lowerLoad(load, memarg)
        case .store(let store, let memarg): try lowerStore(store, memarg)
        case .memorySize(let index):
            let size = (context.isShared(index) ? "kiln_shared_memory_size" : "kiln_memory_size") + (context.isMemory64(index) ? "64" : "")
            emit("\(output(0)) = \(size)(\(memory(index)));", index == 0 ? "memory.size" : "memory.size \(index)")
        case .memoryGrow(let index):
            if !context.isShared(0) { usesMemory = true }
            let grow = context.isMemory64(index) ? "kiln_memory_grow64" : "kiln_memory_grow"
            emit("\(output(0)) = \(grow)(ctx, \(context.memoryPointer(index)), \(input(0)));", index == 0 ? "memory.grow" : "memory.grow \(index)")
            if index == 0 { refreshMemoryView() }
        case .memoryInit(let data, let index): lowerMemoryInit(data, memory: index)
        case .dataDrop(let data): emit("inst->data_size[\(data)] = 0;", "data.drop \(data)")
        case .memoryCopy(let destination, let source): lowerMemoryCopy(destination, source)
        case .memoryFill(let index): lowerMemoryFill(index)
        case .tableInit(let element, let table): lowerTableInit(element, table: table)
        case .elemDrop(let element): emit("inst->elem_size[\(element)] = 0;", "elem.drop \(element)")
        case .tableCopy(let dst, let src): lowerTableCopy(dst, src)
        case .tableFill(let table): lowerTableFill(table)
        case .tableGet(let table): lowerTableGet(table)
        case .tableSet(let table): lowerTableSet(table)
        case .tableGrow(let table): lowerTableGrow(table)
        case .tableSize(let table): lowerTableSize(table)
        case .refNull: emit("\(output(0)) = NULL;", "ref.null")
        case .refIsNull: emit("\(output(0)) = \(input(0)) == NULL;", "ref.is_null")
        case .refFunc(let function): emit("\(output(0)) = &inst->funcs[\(function)];", "ref.func \(function)")
        case .refAsNonNull: lowerRefAsNonNull()
        case .brOnNull: lowerBrOnNull()
        case .brOnNonNull: lowerBrOnNonNull()
        case .callRef(let typeIndex):
            makesCalls = true
            lowerCallRef(typeIndex)
        case .returnCallRef(let typeIndex):
            makesCalls = true
            emitHandlerExitForTailCall()
            lowerReturnCallRef(typeIndex)
        case .throw(let tag):
            makesCalls = true
            lowerThrow(tag)
        case .throwRef:
            makesCalls = true
            lowerThrowRef()
        case .i32Const(let value): pend(Literals.i32(value), "i32.const")
        case .i64Const(let value): pend(Literals.i64(value), "i64.const")
        case .f32Const(let value): pend(Literals.f32Operand(value.bitPattern), "f32.const")
        case .f64Const(let value): pend(Literals.f64Operand(value.bitPattern), "f64.const")
        case .i32Eqz: emit("\(output(0)) = \(input(0)) == 0u;", "i32.eqz")
        case .i64Eqz: emit("\(output(0)) = \(input(0)) == 0u;", "i64.eqz")
        case .cmp(let op): lowerCmp(op)
        case .unary(let op): lowerUnary(op)
        case .binary(let op): lowerBinary(op)
        case .conversion(let op): lowerConversion(op)
        case .v128Const(let value): lowerV128Const(value)
        case .i8x16Shuffle(let mask): lowerShuffle(mask)
        case .simd(let op): lowerSIMD(op)
        case .simdLane(let op, let lane): lowerSIMDLane(op, lane: lane)
        case .simdMemLane(let op, let memarg, let lane): lowerSIMDMemLane(op, memarg, lane: lane)
        case .atomicFence: emit("kiln_atomic_fence();", "atomic.fence")
        case .memoryAtomicWait32, .memoryAtomicWait64, .memoryAtomicNotify: lowerAtomicWaitNotify(instruction)
        default:
            if let rmw = AtomicRMW.of(instruction) { return lowerAtomicRMW(rmw) }
            throw LoweringError("\(instruction) is not supported by the lowering")
        }
    }
}

extension InstructionTyping {
    static let empty = InstructionTyping(offset: 0, reachable: true, heightBefore: 0, base: 0, heightAfter: 0, frame: nil)
}
