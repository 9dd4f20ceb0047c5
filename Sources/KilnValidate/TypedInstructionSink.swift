import KilnModel

/// What the validator tells a consumer about each instruction it has type-checked.
///
/// The operand stack is numbered by height: the instruction consumed the slots `base..<heightBefore` and
/// produced `base..<heightAfter`. The lowering names C locals after these slots (`s3_i32`), so it needs no
/// type tracking of its own. `state.popped` holds the consumed types, `state.operand(at:)` the produced ones.
public struct InstructionTyping: Sendable {
    public let offset: Int
    /// False in code after `unreachable`, `br`, `br_table` or `return` up to the end of its block.
    public let reachable: Bool
    public let heightBefore: Int
    public let base: Int
    public let heightAfter: Int
    /// block/loop/if: the frame entered; else: the `if` frame that ended (its `else` frame is now on top);
    /// end: the frame that ended; br/br_if: the target frame. Nil otherwise.
    public let frame: ControlFrame?

    public init(offset: Int, reachable: Bool, heightBefore: Int, base: Int, heightAfter: Int, frame: ControlFrame?) {
        self.offset = offset
        self.reachable = reachable
        self.heightBefore = heightBefore
        self.base = base
        self.heightAfter = heightAfter
        self.frame = frame
    }
}

/// A consumer of the validator's single pass over a body: the lowering implements it, `kiln validate`
/// uses `NullSink`.
public protocol TypedInstructionSink {
    /// Called before the first instruction with the function's type and its locals' types.
    mutating func begin(function index: UInt32, type: FunctionType, body: FunctionBody) throws(ValidationError)
    /// Called after `instruction` has been type-checked; `state` is the stacks after it.
    mutating func visit(_ instruction: Instruction, _ typing: InstructionTyping, _ state: borrowing FunctionState) throws(ValidationError)
    /// The same for a legacy exception-handling instruction (catch and catch_all: `typing.frame` is the frame
    /// they ended, the clause they start is on top of `state`; delegate: the try it ended; rethrow: the clause).
    mutating func visit(legacy instruction: LegacyException, _ typing: InstructionTyping, _ state: borrowing FunctionState) throws(ValidationError)
    /// Called after the function's final `end`.
    mutating func finish() throws(ValidationError)
}

/// The sink of `kiln validate`: does nothing, so the validator specializes to a bare type check.
public struct NullSink: TypedInstructionSink {
    public init() {}
    @inline(__always) public mutating func begin(function index: UInt32, type: FunctionType, body: FunctionBody) {}
    @inline(__always) public mutating func visit(_ instruction: Instruction, _ typing: InstructionTyping, _ state: borrowing FunctionState) {}
    @inline(__always) public mutating func visit(legacy instruction: LegacyException, _ typing: InstructionTyping, _ state: borrowing FunctionState) {}
    @inline(__always) public mutating func finish() {}
}
