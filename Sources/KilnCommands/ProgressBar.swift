import Foundation

/// `compiling app.wasm [=====     ] 5/8 units` on stderr when stderr is a terminal; silent otherwise.
final class ProgressBar: @unchecked Sendable {
    private let stage: String
    private let enabled = isatty(2) != 0
    private let lock = NSLock()
    private var shown = false

    init(stage: String) { self.stage = stage }

    var report: @Sendable (Int, Int) -> Void { { [self] done, total in self.update(done, total) } }

    func update(_ done: Int, _ total: Int) {
        guard enabled, total > 0 else { return }
        lock.withLock {
            let width = 24
            let filled = width * done / total
            let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
            FileHandle.standardError.write(Data("\r\(stage) [\(bar)] \(done)/\(total) units".utf8))
            shown = true
        }
    }

    func finish() {
        lock.withLock {
            if shown { FileHandle.standardError.write(Data("\n".utf8)) }
        }
    }
}
