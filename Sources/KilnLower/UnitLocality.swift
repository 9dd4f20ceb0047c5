/// Which functions of a split module only their own unit names, so that they can be `static` there.
///
/// Why: clang inlines a function into its only caller and drops it when nothing else can reach it, which it
/// may assume only of a function with internal linkage whose address nothing takes. wasm2c's one file of
/// static functions gets that for free; Kiln's units declared every function hidden in module.h, and the
/// instance took every function's address, so such a function stayed a call. With both gone (and funcrefs
/// only for LoweringContext.needsFuncref), callgrind counted fannkuch -4.3%, bytecode -2.4%, the C++
/// exceptions program -1.5%. A function another unit calls, or the instance names, stays hidden.
enum UnitLocality {
    /// The indices of the defined functions that no unit but their own and nothing in `instance` names.
    /// `names[i]` is the C name of function `firstIndex + i`; `units[u]` the texts of unit u's functions;
    /// `copies[u]` the texts of the copies unit u holds of other units' functions (UnitCopies).
    static func localFunctions(units: [[String]], names: [String], firstIndex: Int, instance: String,
                               copies: [[String]] = []) -> Set<Int> {
        var index: [Substring: Int] = [:]
        for (i, name) in names.enumerated() { index[Substring(name)] = firstIndex + i }
        var home: [Int: Int] = [:]
        var function = firstIndex
        for (u, texts) in units.enumerated() {
            for _ in texts {
                home[function] = u
                function += 1
            }
        }
        var named = Set<Int>()
        for (u, texts) in units.enumerated() {
            for text in texts + (u < copies.count ? copies[u] : []) {
                forEachFunctionName(in: text) { name in
                    if let i = index[name], home[i] != u { named.insert(i) }
                }
            }
        }
        forEachFunctionName(in: instance) { name in
            if let i = index[name] { named.insert(i) }
        }
        return Set(home.keys).subtracting(named)
    }

    /// Calls `body` with every identifier of `text` that starts with `func` and a digit (every function's C
    /// name does, CNames).
    static func forEachFunctionName(in text: String, _ body: (Substring) -> Void) {
        let bytes = Array(text.utf8)
        forEachFunctionName(in: bytes) { range in body(Substring(decoding: bytes[range], as: UTF8.self)) }
    }

    /// The same by byte ranges of `bytes` (UTF-8).
    static func forEachFunctionName(in bytes: [UInt8], _ body: (Range<Int>) -> Void) {
        func isIdentifier(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
        }
        var i = 0
        while i + 4 < bytes.count {
            if bytes[i] == 0x66, bytes[i + 1] == 0x75, bytes[i + 2] == 0x6E, bytes[i + 3] == 0x63,  // "func"
               bytes[i + 4] >= 0x30, bytes[i + 4] <= 0x39, i == 0 || !isIdentifier(bytes[i - 1]) {
                var end = i + 4
                while end < bytes.count, isIdentifier(bytes[end]) { end += 1 }
                body(i..<end)
                i = end
            } else {
                i += 1
            }
        }
    }

    /// A local function's text with its definition made static (the first `KILN_HIDDEN`: a function's text
    /// has one, on its own definition or its large-frame wrapper; its other parts are static already).
    static func makeStatic(_ text: String) -> String {
        guard let range = text.firstRange(of: "KILN_HIDDEN ") else { return text }
        var text = text
        text.replaceSubrange(range, with: localLinkage)
        return text
    }

    static let localLinkage = "static KILN_UNUSED "
}
