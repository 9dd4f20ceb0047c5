import CKilnHost

/// A frame of a trap's Wasm backtrace: the function's index in its module, its name-section name and the
/// code offset of its instruction. Found after the trap from the native return addresses kiln_trap kept, by
/// the artifact's symbols and line table (Runtime/host/backtrace.c), so code that does not trap pays nothing.
public struct TrapFrame: Equatable, Sendable, CustomStringConvertible {
    public let functionIndex: UInt32
    public let name: String?
    /// The name of the module the function belongs to (its name section's, else its file name).
    public let module: String
    /// The module offset of the instruction the frame was at: the one that trapped in the innermost frame,
    /// the call in the others; nil when the line table does not tell (code clang merged from several
    /// instructions).
    public let codeOffset: Int?

    public init(functionIndex: UInt32, name: String?, module: String, codeOffset: Int? = nil) {
        self.functionIndex = functionIndex
        self.name = name
        self.module = module
        self.codeOffset = codeOffset
    }

    /// `func 3 ($divide) at offset 0x2a`, as the CLI prints it.
    public var description: String {
        "func \(functionIndex)" + (name.map { " ($\($0))" } ?? "") + (codeOffset.map { " at offset 0x\(String($0, radix: 16))" } ?? "")
    }

    /// The frames of the last trap in `ctx`.
    static func frames(_ ctx: UnsafeMutablePointer<kiln_ctx>) -> [TrapFrame] {
        var raw = [kiln_wasm_frame](repeating: kiln_wasm_frame(), count: Int(KILN_TRAP_FRAMES))
        let count = Int(kiln_backtrace_frames(ctx, nil, &raw, Int32(raw.count)))
        return raw.prefix(count).compactMap { frame in
            guard let module = frame.module else { return nil }
            let name = module.pointee.function_names?[Int(frame.function)].map { String(cString: $0) }
            return TrapFrame(functionIndex: frame.function, name: name, module: module.pointee.name.map { String(cString: $0) } ?? "",
                             codeOffset: frame.code_offset == 0 ? nil : Int(frame.code_offset))
        }
    }

    /// `wasm backtrace:` and a line per frame, as the CLI and the launcher print them; empty for none.
    public static func text(_ frames: [TrapFrame]) -> String {
        guard !frames.isEmpty else { return "" }
        return "wasm backtrace:\n" + frames.enumerated().map { i, frame in
            (i < 10 ? "   \(i)" : "  \(i)") + ": \(frame)\n"
        }.joined()
    }
}
