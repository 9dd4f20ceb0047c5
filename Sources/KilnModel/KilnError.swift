/// Where in a module something went wrong: the function (by index and name-section name) and the byte offset.
///
/// Every stage's error carries one, so that a message reads
/// `m.wasm: invalid module: func 12 ($fac) at offset 0x1a2: type mismatch: expected i32, found f64`.
public struct ErrorLocation: Sendable, Equatable, CustomStringConvertible {
    public var function: UInt32?
    public var functionName: String?
    public var offset: Int?
    /// A module-level place when there is no function: "export section", "data segment 3".
    public var context: String?

    public init(function: UInt32? = nil, functionName: String? = nil, offset: Int? = nil, context: String? = nil) {
        self.function = function
        self.functionName = functionName
        self.offset = offset
        self.context = context
    }

    public var description: String {
        var parts: [String] = []
        if let function {
            parts.append(functionName.map { "func \(function) ($\($0))" } ?? "func \(function)")
        } else if let context {
            parts.append(context)
        }
        if let offset { parts.append("at offset 0x\(String(offset, radix: 16))") }
        return parts.joined(separator: " ")
    }
}

/// What every Kiln error can say about itself: the kind of failure (`invalid module`, `malformed module`),
/// the spec's reason and the location, so the command line can prefix the module's file name.
public protocol KilnError: Error, CustomStringConvertible, Sendable {
    /// `malformed module`, `invalid module`, `cannot read module`.
    var kind: String { get }
    /// The spec's wording first, then detail: `type mismatch: expected i32, found f64`.
    var reason: String { get }
    var location: ErrorLocation { get }
}

extension KilnError {
    public var description: String {
        let place = location.description
        return place.isEmpty ? "\(kind): \(reason)" : "\(kind): \(place): \(reason)"
    }

    /// The full line a person sees: `m.wasm: invalid module: func 3 at offset 0x2a: type mismatch: …`.
    public func message(module: String) -> String { "\(module): \(description)" }
}
