import KilnModel

/// Why a module could not be read or decoded, and where decoding stopped.
///
/// The reasons use the spec interpreter's wording (`unexpected end`, `malformed section id`), which is what
/// `assert_malformed` in the spec scripts expects, followed by detail.
public struct DecodeError: KilnError, Equatable {
    public enum Kind: String, Sendable {
        case unreadable = "cannot read module"
        case malformed = "malformed module"
        case text = "malformed text"
        /// Well-formed in a later proposal that Kiln does not implement (`UnsupportedFeature`).
        case unsupported = "unsupported feature"
    }

    public let category: Kind
    public let reason: String
    public let location: ErrorLocation

    public init(_ category: Kind, _ reason: String, offset: Int? = nil, function: UInt32? = nil, functionName: String? = nil) {
        self.category = category
        self.reason = reason
        self.location = ErrorLocation(function: function, functionName: functionName, offset: offset)
    }

    public var kind: String { category.rawValue }

    static func malformed(_ reason: String, at offset: Int) -> DecodeError {
        DecodeError(.malformed, reason, offset: offset)
    }

    // The spec interpreter's reasons, in one place.
    static func unexpectedEnd(at offset: Int) -> DecodeError { .malformed("unexpected end", at: offset) }
    static func sectionSizeMismatch(at offset: Int) -> DecodeError { .malformed("section size mismatch", at: offset) }
    static func lengthOutOfBounds(at offset: Int) -> DecodeError { .malformed("length out of bounds", at: offset) }
    static func integerTooLarge(at offset: Int) -> DecodeError { .malformed("integer too large", at: offset) }
    static func integerTooLong(at offset: Int) -> DecodeError { .malformed("integer representation too long", at: offset) }
    static func tooManyLocals(_ count: UInt64, at offset: Int) -> DecodeError {
        .malformed("too many locals: \(count) declared", at: offset)
    }
}
