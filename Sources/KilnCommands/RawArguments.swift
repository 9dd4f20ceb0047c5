#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Command-line words and environment values as the OS passed them, byte for byte.
///
/// `CommandLine.arguments` (and so swift-argument-parser) and `ProcessInfo.environment` repair invalid UTF-8:
/// `\xff\xfe` arrives as two U+FFFD. A guest must see the bytes it was given, as under wasmtime and the C
/// launcher, so its words come from `CommandLine.unsafeArgv` and its variables from `getenv`.
enum RawArguments {
    /// Every word of this process's command line, argv[0] included.
    static var words: [[UInt8]] {
        (0..<Int(CommandLine.argc)).map { i in CommandLine.unsafeArgv[i].map { bytes($0) } ?? [] }
    }

    static func bytes(_ string: UnsafePointer<CChar>) -> [UInt8] {
        UnsafeRawBufferPointer(start: string, count: strlen(string)).map { $0 }
    }

    /// Whether `raw` is the word ArgumentParser parsed as `parsed` (the same bytes, once repaired).
    static func reads(_ raw: [UInt8], as parsed: String) -> Bool {
        String(decoding: raw, as: UTF8.self) == parsed
    }

    /// The raw form of `parsed`, which ArgumentParser took from the last `parsed.count` words of the command
    /// line: those words when they read as `parsed`, else the UTF-8 of `parsed` (a command parsed from words
    /// other than this process's, as in tests).
    static func trailing(_ parsed: [String], of words: [[UInt8]] = words) -> [[UInt8]] {
        guard words.count >= parsed.count else { return parsed.map { Array($0.utf8) } }
        let raw = Array(words.suffix(parsed.count))
        return zip(raw, parsed).allSatisfy { reads($0, as: $1) } ? raw : parsed.map { Array($0.utf8) }
    }

    /// The host's value of variable `name`, raw, or nil when it is unset.
    static func environmentValue(_ name: [UInt8]) -> [UInt8]? {
        let cName = name.map { CChar(bitPattern: $0) } + [0]
        return getenv(cName).map { bytes($0) }
    }
}
