import KilnDecode
import KilnModel
import KilnValidate
import Testing
import WAT

/// Helpers shared by the validator's tests: modules written as text (or bytes), decoded, then validated.
enum Validation {
    static func wasm(_ text: String, names: Bool = false) throws -> [UInt8] {
        try wat2wasm(text, features: ModuleDecoder.features, options: EncodeOptions(nameSection: names))
    }

    /// Decodes and validates; throws the `ValidationError` (or a decode/text error) on rejection.
    @discardableResult
    static func validate(_ text: String, names: Bool = false) throws -> ValidatedModule {
        try ModuleValidator.validate(ModuleDecoder.decode(wasm(text, names: names)))
    }

    @discardableResult
    static func validate(bytes: [UInt8]) throws -> ValidatedModule {
        try ModuleValidator.validate(ModuleDecoder.decode(bytes))
    }

    /// The validation error for a module that must decode but not validate.
    static func rejection(_ text: String, names: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) throws -> ValidationError {
        try rejection(bytes: wasm(text, names: names), sourceLocation: sourceLocation)
    }

    static func rejection(bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> ValidationError {
        let module = try ModuleDecoder.decode(bytes)
        return try #require(throws: ValidationError.self, sourceLocation: sourceLocation) {
            try ModuleValidator.validate(module)
        }
    }

    /// The reason a module is rejected, or `"valid"`.
    static func outcome(_ text: String) throws -> String {
        let module = try ModuleDecoder.decode(wasm(text))
        do {
            _ = try ModuleValidator.validate(module)
            return "valid"
        } catch {
            return error.reason
        }
    }

    /// Where `pattern` first occurs in `bytes`, found independently of Kiln.
    static func offset(of pattern: [UInt8], in bytes: [UInt8]) -> Int? {
        guard pattern.count <= bytes.count else { return nil }
        for start in 0...(bytes.count - pattern.count) where Array(bytes[start..<(start + pattern.count)]) == pattern {
            return start
        }
        return nil
    }

    /// Removes every section with `id` from a binary module (e.g. the data count section wat2wasm adds).
    static func removingSection(_ id: UInt8, from bytes: [UInt8]) -> [UInt8] {
        var out = Array(bytes[0..<8])
        var index = 8
        while index < bytes.count {
            let start = index
            index += 1
            var size = 0
            var shift = 0
            while true {
                let b = bytes[index]
                index += 1
                size |= Int(b & 0x7f) << shift
                shift += 7
                if b & 0x80 == 0 { break }
            }
            index += size
            if bytes[start] != id { out += bytes[start..<index] }
        }
        return out
    }
}

/// A binary module builder, for the invalid modules `wat2wasm` refuses to write (unknown indices).
enum Binary {
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

    static func section(_ id: UInt8, _ content: [UInt8]) -> [UInt8] {
        [id] + leb(UInt64(content.count)) + content
    }

    /// One function of type `[i32] -> []` with two i64 locals and the given expression, after the
    /// optional extra sections (a memory section, say), which go between the function and code sections.
    static func function(_ expression: [UInt8], between: [UInt8] = []) -> [UInt8] {
        let types = section(1, [0x01, 0x60, 0x01, 0x7f, 0x00])
        let functions = section(3, [0x01, 0x00])
        let body = [0x01, 0x02, 0x7e] + expression
        let code = section(10, [0x01] + leb(UInt64(body.count)) + body)
        return [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00] + types + functions + between + code
    }
}
