/// Copies of small functions into the units that call them from another unit, so that clang can inline them.
///
/// Why: a split module's units are separate translation units, and clang inlines only what it sees. wasm2c's
/// one file lets it inline every small helper (a getter, a varint decoder) into its callers; Kiln's units
/// called those across units. Callgrind, guard pages against wasm2c's guard build: QuickJS +2.6% and SQLite
/// +4.1% instructions, mostly in such calls (QuickJS functions 55, 57, 58, 1044; SQLite 81, 83, 1668).
///
/// A unit that calls a small function of another unit gets a `static` copy of it, named `func<N>_copy` (a
/// backtrace reads the index from the name, CNames), and its calls go to the copy. The original stays where it
/// was, for its own unit, the instance and the funcref table. Not with tail calls (their entries share one
/// table) or for a function with a large frame (its body is a second static function).
///
/// The cost is compile time: every copy is compiled once more in each unit that has one, and changing a small
/// function rebuilds the units that copy it. Measured on SQLite (clang CPU time at -O2, beside other work):
/// copies of functions up to 1600 bytes of C, +5.7% (4151 copies, +17% C); up to 4096 bytes and the copies'
/// own callees too, +64% (10510 copies), for Lua -2.6%, QuickJS -1.0%, SQLite -1.5% instructions. Callgrind
/// at 1600 bytes: Lua -2.0%, QuickJS -0.5%, the C++ exceptions program +0.4%, the other real programs within
/// 0.2%.
enum UnitCopies {
    /// The largest function (bytes of its C) that is copied: small helpers, which clang inlines at -O2
    /// (SQLite's functions 81 and 1668 are 1.4 and 1.6 KB).
    static let maximumBytes = 1600
    /// At most this many copies per unit, a bound on the growth of one unit's compile time.
    static let maximumPerUnit = 256

    static let suffix = "_copy"

    /// What only the text of a function with a large frame holds: its body's call (FunctionRender).
    static let largeFrameMark = "_body("

    /// Per unit, the indices of the functions it gets copies of, in index order. `units[u]` holds the texts of
    /// unit u's functions, `firstIndices[u]` the index of its first; `texts[i]` is the text of function
    /// `firstIndex + i`, `copyable(i)` whether function `firstIndex + i` may be copied.
    static func plan(units: [[String]], firstIndices: [Int], names: [String], firstIndex: Int, texts: [String],
                     copyable: (Int) -> Bool) -> [[Int]] {
        var index: [Substring: Int] = [:]
        for (i, name) in names.enumerated() { index[Substring(name)] = i }
        return units.enumerated().map { u, unitTexts in
            let own = firstIndices[u] - firstIndex..<firstIndices[u] - firstIndex + unitTexts.count
            var copied = Set<Int>()
            for text in unitTexts {
                UnitLocality.forEachFunctionName(in: text) { name in
                    guard let i = index[name], !own.contains(i), !copied.contains(i), copied.count < maximumPerUnit,
                          copyable(i) else { return }
                    copied.insert(i)
                }
            }
            return copied.sorted().map { firstIndex + $0 }
        }
    }

    /// `text` with every function name that `renames` holds replaced by its new name (whole identifiers only).
    static func renaming(_ text: String, _ renames: [Substring: String]) -> String {
        guard !renames.isEmpty else { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        var last = 0
        UnitLocality.forEachFunctionName(in: bytes) { range in
            guard let new = renames[Substring(decoding: bytes[range], as: UTF8.self)] else { return }
            out += bytes[last..<range.lowerBound]
            out += Array(new.utf8)
            last = range.upperBound
        }
        out += bytes[last...]
        return String(decoding: out, as: UTF8.self)
    }
}
