import Foundation

/// The system C compiler: `--cc`, else `$KILN_CC`, else `clang` on PATH. A launcher may come first
/// (`ccache clang`), so the setting is split into words.
public struct CCompiler: Sendable, Hashable {
    public let command: [String]

    public init(_ setting: String? = nil) {
        let chosen = setting ?? ProcessInfo.processInfo.environment["KILN_CC"] ?? "clang"
        let words = chosen.split(separator: " ").map(String.init)
        command = words.isEmpty ? ["clang"] : words
    }

    public var description: String { command.joined(separator: " ") }
}
