import KilnModel
import WAT
import WasmParser

/// What a module comes from: binary bytes or `.wat` text. Text is accepted wherever a module is.
///
/// Reading files is the caller's business (this stage does no I/O); `ModuleSource.detect` tells the two
/// forms apart by the binary magic, so a `.wasm` file that is really text still works.
public enum ModuleSource: Sendable {
    case binary([UInt8])
    case text(String)

    /// Binary if the bytes start with `\0asm`, else text if they are UTF-8, else binary (and malformed).
    public static func detect(_ bytes: [UInt8]) -> ModuleSource {
        if bytes.starts(with: [0x00, 0x61, 0x73, 0x6d]) { return .binary(bytes) }
        if let text = String(validating: bytes, as: UTF8.self), looksLikeText(text) { return .text(text) }
        return .binary(bytes)
    }

    private static func looksLikeText(_ text: String) -> Bool {
        text.utf8.contains(UInt8(ascii: "(")) && !text.utf8.contains(0)
    }

    /// The module's binary form; text is translated with WasmKit's `wat2wasm`.
    public func binary(version: WasmVersion = .v3) throws(DecodeError) -> [UInt8] {
        switch self {
        case .binary(let bytes):
            guard !bytes.isEmpty else { throw DecodeError(.unreadable, "the file is empty") }
            return bytes
        case .text(let text):
            let depth = TextNesting.depth(text)
            guard depth <= TextNesting.limit else {
                throw DecodeError(.text, "nesting too deep: \(depth) levels of parentheses, Kiln reads text up to \(TextNesting.limit) (binary modules have no limit)")
            }
            do {
                return try wat2wasm(text, features: ModuleDecoder.features(version), options: EncodeOptions(nameSection: true))
            } catch {
                throw DecodeError(.text, Self.describe(error))
            }
        }
    }

    /// Decodes the module, from text through binary when needed.
    public func decode(version: WasmVersion = .v3) throws(DecodeError) -> Module {
        try ModuleDecoder.decode(binary(version: version), version: version)
    }

    static func describe(_ error: WatParserError) -> String {
        guard let location = error.location else { return error.description }
        let (line, column) = location.computeLineAndColumn()
        return "\(line):\(column): \(message(error))"
    }

    /// WatParserError's description appends " at <location>"; keep only the message.
    private static func message(_ error: WatParserError) -> String {
        let text = error.description
        guard error.location != nil, let at = text.range(ofLast: " at ") else { return text }
        return String(text[..<at.lowerBound])
    }
}

extension String {
    /// The last occurrence of `needle` (no Foundation in this stage).
    func range(ofLast needle: String) -> Range<String.Index>? {
        var index = endIndex
        while index > startIndex {
            index = self.index(before: index)
            if self[index...].hasPrefix(needle) { return index..<self.index(index, offsetBy: needle.count) }
        }
        return nil
    }
}
