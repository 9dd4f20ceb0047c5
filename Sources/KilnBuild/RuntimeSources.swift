import Foundation

/// Where the C runtime's headers and sources are: `$KILN_RUNTIME_DIR`, else the checkout this binary was
/// built from (`Runtime/` beside `Sources/`).
public struct RuntimeSources: Sendable {
    public let root: String

    public init() throws(BuildError) {
        if let dir = ProcessInfo.processInfo.environment["KILN_RUNTIME_DIR"] {
            root = dir
        } else {
            // This file is Sources/KilnBuild/RuntimeSources.swift.
            root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Runtime").path
        }
        guard FileManager.default.fileExists(atPath: include + "/kiln.h") else {
            throw BuildError("the Kiln runtime is missing: no \(include)/kiln.h (set KILN_RUNTIME_DIR)")
        }
    }

    public var include: String { root + "/include" }

    /// The runtime sources compiled into every artifact (not the host-only `host/` folder).
    public var sources: [String] {
        let dir = root + "/src"
        let names = (FileManager.default.subpaths(atPath: dir) ?? []).filter { $0.hasSuffix(".c") }
        return names.sorted().map { dir + "/" + $0 }
    }

    /// Every file that affects generated artifacts, for cache keys.
    public var fingerprintFiles: [String] {
        let headers = ((try? FileManager.default.contentsOfDirectory(atPath: include)) ?? []).sorted().map { include + "/" + $0 }
        let privateHeaders = (FileManager.default.subpaths(atPath: root + "/src") ?? []).filter { $0.hasSuffix(".h") }
        return headers + privateHeaders.sorted().map { root + "/src/" + $0 } + sources
    }
}
