import Foundation

/// An engine `kiln bench` times, and the command line of one of its runs.
enum BenchEngine: String, CaseIterable, Codable, Sendable {
    /// Kiln: `kiln run MODULE -- ARGS` from the artifact cache, as a user would run it.
    case aot
    /// WasmKit's interpreter with WasmKitWASI: `kiln-interp MODULE ARGS`.
    case interp

    /// `aot,interp` as `--engines` takes it: a comma-separated list without repeats, in the order the
    /// engines alternate.
    static func parseList(_ text: String) throws(BenchError) -> [BenchEngine] {
        var engines: [BenchEngine] = []
        for word in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = word.trimmingCharacters(in: .whitespaces)
            guard let engine = BenchEngine(rawValue: name) else {
                throw BenchError("--engines: unknown engine \"\(name)\" (the engines are aot and interp)")
            }
            guard !engines.contains(engine) else { throw BenchError("--engines: \(name) is named twice") }
            engines.append(engine)
        }
        return engines
    }

    /// Where to find kiln-interp: `--interp PATH`, else `$KILN_INTERP`, else next to the running kiln, which
    /// is where `swift build` puts both products.
    static func locateInterpreter(option: String?, environment: [String: String], kiln: String) throws(BenchError) -> String {
        if let option {
            guard isExecutableFile(option) else { throw BenchError("--interp \(option): not an executable file") }
            return option
        }
        if let path = environment["KILN_INTERP"], !path.isEmpty {
            guard isExecutableFile(path) else { throw BenchError("KILN_INTERP=\(path): not an executable file") }
            return path
        }
        let sibling = URL(fileURLWithPath: kiln).deletingLastPathComponent().appendingPathComponent("kiln-interp").path
        guard isExecutableFile(sibling) else {
            throw BenchError(
                "kiln-interp not found: looked for \(sibling), next to kiln; build it with "
                    + "`swift build --product kiln-interp` (with the same -c as kiln), or name it with --interp PATH or KILN_INTERP")
        }
        return sibling
    }

    private static func isExecutableFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
            && FileManager.default.isExecutableFile(atPath: path)
    }
}

/// A reason `kiln bench` stops without a report; printed as `error: <message>`.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
