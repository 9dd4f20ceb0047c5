import KilnDecode
import KilnModel
import KilnValidate
import Testing

/// What the validator tells a sink about each instruction: stack heights, the base of its operands, the
/// consumed and produced types, the frame it entered, ended or targets, and reachability.
struct TypedInstructionSinkTests {
    struct Step: Equatable, CustomStringConvertible {
        var instruction: Instruction
        var reachable = true
        var heightBefore: Int
        var base: Int
        var heightAfter: Int
        var popped: [ValueType?] = []
        var produced: [ValueType?] = []
        /// (kind, label, height, start types, end types) of `typing.frame`.
        var frame: Frame?

        struct Frame: Equatable {
            var kind: ControlFrame.Kind
            var label: Int
            var height: Int
            var start: [ValueType] = []
            var end: [ValueType] = []
        }

        var description: String {
            "\(instruction) reachable=\(reachable) \(heightBefore)/\(base)/\(heightAfter) popped=\(popped) produced=\(produced) frame=\(frame.map { "\($0)" } ?? "nil")"
        }
    }

    struct RecordingSink: TypedInstructionSink {
        var begun: [(index: UInt32, signature: String, locals: UInt64)] = []
        var steps: [Step] = []
        var offsets: [Int] = []
        var finished = 0
        /// Legacy exception handling: the instruction, the kind of `typing.frame`, and the kind and start types
        /// of the frame on top after it.
        var legacy: [(LegacyException, ControlFrame.Kind?, ControlFrame.Kind?, [ValueType])] = []
        /// Throw from `visit` at this step, to check that a sink's error stops validation.
        var failAt: Int?

        mutating func begin(function index: UInt32, type: FunctionType, body: FunctionBody) throws(ValidationError) {
            begun.append((index, type.signature, body.localCount))
        }

        mutating func visit(_ instruction: Instruction, _ typing: InstructionTyping, _ state: borrowing FunctionState) throws(ValidationError) {
            if steps.count == failAt { throw ValidationError("sink refused") }
            steps.append(Step(
                instruction: instruction, reachable: typing.reachable, heightBefore: typing.heightBefore, base: typing.base,
                heightAfter: typing.heightAfter, popped: state.popped,
                produced: (typing.base..<typing.heightAfter).map { state.operand(at: $0) },
                frame: typing.frame.map {
                    Step.Frame(kind: $0.kind, label: $0.label, height: $0.height, start: $0.startTypes, end: $0.endTypes)
                }))
            offsets.append(typing.offset)
        }

        mutating func visit(legacy instruction: LegacyException, _ typing: InstructionTyping, _ state: borrowing FunctionState) throws(ValidationError) {
            legacy.append((instruction, typing.frame?.kind, state.target(relativeDepth: 0)?.kind, state.target(relativeDepth: 0)?.startTypes ?? []))
        }

        mutating func finish() throws(ValidationError) { finished += 1 }
    }

    static func record(_ text: String, function: UInt32 = 0, sink: RecordingSink = RecordingSink()) throws -> RecordingSink {
        let module = try ModuleDecoder.decode(Validation.wasm(text))
        var validator = try FunctionValidator(context: ModuleContext(module), function: function, sink: sink)
        try validator.validate()
        return validator.sink
    }

    @Test func i32AddConsumesTwoSlotsFromItsBase() throws {
        let sink = try Self.record("(module (func (param i32) (result i32) local.get 0 i32.const 1 i32.add))")
        #expect(sink.steps == [
            Step(instruction: .localGet(localIndex: 0), heightBefore: 0, base: 0, heightAfter: 1, produced: [.i32]),
            Step(instruction: .i32Const(value: 1), heightBefore: 1, base: 1, heightAfter: 2, produced: [.i32]),
            Step(instruction: .binary(.i32Add), heightBefore: 2, base: 0, heightAfter: 1, popped: [.i32, .i32], produced: [.i32]),
            Step(
                instruction: .end, heightBefore: 1, base: 0, heightAfter: 1, popped: [.i32], produced: [.i32],
                frame: .init(kind: .function, label: 0, height: 0, end: [.i32])),
        ])
        #expect(sink.begun.map(\.index) == [0])
        #expect(sink.begun.map(\.signature) == ["[i32] -> [i32]"])
        #expect(sink.finished == 1)
    }

    @Test func blockBranchAndEndReportTheirFrames() throws {
        let sink = try Self.record("(module (func (result i32) (block (result i32) i32.const 1 br 0 i32.const 2)))")
        let block = Step.Frame(kind: .block, label: 1, height: 0, end: [.i32])
        #expect(sink.steps == [
            Step(instruction: .block(blockType: .type(.i32)), heightBefore: 0, base: 0, heightAfter: 0, frame: block),
            Step(instruction: .i32Const(value: 1), heightBefore: 0, base: 0, heightAfter: 1, produced: [.i32]),
            Step(instruction: .br(relativeDepth: 0), heightBefore: 1, base: 0, heightAfter: 0, popped: [.i32], frame: block),
            Step(instruction: .i32Const(value: 2), reachable: false, heightBefore: 0, base: 0, heightAfter: 1, produced: [.i32]),
            Step(instruction: .end, reachable: false, heightBefore: 1, base: 0, heightAfter: 1, popped: [.i32], produced: [.i32], frame: block),
            Step(
                instruction: .end, heightBefore: 1, base: 0, heightAfter: 1, popped: [.i32], produced: [.i32],
                frame: .init(kind: .function, label: 0, height: 0, end: [.i32])),
        ])
    }

    @Test func codeAfterUnreachableIsReportedUnreachable() throws {
        let sink = try Self.record("(module (func (result i32) unreachable i32.add))")
        #expect(sink.steps.map(\.reachable) == [true, false, false])
        #expect(sink.steps[0] == Step(instruction: .unreachable, heightBefore: 0, base: 0, heightAfter: 0))
        // The polymorphic stack supplies the operands i32.add expects.
        #expect(sink.steps[1] == Step(
            instruction: .binary(.i32Add), reachable: false, heightBefore: 0, base: 0, heightAfter: 1,
            popped: [.i32, .i32], produced: [.i32]))
    }

    @Test func unknownOperandsAreNil() throws {
        let sink = try Self.record("(module (func unreachable select drop))")
        #expect(sink.steps[1].instruction == .select)
        #expect(sink.steps[1].popped == [nil, nil, .i32])
        #expect(sink.steps[1].produced == [nil])
        #expect(sink.steps[2].popped == [nil])
    }

    @Test func ifElseReportsTheIfThatEndedAndTheElseFrame() throws {
        let sink = try Self.record("(module (func (param i32) (result i64) (if (result i64) (local.get 0) (then (i64.const 1)) (else (i64.const 2)))))")
        let ifFrame = Step.Frame(kind: .if, label: 1, height: 0, end: [.i64])
        // The else frame keeps the if's label: a branch out of either arm names the same end.
        let elseFrame = Step.Frame(kind: .else, label: 1, height: 0, end: [.i64])
        #expect(sink.steps.map(\.instruction) == [
            .localGet(localIndex: 0), .if(blockType: .type(.i64)), .i64Const(value: 1), .else, .i64Const(value: 2), .end, .end,
        ])
        #expect(sink.steps[1] == Step(instruction: .if(blockType: .type(.i64)), heightBefore: 1, base: 0, heightAfter: 0, popped: [.i32], frame: ifFrame))
        #expect(sink.steps[3] == Step(instruction: .else, heightBefore: 1, base: 0, heightAfter: 0, popped: [.i64], frame: ifFrame))
        #expect(sink.steps[5] == Step(instruction: .end, heightBefore: 1, base: 0, heightAfter: 1, popped: [.i64], produced: [.i64], frame: elseFrame))
    }

    @Test func labelsAreNumberedInOrderOfEntry() throws {
        let text = "(module (func (block (loop (if (i32.const 0) (then) (else (block)))) (block))))"
        let sink = try Self.record(text)
        let entered = sink.steps.filter { [.block, .loop, .if].contains($0.frame?.kind) && $0.instruction != .end && $0.instruction != .else }
        #expect(entered.map { $0.frame?.label } == [1, 2, 3, 4, 5])
        let ends = sink.steps.filter { $0.instruction == .end }.map { $0.frame?.label }
        #expect(ends == [4, 3, 2, 5, 1, 0])
    }

    @Test func blockWithParametersKeepsThemOnItsStack() throws {
        let text = """
            (module (type $t (func (param i32 i64) (result f32)))
              (func (result f32) i32.const 1 i64.const 2 (block (type $t) drop drop f32.const 0)))
            """
        let sink = try Self.record(text)
        let block = Step.Frame(kind: .block, label: 1, height: 0, start: [.i32, .i64], end: [.f32])
        #expect(sink.steps[2] == Step(
            instruction: .block(blockType: .funcType(0)), heightBefore: 2, base: 0, heightAfter: 2,
            popped: [.i32, .i64], produced: [.i32, .i64], frame: block))
        #expect(sink.steps[6].frame == block)
        #expect(sink.steps[6].instruction == .end)
    }

    @Test func branchToALoopCarriesItsParameters() throws {
        let text = """
            (module (type $t (func (param i32) (result i64)))
              (func (result i64) i32.const 0 (loop (type $t) (br_if 0 (i32.const 1)) drop i64.const 0)))
            """
        let sink = try Self.record(text)
        let brIf = try #require(sink.steps.first { $0.instruction == .brIf(relativeDepth: 0) })
        // Pops the condition and the label's [i32], pushes the [i32] back.
        #expect(brIf.heightBefore == 2)
        #expect(brIf.base == 0)
        #expect(brIf.heightAfter == 1)
        #expect(brIf.popped == [.i32, .i32])
        #expect(brIf.frame == Step.Frame(kind: .loop, label: 1, height: 0, start: [.i32], end: [.i64]))
    }

    @Test func offsetsAreThoseOfTheInstructions() throws {
        let bytes = try Validation.wasm("(module (func (result i32) i32.const 300 i32.const 1 i32.add))")
        let module = try ModuleDecoder.decode(bytes)
        var validator = try FunctionValidator(context: ModuleContext(module), function: 0, sink: RecordingSink())
        try validator.validate()
        let start = module.bodies[0].expressionOffset
        #expect(validator.sink.offsets == [start, start + 3, start + 5, start + 6])
        #expect(validator.sink.begun.map(\.locals) == [0])
    }

    @Test func aSinksErrorStopsTheFunctionWithItsLocation() throws {
        let bytes = try Validation.wasm("(module (func $f i32.const 1 drop nop))", names: true)
        let module = try ModuleDecoder.decode(bytes)
        var validator = try FunctionValidator(context: ModuleContext(module), function: 0, sink: RecordingSink(failAt: 1))
        let error = try #require(throws: ValidationError.self) { try validator.validate() }
        #expect(error.reason == "sink refused")
        #expect(error.location == ErrorLocation(function: 0, functionName: "f", offset: module.bodies[0].expressionOffset + 2))
        #expect(validator.sink.finished == 0)
    }

    @Test func invalidFunctionIsNotFinished() throws {
        let module = try ModuleDecoder.decode(Validation.wasm("(module (func (result i32) i64.const 0))"))
        var validator = try FunctionValidator(context: ModuleContext(module), function: 0, sink: RecordingSink())
        #expect(throws: ValidationError.self) { try validator.validate() }
        #expect(validator.sink.finished == 0)
        #expect(validator.sink.steps.count == 1)
    }

    @Test func importedFunctionsHaveNoBody() throws {
        let module = try ModuleDecoder.decode(Validation.wasm("(module (import \"env\" \"f\" (func)) (func))"))
        let error = try #require(throws: ValidationError.self) {
            _ = try FunctionValidator(context: ModuleContext(module), function: 0, sink: RecordingSink())
        }
        #expect(error.reason.hasPrefix("unknown function 0"))
        #expect(throws: Never.self) { _ = try FunctionValidator(context: ModuleContext(module), function: 1, sink: RecordingSink()) }
    }

    @Test func legacyClausesReportTheFrameTheyEndAndStartWithThePayload() throws {
        let module = try ModuleDecoder.decode(LegacyExceptionValidationTests.module(LegacyExceptionValidationTests.tryCatch))
        var validator = try FunctionValidator(context: ModuleContext(module), function: 0, sink: RecordingSink())
        try validator.validate()
        let legacy = validator.sink.legacy
        #expect(legacy.map(\.0) == [.try(.empty), .catch(tag: 0), .catchAll])
        #expect(legacy.map(\.1) == [.legacyTry, .legacyTry, .legacyCatch])
        #expect(legacy.map(\.2) == [.legacyTry, .legacyCatch, .legacyCatchAll])
        #expect(legacy.map(\.3) == [[], [.i32], []])
        // The steps the sink saw as instructions: drop after the catch, and the two ends.
        #expect(validator.sink.steps.map(\.instruction) == [.drop, .end, .end])
    }
}
