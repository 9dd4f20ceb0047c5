import Foundation
import Testing

/// The dependency rules of ARCHITECTURE.md section 4, checked by reading `import` lines and call sites
/// under `Sources/`, and the file-length limit of STYLE.md.
struct ImportRulesTests {
    struct SourceFile: Sendable, CustomStringConvertible {
        /// `KilnDecode`, from `Sources/KilnDecode/…`.
        let target: String
        /// Relative to the package root.
        let path: String
        let text: String
        var description: String { path }

        var lines: [Substring] { text.split(separator: "\n", omittingEmptySubsequences: false) }
        /// Lines as an editor counts them (a final newline does not start another line).
        var lineCount: Int {
            text.isEmpty ? 0 : text.split(separator: "\n", omittingEmptySubsequences: false).count - (text.hasSuffix("\n") ? 1 : 0)
        }
        var imports: [String] { lines.compactMap { ImportRulesTests.importedModule($0) } }
    }

    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every `.swift` file under `Sources/`.
    static let sources: [SourceFile] = {
        let root = packageRoot.appendingPathComponent("Sources")
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var files: [SourceFile] = []
        for case let url as URL in walker where url.pathExtension == "swift" {
            let relative = String(url.path.dropFirst(root.path.count + 1))
            guard let target = relative.split(separator: "/").first, relative.contains("/"),
                let data = FileManager.default.contents(atPath: url.path)
            else { continue }
            files.append(SourceFile(target: String(target), path: "Sources/" + relative, text: String(decoding: data, as: UTF8.self)))
        }
        return files.sorted { $0.path < $1.path }
    }()

    /// The module an `import` declaration names, or nil if the line is not one. Handles attributes
    /// (`@testable`, `@_exported`), access levels (`public import`) and kinds (`import struct M.T`).
    static func importedModule(_ line: Substring) -> String? {
        var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })[...]
        while let first = words.first, first.hasPrefix("@") || ["public", "package", "internal", "fileprivate", "private"].contains(first) {
            words = words.dropFirst()
        }
        guard words.first == "import" else { return nil }
        words = words.dropFirst()
        if let kind = words.first, ["struct", "class", "enum", "protocol", "typealias", "func", "var", "let"].contains(kind) {
            words = words.dropFirst()
        }
        guard let path = words.first, !path.hasPrefix("//") else { return nil }
        return String(path.split(separator: ".").first ?? path)
    }

    /// Targets whose files import `module`.
    static func targets(importing module: String) -> Set<String> {
        Set(sources.filter { $0.imports.contains(module) }.map(\.target))
    }

    @Test func importLinesAreRecognized() {
        #expect(Self.importedModule("import WasmParser") == "WasmParser")
        #expect(Self.importedModule("    import Glibc") == "Glibc")
        #expect(Self.importedModule("@testable import KilnDecode") == "KilnDecode")
        #expect(Self.importedModule("@_exported public import KilnModel") == "KilnModel")
        #expect(Self.importedModule("import struct WasmParser.Parser") == "WasmParser")
        #expect(Self.importedModule("internal import Foundation // for Data") == "Foundation")
        #expect(Self.importedModule("        importedFunctionCount = functions.count") == nil)
        #expect(Self.importedModule("/// import Foundation is not allowed here") == nil)
        #expect(Self.importedModule("let imports = module.imports") == nil)
    }

    @Test func sourcesAreFound() {
        // The rules below are vacuous if the walk finds nothing.
        let targets = Set(Self.sources.map(\.target))
        #expect(targets.isSuperset(of: ["KilnModel", "KilnDecode", "KilnValidate", "Kiln", "KilnWast", "KilnCommands", "kiln-driver"]))
        #expect(Self.targets(importing: "WasmParser").contains("KilnDecode"))
        #expect(Self.targets(importing: "KilnModel").contains("KilnValidate"))
    }

    @Test(arguments: ["WasmParser", "WasmTypes"])
    func onlyModelAndDecodeImportWasmParser(_ module: String) {
        let offenders = Self.targets(importing: module).subtracting(["KilnModel", "KilnDecode"])
        #expect(offenders.isEmpty, "\(module) imported by \(offenders.sorted())")
    }

    @Test func onlyDecodeAndWastImportWAT() {
        let offenders = Self.targets(importing: "WAT").subtracting(["KilnDecode", "KilnWast"])
        #expect(offenders.isEmpty, "WAT imported by \(offenders.sorted())")
    }

    /// The cache's content hashes, and the lowering's type keys (TypeKeys.swift: a type's identity across
    /// modules, which call_indirect trusts, so it must be collision-resistant).
    @Test func onlyCacheAndLoweringImportCrypto() {
        let offenders = Self.targets(importing: "Crypto").subtracting(["KilnCache", "KilnLower"])
        #expect(offenders.isEmpty, "Crypto imported by \(offenders.sorted())")
    }

    @Test func onlyCommandsImportsArgumentParser() {
        let offenders = Self.targets(importing: "ArgumentParser").subtracting(["KilnCommands"])
        #expect(offenders.isEmpty, "ArgumentParser imported by \(offenders.sorted())")
    }

    /// WasmKit's interpreter is the reference of the differential tests (not under Sources/) and the baseline
    /// of `kiln bench`, which runs it as the separate executable kiln-interp, and the reference of
    /// `make difftest` (the executable kiln-difftest), and the embedding API's peer in kiln-api-bench; no Kiln
    /// library target links it.
    @Test func onlyDifferentialTestsAndKilnInterpImportWasmKit() {
        let offenders = Self.targets(importing: "WasmKit").union(Self.targets(importing: "WasmKitWASI"))
            .subtracting(["kiln-interp", "kiln-difftest", "kiln-api-bench"])
        #expect(offenders.isEmpty, "WasmKit imported by \(offenders.sorted())")
    }

    @Test(arguments: ["KilnModel", "KilnDecode", "KilnValidate", "KilnLower"])
    func pureStagesDoNotImportFoundation(_ target: String) {
        let offenders = Self.sources.filter { file in
            file.target == target && file.imports.contains { $0 == "Foundation" || $0.hasPrefix("Foundation") }
        }
        #expect(offenders.isEmpty, "\(offenders.map(\.path))")
    }

    @Test(arguments: ["ExpressionParser", "NameSectionParser", "wat2wasm("])
    func onlyDecodeCallsWasmKitsParsers(_ name: String) {
        let offenders = Self.sources.filter { $0.target != "KilnDecode" && $0.text.contains(name) }
        #expect(offenders.isEmpty, "\(name) mentioned in \(offenders.map(\.path))")
    }

    @Test func decodeIsWhereTheParsersAreCalled() {
        // Keeps the rule above from passing because the names were misspelled here.
        let decode = Self.sources.filter { $0.target == "KilnDecode" }.map(\.text).joined()
        #expect(decode.contains("ExpressionParser"))
        #expect(decode.contains("NameSectionParser"))
        #expect(decode.contains("wat2wasm("))
    }

    @Test func lineCounting() {
        #expect(SourceFile(target: "T", path: "p", text: "a\nb\n").lineCount == 2)
        #expect(SourceFile(target: "T", path: "p", text: "a\nb").lineCount == 2)
        #expect(SourceFile(target: "T", path: "p", text: "").lineCount == 0)
        let longest = Self.sources.map(\.lineCount).max() ?? 0
        #expect(longest > 50)  // the walk read real files
    }

    @Test func noSourceFileExceeds800Lines() {
        let long = Self.sources.filter { $0.lineCount > 800 }.map { "\($0.path): \($0.lineCount) lines" }
        #expect(long.isEmpty, "\(long)")
    }
}
