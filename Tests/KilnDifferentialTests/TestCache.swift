import Foundation

/// The artifact cache the `kiln` processes of this test run share (never the user's), removed when the test
/// process exits: one run's artifacts are tens of megabytes, and every run has a directory of its own.
enum TestCache {
    static let path: String = {
        atexit { try? FileManager.default.removeItem(atPath: TestCache.directory) }
        return directory
    }()
    private static let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-tests-cache-\(getpid())").path
}
