import KilnDecode
import KilnModel

/// Redundant bounds checks, removed by dominance (explicit bounds mode).
///
/// A memory never shrinks, so once an access through a local has been checked, every later access through
/// the same local, with the local unchanged, that ends no further is in bounds too, on every path the
/// first access dominates, calls and memory.grow included. clang finds some of these itself but not the
/// commonest: a C function's frame is `sp - N` in a local (`global.get 0; i32.const 96; i32.sub;
/// local.tee 7`), and LLVM's ConstraintElimination drops every fact about `zext(x - 96) + k` (it wants
/// `x >= 96` proven first), so each access to the frame kept its own check (zstd's sequence decoder
/// spends a third of its time in such functions). Addresses below memory 0's declared minimum (constants,
/// masked indexes: ValueRanges.swift) need no check at all.
///
/// Facts are ends (memarg offset plus access size) of checked accesses per local. They flow along
/// structured control: a branch to a block or if meets its facts into the frame's exit, and the code after
/// `end` starts from that meet; a loop starts from the facts before it, less the locals its body assigns
/// (a back edge may bring them changed).
struct ProvenBounds {
    /// Local index -> every access through it ending at or before this many bytes past its value is in bounds.
    var ends: [UInt32: UInt64] = [:]

    /// Facts kept per program point, so a huge function's nested frames copy little.
    static let capacity = 64

    func covers(_ local: UInt32, end: UInt64) -> Bool { (ends[local] ?? 0) >= end && end > 0 }

    mutating func record(_ local: UInt32, end: UInt64) {
        if let known = ends[local] {
            ends[local] = max(known, end)
        } else if ends.count < Self.capacity {
            ends[local] = end
        }
    }

    mutating func forget(_ local: UInt32) { ends[local] = nil }

    /// What holds on both of two paths.
    func meet(_ other: ProvenBounds) -> ProvenBounds {
        var result = ProvenBounds()
        for (local, end) in ends { if let theirs = other.ends[local] { result.ends[local] = min(end, theirs) } }
        return result
    }

    /// The locals each loop of a function body assigns (`local.set`/`local.tee` anywhere inside it, nested
    /// loops included), by the loop instruction's offset. nil when the body cannot be read (the validator
    /// reports why); callers then assume every loop assigns everything.
    static func loopAssignments(_ body: FunctionBody) -> [Int: Set<UInt32>]? {
        var reader = FunctionBodyReader(body)
        var open: [(offset: Int?, assigned: Set<UInt32>)] = []
        var result: [Int: Set<UInt32>] = [:]
        do {
            while let decoded = try reader.next() {
                switch decoded.operation {
                case .instruction(.block), .instruction(.if), .instruction(.tryTable), .legacyException(.try): open.append((nil, []))
                case .instruction(.loop): open.append((decoded.offset, []))
                case .instruction(.localSet(let local)), .instruction(.localTee(let local)):
                    if !open.isEmpty { open[open.count - 1].assigned.insert(local) }
                case .instruction(.end), .legacyException(.delegate):
                    guard let frame = open.popLast() else { continue }
                    if let offset = frame.offset { result[offset] = frame.assigned }
                    if !open.isEmpty { open[open.count - 1].assigned.formUnion(frame.assigned) }
                default: break
                }
            }
        } catch {
            return nil
        }
        return result
    }
}

extension FunctionLowerer {
    /// The local a load or store addresses through, when its address operand is that local itself.
    func addressLocal() -> UInt32? {
        guard typing.base < pending.count, let atom = pending[typing.base], let local = atom.local,
            atom.expression == CNames.local(local)
        else { return nil }
        return local
    }

    /// The end of an access (memarg offset plus size) when its check may be left out or shared: explicit
    /// bounds mode, a 32-bit memory 0, and no overflow.
    func accessEnd(_ memarg: MemArg, size: UInt64) -> UInt64? {
        guard !context.boundsGuard, let memory0 = context.space.memories.first, !memory0.isMemory64 else { return nil }
        let (end, overflow) = memarg.offset.addingReportingOverflow(size)
        return overflow ? nil : end
    }

    /// The access's address as a pointer into memory 0, for an access proven in bounds.
    mutating func uncheckedPointer(_ memarg: MemArg) -> String { "\(memory)->data + \(address(input(0), memarg, width: 0))" }

    /// An unchecked pointer for an access of `size` bytes proven in bounds here, or nil (it needs its check).
    mutating func provenPointer(_ memarg: MemArg, size: UInt64) -> String? {
        guard let end = accessEnd(memarg, size: size) else { return nil }
        if let local = addressLocal() {
            guard bounds.covers(local, end: end) else { return nil }
        } else if let high = ranges[typing.base]?.high {
            // Memory 0 is never smaller than its declared minimum (an import's is checked when linking).
            guard high + end <= context.space.memories[0].min * 65536 else { return nil }
        } else {
            return nil
        }
        return uncheckedPointer(memarg)
    }

    /// After a checked access of `size` bytes: later accesses through the same local ending no further are in bounds.
    mutating func noteCheckedAccess(_ memarg: MemArg, size: UInt64) {
        if let local = addressLocal(), let end = accessEnd(memarg, size: size) { bounds.record(local, end: end) }
    }

    /// At a loop's label: what held before it, less what its body assigns.
    mutating func enterLoopBounds() {
        guard let assigned = loopAssignments?[typing.offset] else {
            bounds = ProvenBounds()
            return
        }
        for local in assigned { bounds.forget(local) }
    }

    /// A branch to the frame labelled `label`: its facts reach the code after that frame's `end` (a loop's
    /// label is its start, which enterLoopBounds already limited to what every back edge keeps).
    mutating func branchBounds(to label: Int) {
        guard let i = frames.lastIndex(where: { $0.label == label }), frames[i].kind != .loop, frames[i].kind != .function else { return }
        frames[i].exitBounds = frames[i].exitBounds.map { $0.meet(bounds) } ?? bounds
    }
}
