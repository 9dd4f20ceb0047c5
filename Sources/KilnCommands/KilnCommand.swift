import ArgumentParser
import Kiln

/// `kiln`: the root command and its subcommands.
public struct KilnCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kiln",
        abstract: "An ahead-of-time WebAssembly compiler by way of C.",
        discussion: "`kiln [OPTIONS] MODULE [ARGS...]` runs MODULE as `kiln run [OPTIONS] MODULE [ARGS...]` does.",
        version: KilnVersion.string,
        subcommands: [Run.self, Compile.self, Bench.self, Validate.self, Describe.self, Wast.self, CacheCommand.self, OptimizeInBackground.self]
    )

    public init() {}
}

/// The version `kiln --version` prints: the one artifacts record in their metadata (`Kiln.version`).
public enum KilnVersion {
    public static var string: String { Kiln.version }
}
