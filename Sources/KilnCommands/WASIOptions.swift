import ArgumentParser
import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// `--dir`, `--readonly-dir`, `--env` and `--argv0`, as `kiln run` and `kiln bench` take them (and as the C
/// launcher and `--exe` executables parse them in Runtime/host/command.c).
struct WASIOptions: ParsableArguments {
    @Option(name: .customLong("dir"), help: "Preopen HOST[::GUEST] for the guest (GUEST defaults to HOST).")
    var dirs: [String] = []

    @Option(
        name: .customLong("readonly-dir"),
        help: "Preopen HOST[::GUEST] read-only: the guest can read it but change nothing in it (EPERM).")
    var readonlyDirs: [String] = []

    @Option(name: .customLong("env"), help: "NAME=VALUE for the guest, or NAME to pass the host's value (none when the host has none).")
    var environment: [String] = []

    @Option(name: .customLong("argv0"), help: "The program name the guest sees as argv[0] (default: the module's file name).")
    var argv0: String?

    /// A `--dir` or `--readonly-dir` that cannot be opened is a usage error before anything is compiled,
    /// with the path and the reason (the same open(2) the runtime's preopen makes, Runtime/src/wasi/state.c).
    func validate() throws {
        for preopen in preopens(words: RawArguments.words.dropFirst()) {
            let fd = open(preopen.host, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else {
                let option = preopen.readOnly ? "--readonly-dir" : "--dir"
                throw ArgumentParser.ValidationError("\(option) \(preopen.host): \(String(cString: strerror(errno)))")
            }
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

    /// The preopens, on guest fds 3, 4, … in the order their `--dir` and `--readonly-dir` options come among
    /// `words` (the words before the module), as the C launcher keeps them.
    func preopens(words: ArraySlice<[UInt8]>) -> [(host: String, guest: String, readOnly: Bool)] {
        orderedEntries(words: words).map { entry, readOnly in
            if let range = entry.range(of: "::") {
                return (String(entry[..<range.lowerBound]), String(entry[range.upperBound...]), readOnly)
            }
            return (entry, entry, readOnly)
        }
    }

    /// The `--dir` and `--readonly-dir` values, HOST[::GUEST], in command-line order. ArgumentParser keeps
    /// each option's values apart, so the order across the two comes from `words`; when they are not the
    /// words ArgumentParser parsed (a command parsed from words other than this process's, as in tests),
    /// every `--dir` comes first, then every `--readonly-dir`.
    func orderedEntries(words: ArraySlice<[UInt8]>) -> [(entry: String, readOnly: Bool)] {
        let found = Self.preopenOptions(words)
        let fallback = dirs.map { ($0, false) } + readonlyDirs.map { ($0, true) }
        guard found.filter({ !$0.readOnly }).map(\.value).elementsEqual(dirs, by: RawArguments.reads),
            found.filter(\.readOnly).map(\.value).elementsEqual(readonlyDirs, by: RawArguments.reads)
        else { return fallback }
        var next = (dirs: dirs.makeIterator(), readonly: readonlyDirs.makeIterator())
        return found.compactMap { option in
            let entry = option.readOnly ? next.readonly.next() : next.dirs.next()
            return entry.map { ($0, option.readOnly) }
        }
    }

    /// The `--dir` and `--readonly-dir` values among `words` (`--dir V` and `--dir=V`), in order.
    static func preopenOptions(_ words: ArraySlice<[UInt8]>) -> [(value: [UInt8], readOnly: Bool)] {
        let dir = Array("--dir".utf8), readonlyDir = Array("--readonly-dir".utf8), equals = UInt8(ascii: "=")
        var found: [(value: [UInt8], readOnly: Bool)] = []
        var i = words.startIndex
        while i < words.endIndex {
            let word = words[i]
            i += 1
            for (flag, readOnly) in [(dir, false), (readonlyDir, true)] {
                if word == flag, i < words.endIndex {
                    found.append((words[i], readOnly))
                    i += 1
                } else if word.starts(with: flag + [equals]) {
                    found.append((Array(word.dropFirst(flag.count + 1)), readOnly))
                }
            }
        }
        return found
    }

    /// The same options as words for another program (`kiln run`, kiln-interp), preopens in the order
    /// `orderedEntries(words:)` gives them, variables resolved.
    func arguments(words: ArraySlice<[UInt8]>) -> [String] {
        let preopens = orderedEntries(words: words).flatMap { entry, readOnly in [readOnly ? "--readonly-dir" : "--dir", entry] }
        return preopens + resolvedEnvironment.flatMap { ["--env", $0] } + (argv0.map { ["--argv0", $0] } ?? [])
    }
}
