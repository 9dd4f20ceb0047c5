import KilnDecode
import WAT

/// Builds binary modules byte by byte, for the malformed inputs that `wat2wasm` will not produce.
enum WasmBytes {
    static let header: [UInt8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]

    /// Unsigned LEB128, minimal.
    static func leb(_ value: UInt64) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        repeat {
            var b = UInt8(v & 0x7f)
            v >>= 7
            if v != 0 { b |= 0x80 }
            out.append(b)
        } while v != 0
        return out
    }

    static func vector(_ items: [[UInt8]]) -> [UInt8] {
        leb(UInt64(items.count)) + items.flatMap { $0 }
    }

    static func section(_ id: UInt8, _ content: [UInt8]) -> [UInt8] {
        [id] + leb(UInt64(content.count)) + content
    }

    static func module(_ sections: [UInt8]...) -> [UInt8] {
        header + sections.flatMap { $0 }
    }

    /// Type section with the single type `[] -> []`.
    static let voidType = section(1, vector([[0x60, 0x00, 0x00]]))
    /// Function section declaring `count` functions of type 0.
    static func functions(_ count: Int) -> [UInt8] {
        section(3, vector(Array(repeating: [0x00], count: count)))
    }
    /// Memory section with one memory of one page.
    static let memory = section(5, vector([[0x00, 0x01]]))

    /// A code-section entry: size, locals as (count, type byte) runs, then the expression bytes.
    static func body(locals: [(UInt64, UInt8)] = [], _ expression: [UInt8]) -> [UInt8] {
        let content = leb(UInt64(locals.count)) + locals.flatMap { leb($0.0) + [$0.1] } + expression
        return leb(UInt64(content.count)) + content
    }

    static func code(_ bodies: [UInt8]...) -> [UInt8] {
        section(10, leb(UInt64(bodies.count)) + bodies.flatMap { $0 })
    }

    /// One `[] -> []` function with the given body, after an optional memory.
    static func function(locals: [(UInt64, UInt8)] = [], memory: Bool = false, _ expression: [UInt8]) -> [UInt8] {
        module(voidType, functions(1), memory ? Self.memory : [], code(body(locals: locals, expression)))
    }

    /// Where `pattern` first occurs in `bytes`, to find the offset of an instruction independently of Kiln.
    static func offset(of pattern: [UInt8], in bytes: [UInt8]) -> Int? {
        guard pattern.count <= bytes.count else { return nil }
        for start in 0...(bytes.count - pattern.count) where Array(bytes[start..<(start + pattern.count)]) == pattern {
            return start
        }
        return nil
    }

    static func wasm(_ text: String, names: Bool = false) throws -> [UInt8] {
        try wat2wasm(text, features: ModuleDecoder.features, options: EncodeOptions(nameSection: names))
    }
}
