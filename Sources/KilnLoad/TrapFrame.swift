import CKilnHost

/// A frame of a trap's Wasm backtrace: the function's index in its module and its name-section name.
/// Found after the trap from the native return addresses kiln_trap kept (Runtime/host/backtrace.c), so
/// code that does not trap pays nothing for it.
public struct TrapFrame: Equatable, Sendable, CustomStringConvertible {
    public let functionIndex: UInt32
    public let name: String?
    /// The name of the module the function belongs to (its name section's, else its file name).
    public let module: String

    public init(functionIndex: UInt32, name: String?, module: String) {
        self.functionIndex = functionIndex
        self.name = name
        self.module = module
    }

    /// `func 3 ($divide)`, as the CLI prints it.
    public var description: String { "func \(functionIndex)" + (name.map { " ($\($0))" } ?? "") }

    /// The frames of the last trap in `ctx`.
    static func frames(_ ctx: UnsafeMutablePointer<kiln_ctx>) -> [TrapFrame] {
        var raw = [kiln_wasm_frame](repeating: kiln_wasm_frame(), count: Int(KILN_TRAP_FRAMES))
        let count = Int(kiln_backtrace_frames(ctx, nil, &raw, Int32(raw.count)))
        return raw.prefix(count).compactMap { frame in
            guard let module = frame.module else { return nil }
            let name = module.pointee.function_names?[Int(frame.function)].map { String(cString: $0) }
            return TrapFrame(functionIndex: frame.function, name: name, module: module.pointee.name.map { String(cString: $0) } ?? "")
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
