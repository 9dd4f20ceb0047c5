import Foundation
import Kiln

/// One engine for the suite: -O0 (these modules are small and compile fast) with a cache of its own, removed
/// when the test process ends, so the runtime is compiled once for all the tests.
enum Shared {
    static let cacheDirectory = NSTemporaryDirectory() + "kiln-library-tests-\(getpid())"
    static let engine: Engine = {
        atexit { try? FileManager.default.removeItem(atPath: Shared.cacheDirectory) }
        return try! Engine(Configuration(optimization: 0, cache: .directory(cacheDirectory)))
    }()

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func temporaryDirectory(_ name: String) -> String {
        let path = NSTemporaryDirectory() + "kiln-library-\(name)-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
