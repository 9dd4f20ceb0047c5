import ArgumentParser
import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// `--dir`, `--env` and `--argv0`, as `kiln run` and `kiln bench` take them (and as the C launcher and `--exe`
/// executables parse them in Runtime/host/command.c).
struct WASIOptions: ParsableArguments {
    @Option(name: .customLong("dir"), help: "Preopen HOST[::GUEST] for the guest (GUEST defaults to HOST).")
    var dirs: [String] = []

    @Option(name: .customLong("env"), help: "NAME=VALUE for the guest, or NAME to pass the host's value (none when the host has none).")
    var environment: [String] = []

    @Option(name: .customLong("argv0"), help: "The program name the guest sees as argv[0] (default: the module's file name).")
    var argv0: String?

    /// A `--dir` that cannot be opened is a usage error before anything is compiled, with the path and the
    /// reason (the same open(2) the runtime's preopen makes, Runtime/src/wasi/state.c).
    func validate() throws {
        for (host, _) in preopens {
            let fd = open(host, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { throw ValidationError("--dir \(host): \(String(cString: strerror(errno)))") }
            close(fd)
        }
    }

    /// Every variable as NAME=VALUE: a bare NAME gets the host's value, and is left out when the host does
    /// not set it (as wasmtime does; an empty value is not the same as none).
    var resolvedEnvironment: [String] {
        environment.compactMap { entry in
            if entry.contains("=") { return entry }
            return ProcessInfo.processInfo.environment[entry].map { "\(entry)=\($0)" }
        }
    }

    /// `resolvedEnvironment` as the guest gets it: the bytes given on the command line (`words`, the words
    /// before the module) and in the host's environment, not their UTF-8 repairs (RawArguments).
    func rawEnvironment(words: ArraySlice<[UInt8]>) -> [[UInt8]] {
        let equals = UInt8(ascii: "=")
        return rawEntries(words).compactMap { entry in
            if entry.contains(equals) { return entry }
            return RawArguments.environmentValue(entry).map { entry + [equals] + $0 }
        }
    }

    /// The `--env` values among `words` (`--env V` and `--env=V`), when they are the ones ArgumentParser
    /// parsed; else the parsed values' UTF-8.
    func rawEntries(_ words: ArraySlice<[UInt8]>) -> [[UInt8]] {
        let flag = Array("--env".utf8), joined = Array("--env=".utf8)
        var found: [[UInt8]] = []
        var i = words.startIndex
        while i < words.endIndex {
            if words[i] == flag, i + 1 < words.endIndex {
                found.append(words[i + 1])
                i += 2
                continue
            }
            if words[i].starts(with: joined) { found.append(Array(words[i].dropFirst(joined.count))) }
            i += 1
        }
        guard found.count == environment.count, zip(found, environment).allSatisfy({ RawArguments.reads($0, as: $1) }) else {
            return environment.map { Array($0.utf8) }
        }
        return found
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
        dirs.flatMap { ["--dir", $0] } + resolvedEnvironment.flatMap { ["--env", $0] } + (argv0.map { ["--argv0", $0] } ?? [])
    }
}
