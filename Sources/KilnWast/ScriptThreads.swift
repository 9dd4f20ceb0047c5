import Foundation
import KilnDecode
import WAT

/// The threads proposal's script commands, which WasmKit's script parser does not know:
///
///     (thread $T (shared (module $M))* cmd*)   runs the commands on a thread of their own, now
///     (wait $T)                                 waits until that thread has run them all
///
/// They are found in the script's text before WasmKit parses it and blanked out of it (every byte but the
/// newlines becomes a space, so every line number stays). A thread's commands run in a session of their own (its
/// own store, as each Wasm thread is its own agent), which starts with the shared modules' instances under their
/// names: the commands register them and import their shared memory. The main script starts a thread when its
/// directives reach the thread's line, and waits for it at `wait` (or at its end).
/// > Note: <https://github.com/WebAssembly/threads/blob/main/interpreter/README.md>
struct ScriptThreads {
    enum Kind { case thread, wait }

    struct Form {
        let kind: Kind
        /// `$T`, or nil when the form names none.
        let name: String?
        /// The modules a thread shares with the main script.
        let shared: [String]
        /// The form's bytes in the script, and (for a thread) those of its commands.
        let range: Range<Int>
        let body: Range<Int>
        /// The line the form starts on (1-based).
        let line: Int
    }

    let forms: [Form]

    /// The script's top-level `thread` and `wait` forms; nil when it has none (or they cannot be read).
    init?(_ text: String) {
        let bytes = Array(text.utf8)
        var forms: [Form] = []
        var i = 0
        var line = 1
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "\n"):
                line += 1
                i += 1
            case UInt8(ascii: ";") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: ";"):
                while i < bytes.count && bytes[i] != UInt8(ascii: "\n") { i += 1 }
            case UInt8(ascii: "(") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: ";"):
                guard let close = (i + 2..<max(i + 2, bytes.count - 1)).first(where: { bytes[$0] == UInt8(ascii: ";") && bytes[$0 + 1] == UInt8(ascii: ")") }) else { return nil }
                line += bytes[i..<close].filter { $0 == UInt8(ascii: "\n") }.count
                i = close + 2
            case UInt8(ascii: "("):
                guard let end = Self.formEnd(bytes, from: i) else { return nil }
                var words = Self.words(bytes, i + 1, end - 1)
                let keyword = words.first.map { String(decoding: bytes[$0], as: UTF8.self) }
                if keyword == "thread" || keyword == "wait" {
                    words.removeFirst()
                    var name: String?
                    if let first = words.first, bytes[first.lowerBound] == UInt8(ascii: "$") {
                        name = String(decoding: bytes[first], as: UTF8.self)
                        words.removeFirst()
                    }
                    // `(shared (module $M))` clauses come before the commands.
                    var shared: [String] = []
                    var bodyStart = words.first?.lowerBound ?? end - 1
                    for word in words {
                        let text = String(decoding: bytes[word], as: UTF8.self)
                        guard text.hasPrefix("(shared") else { break }
                        shared += text.split(whereSeparator: { " \n\t()".contains($0) }).filter { $0.hasPrefix("$") }.map(String.init)
                        bodyStart = word.upperBound
                    }
                    forms.append(Form(kind: keyword == "thread" ? .thread : .wait, name: name, shared: shared,
                                      range: i..<end, body: bodyStart..<(end - 1), line: line))
                }
                line += bytes[i..<end].filter { $0 == UInt8(ascii: "\n") }.count
                i = end
            default:
                i += 1
            }
        }
        guard !forms.isEmpty else { return nil }
        self.forms = forms
    }

    /// The script without the forms, every line where it was.
    func mainText(_ text: String) -> String { Self.keeping(text, outside: forms.map(\.range)) }

    /// A thread's commands alone, every line where it was.
    func threadText(_ text: String, _ form: Form) -> String {
        let count = text.utf8.count
        return Self.keeping(text, outside: [0..<form.body.lowerBound, form.body.upperBound..<count])
    }

    /// `text` with the bytes in `ranges` made spaces, newlines kept.
    static func keeping(_ text: String, outside ranges: [Range<Int>]) -> String {
        var bytes = Array(text.utf8)
        for range in ranges {
            for i in range where bytes[i] != UInt8(ascii: "\n") { bytes[i] = UInt8(ascii: " ") }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The index just past the form that opens at `start`, strings and comments skipped.
    static func formEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var depth = 0
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                while i < bytes.count && bytes[i] != UInt8(ascii: "\"") { i += bytes[i] == UInt8(ascii: "\\") ? 2 : 1 }
            } else if b == UInt8(ascii: ";") && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: ";") {
                while i < bytes.count && bytes[i] != UInt8(ascii: "\n") { i += 1 }
                continue
            } else if b == UInt8(ascii: "(") && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: ";") {
                guard let close = (i + 2..<max(i + 2, bytes.count - 1)).first(where: { bytes[$0] == UInt8(ascii: ";") && bytes[$0 + 1] == UInt8(ascii: ")") }) else { return nil }
                i = close + 2
                continue
            } else if b == UInt8(ascii: "(") {
                depth += 1
            } else if b == UInt8(ascii: ")") {
                depth -= 1
                if depth == 0 { return i + 1 }
            }
            i += 1
        }
        return nil
    }

    /// The atoms and parenthesised forms between `start` and `end`, in order.
    static func words(_ bytes: [UInt8], _ start: Int, _ end: Int) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = start
        while i < end {
            let b = bytes[i]
            if b == UInt8(ascii: " ") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r") {
                i += 1
            } else if b == UInt8(ascii: ";") && i + 1 < end && bytes[i + 1] == UInt8(ascii: ";") {
                while i < end && bytes[i] != UInt8(ascii: "\n") { i += 1 }
            } else if b == UInt8(ascii: "(") {
                guard let close = formEnd(bytes, from: i) else { return out }
                out.append(i..<close)
                i = close
            } else {
                let from = i
                while i < end && !" \n\t\r()".utf8.contains(bytes[i]) { i += 1 }
                out.append(from..<i)
            }
        }
        return out
    }
}

/// The threads of one script as the main script reaches their forms: started at a `thread`, waited for at a
/// `wait` or at the script's end, their reports added to the script's.
final class RunningThreads {
    private let threads: ScriptThreads
    private let text: String
    private let main: WastSession
    private var next = 0
    /// Started threads by name (an unnamed one is ""), with what they report when done.
    private var started: [(name: String, done: DispatchSemaphore, box: ReportBox)] = []
    /// Problems of the forms themselves (an unknown shared module, a wait for no thread).
    private var problems: [WastReport.Failure] = []

    init(_ threads: ScriptThreads, text: String, main: WastSession) {
        self.threads = threads
        self.text = text
        self.main = main
    }

    /// Starts or waits for every form before `line`.
    func reach(_ line: Int) {
        while next < threads.forms.count, threads.forms[next].line < line {
            let form = threads.forms[next]
            next += 1
            switch form.kind {
            case .thread: start(form)
            case .wait:
                guard let index = started.lastIndex(where: { $0.name == (form.name ?? "") }) else {
                    problems.append(.init(line: form.line, directive: "wait", reason: "no thread \(form.name ?? "") to wait for"))
                    continue
                }
                started[index].done.wait()
                started[index].done.signal()  // a second wait for it returns at once
            }
        }
    }

    /// Waits for every thread still running and adds all the threads' reports to `report`.
    func finish(into report: inout WastReport) {
        reach(Int.max)
        for thread in started {
            thread.done.wait()
            guard let own = thread.box.report else { continue }
            report.passed += own.passed
            report.failed += own.failed
            report.skipped += own.skipped
            report.failures += own.failures
            report.messageMismatches += own.messageMismatches
        }
        report.failed += problems.count
        report.failures += problems
        report.failures.sort { $0.line < $1.line }
    }

    private func start(_ form: ScriptThreads.Form) {
        // Used by the new thread alone once it starts.
        nonisolated(unsafe) let session = WastSession(plan: main.plan, cache: main.cache, version: main.version, directory: main.directory + "/thread\(started.count)")
        session.script = text
        for name in form.shared {
            // Validating only, no module is instantiated: nothing to share.
            if let instance = main.named[name] { session.named[name] = instance } else if main.plan != nil {
                problems.append(.init(line: form.line, directive: "thread", reason: "no module \(name) to share"))
            }
        }
        let body = threads.threadText(text, form)
        let box = ReportBox()
        let done = DispatchSemaphore(value: 0)
        let file = (main.directory as NSString).lastPathComponent
        let thread = Thread {
            var report = WastReport(file: file)
            do {
                var script = try parseWAST(body, features: ModuleDecoder.features(session.version))
                WastRunner.runDirectives(&script, text: body, session: session, into: &report)
            } catch {
                report.failed += 1
                report.failures.append(.init(line: form.line, directive: "thread", reason: "\(error)"))
            }
            box.report = report
            done.signal()
        }
        // Guest recursion runs on it, as on the main script's (WastRunner.runFileOnLargeStack).
        thread.stackSize = 256 << 20
        thread.start()
        started.append((form.name ?? "", done, box))
    }
}
