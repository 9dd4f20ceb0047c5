import Foundation
import KilnLower

/// Where the objects of compiled units are kept between builds (the artifact cache; `Kiln.CachedUnitObjects`).
///
/// Why: a module redeployed with one function changed lowers to the same C in every unit but one (units are
/// cut where one function's change does not move them, and name no module offset), so a build that finds
/// those units' objects compiles one unit, instance.c and the link. `inputs` are everything that decides the
/// object besides the compiler and the runtime's headers, which the store adds: the compiled file's name and
/// its text and those of the program's files it includes, and the arguments it is compiled with.
public protocol UnitObjectStore: Sendable {
    /// Puts the stored object for `inputs` at `destination` (a hard link or a copy); false if there is none.
    func fetch(_ inputs: UnitInputs, to destination: String) -> Bool
    /// Keeps `object`, just compiled from `inputs` and linked; a store that cannot keep it says nothing.
    func keep(_ object: String, for inputs: UnitInputs)
    /// Forgets the object kept for `inputs`: it did not link.
    func discard(_ inputs: UnitInputs)
}

/// What a unit's object is compiled from, for `UnitObjectStore`.
///
/// The texts are taken without their comments (`CCode.withoutComments`): the generated C's comments name
/// module offsets (`@0x94d0`, `body at 0x94c9`) and the module's file name, which one function's change or a
/// new file name moves, while what clang makes of a text does not depend on its comments. The lines are kept,
/// since the line tables do depend on them.
public struct UnitInputs: Sendable {
    /// Each file's name and text (the unit's, then what it includes, in a fixed order) with their lengths,
    /// so that no two different sets of files give the same bytes.
    public let bytes: [UInt8]
    public let arguments: [String]

    /// The unit `name` of `program`: its text and, transitively, those of the program's files it includes.
    init(_ name: String, of program: [String: String], arguments: [String]) {
        var bytes: [UInt8] = []
        var seen: Set<String> = []
        var pending = [name]
        while let file = pending.popLast() {
            guard seen.insert(file).inserted, let text = program[file] else { continue }
            let code = CCode.withoutComments(text)
            bytes.append(contentsOf: "\(file)\u{0}\(code.count)\u{0}".utf8)
            bytes.append(contentsOf: code)
            pending += Self.includes(text).filter { program[$0] != nil }.reversed()
        }
        self.bytes = bytes
        self.arguments = arguments
    }

    /// The `#include "…"` names of a generated file, in order. Read byte by byte: a unit is hundreds of
    /// kilobytes, and splitting it into lines cost a tenth of a second of Lua's -O0 build.
    static func includes(_ text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            let directive = Array("#include \"".utf8)
            var names: [String] = []
            var start = 0  // of the current line
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != 0x0a { end += 1 }
                if end - start > directive.count, bytes[start] == 0x23,
                   directive.indices.allSatisfy({ bytes[start + $0] == directive[$0] }) {
                    let nameStart = start + directive.count
                    var close = nameStart
                    while close < end, bytes[close] != 0x22 { close += 1 }
                    if close < end { names.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[nameStart..<close]), as: UTF8.self)) }
                }
                start = end + 1
            }
            return names
        }
    }

    /// Whether the file starts as a relocatable object does (ELF `ET_REL`, Mach-O `MH_OBJECT`, 64-bit).
    static func isObjectFile(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 18)) ?? Data())
        guard head.count == 18 else { return false }
        if head[0..<4] == [0x7f, 0x45, 0x4c, 0x46] { return head[16] == 1 && head[17] == 0 }
        if head[0..<4] == [0xcf, 0xfa, 0xed, 0xfe] { return head[12] == 1 && head[13] == 0 }
        return false
    }

    /// Whether the unit `name` is worth keeping: a split module's function units (or an -O0 batch of them),
    /// not instance.c, which changes with every change to the module (it holds the body offsets, the data and
    /// the descriptor), and not a whole module.c, which the artifact's own entry keeps.
    static func kept(_ name: String, of program: [String: String]) -> Bool {
        let whole: Set = ["instance.c", "module.c"]
        return !whole.contains(name) && !includes(program[name] ?? "").contains(where: whole.contains)
    }
}

/// C source text read just far enough to tell comments from code.
enum CCode {
    /// `text` with each comment replaced by one space and the line breaks it spans, as translation phase 3
    /// does (so the lines after it keep their numbers). String and character literals are skipped whole: a
    /// `/*` inside one is no comment. Generated C has no line splices or trigraphs; text this misreads can only
    /// keep more than a comment, which makes the bytes more particular, never two texts the same.
    static func withoutComments(_ text: String) -> [UInt8] {
        var text = text
        return text.withUTF8 { withoutComments($0) }
    }

    static func withoutComments(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        let slash = UInt8(ascii: "/"), star = UInt8(ascii: "*"), newline = UInt8(ascii: "\n")
        let quote = UInt8(ascii: "\""), apostrophe = UInt8(ascii: "'"), backslash = UInt8(ascii: "\\")
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == slash, i + 1 < bytes.count, bytes[i + 1] == star {
                out.append(UInt8(ascii: " "))
                i += 2
                while i < bytes.count, !(bytes[i] == star && i + 1 < bytes.count && bytes[i + 1] == slash) {
                    if bytes[i] == newline { out.append(newline) }
                    i += 1
                }
                i += 2
            } else if byte == slash, i + 1 < bytes.count, bytes[i + 1] == slash {
                out.append(UInt8(ascii: " "))
                while i < bytes.count, bytes[i] != newline { i += 1 }
            } else if byte == quote || byte == apostrophe {
                out.append(byte)
                i += 1
                while i < bytes.count, bytes[i] != byte, bytes[i] != newline {
                    if bytes[i] == backslash, i + 1 < bytes.count {
                        out.append(bytes[i])
                        i += 1
                    }
                    out.append(bytes[i])
                    i += 1
                }
                if i < bytes.count { out.append(bytes[i]) }
                i += 1
            } else {
                out.append(byte)
                i += 1
            }
        }
        return out
    }
}
