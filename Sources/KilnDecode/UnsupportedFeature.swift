import KilnModel

/// Names the proposal a module needs when Kiln stops at something Wasm 2.0 does not have, so that
/// `m.wasm: unsupported feature: at offset 0x1f: the tag section (exception handling proposal) is not supported
/// yet` replaces `malformed section id: 13`.
///
/// Each check looks only at bytes that are malformed in Wasm 2.0 and mean one thing in a later proposal, and
/// keeps the spec's reason where the 2.0 test suite asserts one (memory limits flag 0x02 stays "integer too
/// large", section id 14 stays "malformed section id").
/// > Note: <https://github.com/WebAssembly/proposals/blob/main/finished-proposals.md>
enum UnsupportedFeature {
    static func error(_ what: String, _ proposal: String, at offset: Int) -> DecodeError {
        DecodeError(.unsupported, "\(what) (\(proposal) proposal) is not supported yet", offset: offset)
    }

    /// The component binary format: version 0x0d, layer 1 in the header.
    /// > Note: <https://github.com/WebAssembly/component-model/blob/main/design/mvp/Binary.md>
    static func header(_ version: ArraySlice<UInt8>) -> DecodeError? {
        guard Array(version) == [0x0d, 0x00, 0x01, 0x00] else { return nil }
        return DecodeError(
            .unsupported, "a component (component model proposal) is not supported yet: Kiln compiles core modules", offset: 4)
    }

    /// Section id 13 is the tag section of exception handling.
    static func section(_ id: UInt8, at offset: Int) -> DecodeError? {
        id == 13 ? error("the tag section", "exception handling", at: offset) : nil
    }

    /// Limits flags: bit 2 is the 64-bit index type (memory64). The flag byte was read just before `offset`.
    /// Bit 1 (`shared`, threads) is decoded: the validator says where it is not allowed.
    static func limitsFlags(_ flags: UInt8, at offset: Int) -> DecodeError? {
        // Reached only for a module read as Wasm 2.0: 3.0 has 64-bit memories and tables.
        if flags & 0x04 != 0, flags <= 0x07 { return error("64-bit limits (flags 0x0\(flags))", "memory64", at: offset) }
        return nil
    }

    /// Value and reference type bytes of later proposals.
    static func valueType(_ byte: UInt8, at offset: Int) -> DecodeError? {
        switch byte {
        case 0x63, 0x64: error("a typed reference type (0x\(hex(byte)))", "typed function references", at: offset)
        case 0x69: error("the exnref type", "exception handling", at: offset)
        case 0x74: error("the noexn heap type", "GC", at: offset)
        case 0x6a...0x6e, 0x71...0x73: error("a GC reference type (0x\(hex(byte)))", "GC", at: offset)
        default: nil
        }
    }

    /// Instruction opcodes of later proposals (`opcode` is the first byte of the instruction); typed function
    /// references are part of Wasm 3.0.
    static func opcode(_ opcode: UInt8, at offset: Int, version: WasmVersion) -> DecodeError? {
        if version == .v3, [0x14, 0x15, 0xd4, 0xd5, 0xd6, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x18, 0x19, 0x1f].contains(opcode) { return nil }
        return switch opcode {
        case 0x06: error("the try instruction", "exception handling", at: offset)
        case 0x07: error("the catch instruction", "exception handling", at: offset)
        case 0x08: error("the throw instruction", "exception handling", at: offset)
        case 0x09: error("the rethrow instruction", "exception handling", at: offset)
        case 0x0a: error("the throw_ref instruction", "exception handling", at: offset)
        case 0x18: error("the delegate instruction", "exception handling", at: offset)
        case 0x19: error("the catch_all instruction", "exception handling", at: offset)
        case 0x1f: error("the try_table instruction", "exception handling", at: offset)
        case 0x15: error("the return_call_ref instruction", "typed function references", at: offset)
        case 0x14: error("the call_ref instruction", "typed function references", at: offset)
        case 0xd4: error("the ref.as_non_null instruction", "typed function references", at: offset)
        case 0xd5: error("the br_on_null instruction", "typed function references", at: offset)
        case 0xd6: error("the br_on_non_null instruction", "typed function references", at: offset)
        case 0xfb: error("GC instructions (prefix 0xfb)", "GC", at: offset)
        default: nil
        }
    }

    /// A memarg whose alignment field has bit 6 set carries a memory index (multi-memory).
    static func memargFlags(_ flags: UInt32, at offset: Int) -> DecodeError? {
        flags & 0x40 != 0 ? error("a memory index in a load or store", "multi-memory", at: offset) : nil
    }

    static func multipleMemories(_ count: Int, at offset: Int) -> DecodeError {
        error("multiple memories (\(count) declared)", "multi-memory", at: offset)
    }

    /// Reads WasmParser's reason for the cases above: `malformed value type: 99`, `Malformed limit: 3`,
    /// `malformed memop flags: 64`. `offset` is where WasmParser stopped, just after the byte it rejects, or after
    /// the heap type that follows 0x63; with the module's `bytes`, the type byte itself is found.
    static func fromParser(_ reason: String, at offset: Int, bytes: [UInt8]? = nil) -> DecodeError? {
        func number(after prefix: String) -> UInt32? {
            guard reason.hasPrefix(prefix) else { return nil }
            return UInt32(reason.dropFirst(prefix.count).prefix { $0.isNumber })
        }
        if let byte = number(after: "malformed value type: ").flatMap(UInt8.init(exactly:)) {
            var at = max(0, offset - 1)
            if let bytes, at < bytes.count, bytes[at] != byte {
                // Back over the heap type (an s33, at most 5 bytes) to the 0x63 before it.
                at = (max(0, at - 5)..<at).last { bytes[$0] == byte } ?? at
            }
            return valueType(byte, at: at)
        }
        if let flags = number(after: "integer too large: malformed limits flags: ").flatMap(UInt8.init(exactly:)) {
            return limitsFlags(flags, at: max(0, offset - 1))
        }
        if let flags = number(after: "malformed memop flags: ") { return memargFlags(flags, at: offset) }
        if let form = number(after: "malformed function type: ").flatMap(UInt8.init(exactly:)) {
            return typeForm(form, at: max(0, offset - 1))
        }
        // A table type is read from its element type: 0x40 starts a table with an initializer, 0x63/0x64 a typed
        // reference type, both typed function references.
        if reason.hasPrefix("unexpected byte 0x40. Expected one of [0x6f, 0x70]")
            || reason.hasPrefix("unexpected byte 0x40. Expected one of [0x70, 0x6f]") {
            return error("a table with an initializer", "typed function references", at: max(0, offset - 1))
        }
        // A later proposal's reference type where a table's element type (funcref or externref) was expected.
        for byte: UInt8 in [0x63, 0x64, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x71, 0x72, 0x73]
        where reason.hasPrefix("unexpected byte 0x\(hex(byte)). Expected one of [") {
            return valueType(byte, at: max(0, offset - 1))
        }
        // A heap type is an s33: WasmParser reads the abstract heap types it does not know (GC's `any`, `none`,
        // `nofunc` …) as negative type indices. -13 is the byte 0x73.
        if reason.hasPrefix("invalid function type index: -"), let value = number(after: "invalid function type index: -"),
            value <= 64, let byte = UInt8(exactly: 128 - Int(value)) {
            return valueType(byte, at: max(0, offset - 1))
        }
        return nil
    }

    /// The type section's forms of GC: where Wasm 2.0 and typed function references have only 0x60.
    static func typeForm(_ form: UInt8, at offset: Int) -> DecodeError? {
        let what: String? = switch form {
        case 0x5e: "an array type"
        case 0x5f: "a struct type"
        case 0x50: "a subtype (sub)"
        case 0x4f: "a final subtype (sub final)"
        case 0x4e: "a recursion group (rec)"
        default: nil
        }
        return what.map { error($0, "GC", at: offset) }
    }

    static func hex(_ byte: UInt8) -> String { String(byte, radix: 16) }
}
