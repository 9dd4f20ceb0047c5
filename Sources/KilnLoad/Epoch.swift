import CKilnHost

/// A counter that stores compare their deadlines with (wasmtime's engine epoch): guest code built with
/// epoch interruption checks it at every function entry and loop header, and traps with `interrupt` once it
/// reaches the store's deadline. Any thread may advance it; stores share one by sharing the object.
public final class Epoch: @unchecked Sendable {
    let counter: UnsafeMutablePointer<UInt64>

    public init() {
        counter = .allocate(capacity: 1)
        counter.initialize(to: 0)
    }

    deinit { counter.deallocate() }

    /// The counter of the stores that were given no other: advancing it reaches every such store's deadline.
    public static let shared = Epoch()

    public var value: UInt64 { kiln_epoch_now(counter) }

    /// Advances the epoch by one; safe from any thread, while guest code runs.
    public func increment() { kiln_epoch_advance(counter) }
}
