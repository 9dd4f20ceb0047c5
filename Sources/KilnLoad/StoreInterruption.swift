import CKilnHost

/// Fuel and epoch deadlines: how a host stops guest code built with `--consume-fuel` or
/// `--epoch-interruption` (KilnLower/Interruption.swift). Code built without them ignores both.
extension Store {
    /// The fuel left: each check in guest code charges the instructions it guards, and the guest traps with
    /// `all fuel consumed` when fewer are left. UInt64.max (the default) is no budget.
    public var fuel: UInt64 {
        get { ctx.pointee.fuel }
        set { ctx.pointee.fuel = newValue }
    }

    /// Adds to the fuel left (saturating).
    public func addFuel(_ amount: UInt64) {
        let (sum, overflow) = ctx.pointee.fuel.addingReportingOverflow(amount)
        ctx.pointee.fuel = overflow ? .max : sum
    }

    /// The guest traps with `interrupt` (or asks `epochDeadlineCallback`) once the store's epoch has advanced
    /// `ticks` beyond its value now.
    public func setEpochDeadline(_ ticks: UInt64) {
        let now = epoch.value
        ctx.pointee.epoch_deadline = now > .max - ticks ? .max : now + ticks
    }

    /// Asked when the deadline passes: how many more ticks the guest may run, or 0 to trap it with `interrupt`.
    /// It runs on the guest's thread, inside the guest's call.
    public var epochDeadlineCallback: (@Sendable () -> UInt64)? {
        get { epochCallbackBox?.callback }
        set {
            epochCallbackBox = newValue.map(EpochCallbackBox.init)
            ctx.pointee.epoch_callback = newValue == nil ? nil : { _, userdata in
                Unmanaged<EpochCallbackBox>.fromOpaque(userdata!).takeUnretainedValue().callback()
            }
            ctx.pointee.epoch_userdata = epochCallbackBox.map { Unmanaged.passUnretained($0).toOpaque() }
        }
    }
}

final class EpochCallbackBox {
    let callback: @Sendable () -> UInt64
    init(_ callback: @escaping @Sendable () -> UInt64) { self.callback = callback }
}
