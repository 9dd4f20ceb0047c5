/// Names from the `name` custom section, used in errors, generated C and backtraces.
///
/// A malformed name section is ignored rather than fatal, as the spec's appendix allows.
/// > Note: <https://webassembly.github.io/spec/core/appendix/custom.html#name-section>
public struct Names: Sendable, Equatable {
    public var module: String?
    public var functions: [UInt32: String]
    public var locals: [UInt32: [UInt32: String]]
    public var globals: [UInt32: String]

    public init(module: String? = nil, functions: [UInt32: String] = [:], locals: [UInt32: [UInt32: String]] = [:], globals: [UInt32: String] = [:]) {
        self.module = module
        self.functions = functions
        self.locals = locals
        self.globals = globals
    }

    /// `12 ($fac)` when the function has a name, `12` otherwise.
    public func displayName(function index: UInt32) -> String {
        if let name = functions[index] { return "\(index) ($\(name))" }
        return "\(index)"
    }
}
