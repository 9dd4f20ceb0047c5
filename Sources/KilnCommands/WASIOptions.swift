import ArgumentParser
import Foundation

/// `--dir` and `--env`, as `kiln run` and `kiln bench` take them (and as the C launcher and `--exe`
/// executables parse them in Runtime/host/command.c).
struct WASIOptions: ParsableArguments {
    @Option(name: .customLong("dir"), help: "Preopen HOST[::GUEST] for the guest (GUEST defaults to HOST).")
    var dirs: [String] = []

    @Option(name: .customLong("env"), help: "NAME=VALUE for the guest, or NAME to pass the host's value.")
    var environment: [String] = []

    /// Every variable as NAME=VALUE: a bare NAME gets the host's value, empty when unset.
    var resolvedEnvironment: [String] {
        environment.map { entry in
            if entry.contains("=") { return entry }
            return "\(entry)=\(ProcessInfo.processInfo.environment[entry] ?? "")"
        }
    }

    var preopens: [(host: String, guest: String)] {
        dirs.map { entry in
            if let range = entry.range(of: "::") {
                return (String(entry[..<range.lowerBound]), String(entry[range.upperBound...]))
            }
            return (entry, entry)
        }
    }

    /// The same options as words for another program (`kiln run`, kiln-interp), variables resolved.
    var arguments: [String] {
        dirs.flatMap { ["--dir", $0] } + resolvedEnvironment.flatMap { ["--env", $0] }
    }
}
