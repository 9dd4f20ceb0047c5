/// One function's code, as the binary gives it: locals in their run-length form and the expression bytes.
///
/// The locals are never expanded: a body may declare up to 2^32 - 1 locals in a few bytes, and Kiln must not
/// allocate in proportion to a declared count. `localType(at:)` answers by a binary search over the runs.
///
/// > Note: <https://webassembly.github.io/spec/core/binary/modules.html#code-section>
public struct FunctionBody: Sendable {
    public struct LocalRun: Sendable, Equatable {
        public let count: UInt32
        public let type: ValueType
        public init(count: UInt32, type: ValueType) {
            self.count = count
            self.type = type
        }
    }

    /// Declared locals, in order, run-length encoded (parameters are not included).
    public let locals: [LocalRun]
    /// Total number of declared locals (fits in UInt32; checked when decoding).
    public let localCount: UInt64
    /// Byte offset of the body's size field in the module.
    public let bodyOffset: Int
    /// Byte offset of the first instruction in the module.
    public let expressionOffset: Int
    /// The expression, decodable by KilnDecode's `FunctionBodyReader`.
    public let code: Code
    /// What to add to the decoder's offsets to get offsets in the original module.
    public let offsetDelta: Int
    /// The edition the body is read by (Wasm 2.0 reserves a zero byte where 3.0 has a memory index).
    public var version = WasmVersion.v3

    /// Run ends (exclusive prefix sums), for the binary search in `localType(at:)`.
    private let runEnds: [UInt64]

    public init(locals: [LocalRun], bodyOffset: Int, expressionOffset: Int, code: Code, offsetDelta: Int) {
        self.locals = locals
        var ends: [UInt64] = []
        var total: UInt64 = 0
        for run in locals {
            total += UInt64(run.count)
            ends.append(total)
        }
        self.runEnds = ends
        self.localCount = total
        self.bodyOffset = bodyOffset
        self.expressionOffset = expressionOffset
        self.code = code
        self.offsetDelta = offsetDelta
    }

    /// The type of declared local `index` (0 is the first local after the parameters), or nil if out of range.
    public func localType(at index: UInt64) -> ValueType? {
        guard index < localCount else { return nil }
        var low = 0
        var high = runEnds.count - 1
        while low < high {
            let mid = (low + high) / 2
            if runEnds[mid] > index { high = mid } else { low = mid + 1 }
        }
        return locals[low].type
    }
}
