import Foundation

/// Where the C runtime's headers and sources are:
/// 1. `$KILN_RUNTIME_DIR`;
/// 2. `../share/kiln/runtime` from the running program's own directory: where `make install` puts it beside
///    `bin/kiln-driver`, and where the Makefile links the checkout's `Runtime/` for the programs it builds
///    into `.build` (a relative link, so a moved checkout still finds it);
/// 3. the checkout this binary was built from (`Runtime/` beside `Sources/`), for programs SwiftPM alone built
///    (the test runner, a host program using the library in the checkout).
public struct RuntimeSources: Sendable {
    public let root: String

    public init() throws(BuildError) {
        if let dir = ProcessInfo.processInfo.environment["KILN_RUNTIME_DIR"] {
            // Absolute: units compile inside their work directory (BuildPlan.compileUnit).
            root = URL(fileURLWithPath: dir).standardizedFileURL.path
        } else if let installed = Self.besideExecutable(), FileManager.default.fileExists(atPath: installed + "/include/kiln.h") {
            root = installed
        } else {
            // This file is Sources/KilnBuild/RuntimeSources.swift.
            root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("Runtime").path
        }
        guard FileManager.default.fileExists(atPath: include + "/kiln.h") else {
            throw BuildError("the Kiln runtime is missing: no \(include)/kiln.h (set KILN_RUNTIME_DIR, or install Kiln with make install)")
        }
    }

    /// Where an installed runtime is, for the running program: `BIN/../share/kiln/runtime`, BIN the directory
    /// of the program's real path (the launcher and a symlinked `kiln-driver` resolve to it alike).
    static func besideExecutable() -> String? {
        guard let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() else { return nil }
        return executable.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("share/kiln/runtime").standardizedFileURL.path
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
