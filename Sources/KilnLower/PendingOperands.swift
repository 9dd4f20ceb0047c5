import KilnModel

/// A `local.get` or constant whose value has not been stored in its slot: its consumer reads the C
/// expression instead (`s0_i32 = l0 + 1u;` rather than three statements).
///
/// Why: about two fifths of all statements were such copies, and clang's time at -O0 (front end, IR,
/// instruction selection) grows with the statements. An atom reads only a local or nothing, cannot trap
/// and touches neither memory nor globals, so it may be evaluated later: it stays valid until its local is
/// assigned (`local.set`/`local.tee` store it first) or control flow joins (labels read slots, so every
/// pending atom is stored before a block, loop, if, else or end).
struct PendingAtom {
    let expression: String
    let type: ValueType
    /// The local it reads, if any.
    let local: UInt32?
    /// The instruction's comment, kept for the statement if the atom is stored after all.
    let comment: String
}

extension FunctionLowerer {
    /// The value at stack height `height`: its pending atom, or its slot.
    mutating func operand(_ height: Int, _ type: ValueType) -> String {
        if height < pending.count, let atom = pending[height] { return atom.expression }
        return slot(height, type)
    }

    /// Records the instruction's single result as an atom instead of a statement.
    mutating func pend(_ expression: String, local: UInt32? = nil, _ name: String) {
        produced = PendingAtom(expression: expression, type: outputTypes[0], local: local, comment: "\(name) \(comment)")
    }

    /// Stores the pending atom at `height` into its slot.
    mutating func materialize(_ height: Int) {
        guard height < pending.count, let atom = pending[height] else { return }
        writer.statement("\(slot(height, atom.type)) = \(atom.expression);", atom.comment)
        pending[height] = nil
    }

    /// Stores every pending atom (except the one at `height`, which the instruction reads itself).
    mutating func materializeAll(except height: Int? = nil) {
        for h in pending.indices where h != height { materialize(h) }
    }

    /// Before `local` is assigned: stores the atoms below the assigned value that still read its old value.
    mutating func materialize(reading local: UInt32, below height: Int) {
        for h in pending.indices where h < height && pending[h]?.local == local { materialize(h) }
    }

    /// Before an instruction is lowered: what it needs in slots rather than pending.
    mutating func settlePending(_ instruction: Instruction) {
        guard !pending.isEmpty else { return }
        switch instruction {
        case .block, .loop, .else, .tryTable:
            materializeAll()
        case .brOnNull, .brOnNonNull:
            // The reference is a label value (br_on_non_null) or stays on the stack (br_on_null): in its slot.
            materializeAll()
        case .end:
            // A function's end returns its operands; the rest go nowhere.
            if frames.last?.kind != .function { materializeAll() }
        case .if, .brIf:
            // The condition is read in place; the rest must be in slots at the target and after it.
            materializeAll(except: typing.heightBefore - 1)
        case .localSet(let local), .localTee(let local):
            if typing.reachable { materialize(reading: local, below: typing.heightBefore - 1) }
        default:
            // br, br_table and return read their operands in place and end the straight-line code.
            break
        }
    }

    func isPending(_ height: Int) -> Bool { height < pending.count && pending[height] != nil }

    /// After an instruction: its inputs are consumed, and its result may be a new atom.
    mutating func consumePending(_ instruction: Instruction) {
        switch instruction {
        case .br, .brTable, .return, .unreachable, .throw, .throwRef:
            // What is left on the stack is never read: the code after these is unreachable.
            pending.removeAll()
        default:
            if pending.count > typing.base { pending.removeSubrange(typing.base...) }
        }
        guard let atom = produced else { return }
        produced = nil
        while pending.count < typing.base { pending.append(nil) }
        pending.append(atom)
    }
}
