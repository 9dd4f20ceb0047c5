import KilnModel
import KilnDecode

/// Why a module is invalid: the spec's reason first (what `assert_invalid` expects), then detail.
///
/// All wording lives here as static factories, so the messages stay consistent and can be found.
/// > Note: <https://webassembly.github.io/spec/core/valid/index.html>
public struct ValidationError: KilnError, Equatable {
    public let reason: String
    public var location: ErrorLocation
    /// Binary-format rules that the spec checks while validating code (the data count section) are
    /// reported as malformed, as the spec's scripts expect.
    public let isMalformed: Bool
    /// The decoder's kind when a body's decoding error is passed on (`unsupported feature`), else nil.
    let decodeKind: String?

    public init(_ reason: String, location: ErrorLocation = ErrorLocation(), isMalformed: Bool = false) {
        self.reason = reason
        self.location = location
        self.isMalformed = isMalformed
        self.decodeKind = nil
    }

    /// A function body's decoding error, with its kind kept: a later proposal's opcode stays an
    /// `unsupported feature`, not a `malformed module`.
    init(decoding error: DecodeError) {
        reason = error.reason
        location = ErrorLocation()
        isMalformed = true
        decodeKind = error.category == .unsupported ? error.kind : nil
    }

    public var kind: String { decodeKind ?? (isMalformed ? "malformed module" : "invalid module") }

    func at(_ location: ErrorLocation) -> ValidationError {
        var copy = self
        copy.location = location
        return copy
    }

    static func typeMismatch(expected: String, found: String) -> ValidationError {
        ValidationError("type mismatch: expected \(expected), found \(found)")
    }
    static func typeMismatch(_ detail: String) -> ValidationError { ValidationError("type mismatch: \(detail)") }
    static func unknown(_ space: String, _ index: UInt32, count: Int) -> ValidationError {
        ValidationError("unknown \(space) \(index): the module has \(count)")
    }
    static func unknownLabel(_ depth: UInt32, count: Int) -> ValidationError {
        ValidationError("unknown label \(depth): \(count) enclosing block\(count == 1 ? "" : "s")")
    }
    static func unknownLocal(_ index: UInt32, count: UInt64) -> ValidationError {
        ValidationError("unknown local \(index): the function has \(count) (parameters included)")
    }
    static func immutableGlobal(_ index: UInt32) -> ValidationError {
        ValidationError("global is immutable: global.set \(index)")
    }
    static func alignment(_ exponent: UInt32, natural: Int) -> ValidationError {
        ValidationError("alignment must not be larger than natural: 2^\(exponent) > \(natural)")
    }
    static func atomicAlignment(_ exponent: UInt32, natural: Int) -> ValidationError {
        ValidationError("alignment must be equal to natural for an atomic access: 2^\(exponent) != \(natural)")
    }
    static func invalidLane(_ lane: UInt8, lanes: Int) -> ValidationError {
        ValidationError("invalid lane index: \(lane), the shape has \(lanes) lanes")
    }
    static func undeclaredFunctionReference(_ index: UInt32) -> ValidationError {
        ValidationError("undeclared function reference: ref.func \(index) is not declared by an element segment, export or global")
    }
    static func constantRequired(_ what: String) -> ValidationError {
        ValidationError("constant expression required: \(what)")
    }
    static var multipleMemories: ValidationError { ValidationError("multiple memories: Wasm 2.0 allows one") }
    static func duplicateExport(_ name: String) -> ValidationError { ValidationError("duplicate export name: \"\(name)\"") }
    static func startFunction(_ type: FunctionType) -> ValidationError {
        ValidationError("start function must have type [] -> [], found \(type.signature)")
    }
    static func limitsMinMax(_ min: UInt64, _ max: UInt64) -> ValidationError {
        ValidationError("size minimum must not be greater than maximum: \(min) > \(max)")
    }
    static func memorySize(_ pages: UInt64) -> ValidationError {
        ValidationError("memory size must be at most 65536 pages (4GiB): \(pages)")
    }
    static func memory64Size(_ pages: UInt64) -> ValidationError {
        ValidationError("memory size must be at most 2^48 pages: \(pages)")
    }
    static func offsetOutOfRange(_ offset: UInt64) -> ValidationError {
        ValidationError("offset out of range: \(offset) does not fit a 32-bit memory's address")
    }
    static func tableSize(_ size: UInt64) -> ValidationError {
        ValidationError("table size must be at most 2^32-1: \(size)")
    }
    static var dataCountRequired: ValidationError {
        ValidationError("data count section required: memory.init and data.drop need it", isMalformed: true)
    }
    /// Something valid in a later edition or proposal that Kiln does not compile (yet), or, in a module
    /// read as Wasm 2.0 (`--spec-version 2.0`), something 2.0 does not have.
    static func unsupported(_ what: String) -> ValidationError {
        ValidationError("unsupported: \(what) is not supported by Kiln yet, or not part of the Wasm edition the module is read as")
    }
    static var unexpectedEnd: ValidationError {
        ValidationError("unexpected end of section or function: instructions after the function's final end", isMalformed: true)
    }
    static var elseWithoutIf: ValidationError { ValidationError("type mismatch: else without a matching if") }
}
