/// The checks that let a host stop a guest that never returns, as wasmtime's fuel and epoch interruption:
/// at every function entry and loop header (Runtime/include/kiln_interrupt.h). Code built without them has
/// none, so they cost nothing unless asked for; an artifact with them is a different artifact (cache key,
/// metadata, `kiln_module.interruption`).
public struct Interruption: Sendable, Hashable {
    /// Fuel: each check charges the instructions of the code it guards; the guest traps when too few are left.
    public var fuel: Bool
    /// Epochs: each check compares the engine's epoch with the store's deadline.
    public var epochs: Bool

    public init(fuel: Bool = false, epochs: Bool = false) {
        self.fuel = fuel
        self.epochs = epochs
    }

    public static let none = Interruption()

    public var isEnabled: Bool { fuel || epochs }

    /// As the build options list them (cache key, artifact metadata); empty when off, so artifacts built
    /// without it keep the keys they had.
    public var codeOptions: [String] { (fuel ? ["fuel"] : []) + (epochs ? ["epochs"] : []) }

    /// `kiln_module.interruption`.
    var descriptorFlags: String {
        let flags = (fuel ? ["KILN_INTERRUPT_FUEL"] : []) + (epochs ? ["KILN_INTERRUPT_EPOCH"] : [])
        return flags.isEmpty ? "0u" : flags.joined(separator: " | ")
    }
}
