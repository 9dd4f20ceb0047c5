/// The legacy exception-handling instructions (`try`, `catch`, `catch_all`, `delegate`, `rethrow`), which
/// WasmKit does not know; Kiln decodes them itself. They are what toolchains emit by default today (LLVM's
/// `-fwasm-exceptions` and `-mllvm -wasm-enable-sjlj` without `-wasm-use-legacy-eh=false`), so real C++ and
/// setjmp/longjmp programs use them. The Wasm 3.0 spec keeps them in an appendix.
/// > Note: <https://github.com/WebAssembly/exception-handling/blob/main/proposals/exception-handling/legacy/Exceptions.md>
public enum LegacyException: Sendable, Equatable {
    /// Opens a block whose exceptions the `catch` clauses that follow may handle.
    case `try`(BlockType)
    /// Ends the previous `try` body or catch clause and starts a clause for exceptions of the tag.
    case `catch`(tag: UInt32)
    case catchAll
    /// Ends a `try` body, sending its exceptions to the handlers around the label (counted from outside the try).
    case delegate(relativeDepth: UInt32)
    /// Throws again the exception caught by the catch clause at the label.
    case rethrow(relativeDepth: UInt32)
}
