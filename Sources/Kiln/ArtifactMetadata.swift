import Foundation
import KilnBuild
import KilnModel
import KilnValidate

/// The record every artifact embeds (`kiln_module.metadata`): what built it and from what, so that
/// `kiln run app.so` can refuse an artifact of another Kiln or another target with a clear message.
public struct ArtifactMetadata: Codable, Sendable, Equatable {
    public var kilnVersion: String
    public var moduleSHA256: String
    public var options: [String]
    public var compiler: String
    public var compilerVersion: String
    public var target: String
    public var imports: [String]
    public var exports: [String]

    public init(validated: ValidatedModule, moduleSHA256: String, plan: BuildPlan, identity: CompilerIdentity) {
        kilnVersion = Kiln.version
        self.moduleSHA256 = moduleSHA256
        options = plan.flags.codeOptions
        compiler = identity.command
        compilerVersion = identity.version
        target = identity.target
        let space = validated.context.space
        imports = validated.module.imports.map { entry in
            switch entry.descriptor {
            case .function(let type): "\(entry.module).\(entry.name): func \(space.type(type)?.signature ?? "?")"
            case .table(let table): "\(entry.module).\(entry.name): table \(table.elementType.name)"
            case .memory: "\(entry.module).\(entry.name): memory"
            case .global(let global): "\(entry.module).\(entry.name): global \(global.valueType.name)"
            case .tag: "\(entry.module).\(entry.name): tag"
            }
        }
        exports = validated.module.exports.map { entry in
            switch entry.descriptor {
            case .function(let index): "\(entry.name): func \(space.functionType(index)?.signature ?? "?")"
            case .table: "\(entry.name): table"
            case .memory: "\(entry.name): memory"
            case .global: "\(entry.name): global"
            case .tag: "\(entry.name): tag"
            }
        }
    }

    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    public static func decode(_ text: String) -> ArtifactMetadata? {
        try? JSONDecoder().decode(ArtifactMetadata.self, from: Data(text.utf8))
    }

    /// Why this Kiln cannot run the artifact on this machine, or nil.
    public func incompatibility(hostTarget: String) -> String? {
        let ours = Kiln.version.split(separator: ".").prefix(2)
        let theirs = kilnVersion.split(separator: ".").prefix(2)
        if ours != theirs { return "it was built by Kiln \(kilnVersion), this is Kiln \(Kiln.version): recompile it with `kiln compile`" }
        if !Self.sameMachine(target, hostTarget) { return "it was built for \(target), this machine is \(hostTarget)" }
        return nil
    }

    /// Whether two target triples name the same machine: the vendor does not count. distcc runs clang with
    /// `-target x86_64-pc-linux-gnu` (its own build's triple) where clang itself says x86_64-unknown-linux-gnu;
    /// the code is the same.
    static func sameMachine(_ a: String, _ b: String) -> Bool {
        let x = a.split(separator: "-", omittingEmptySubsequences: false)
        let y = b.split(separator: "-", omittingEmptySubsequences: false)
        guard x.count >= 3, y.count >= 3, x.count == y.count else { return a == b }
        return x[0] == y[0] && x[2...] == y[2...]
    }
}
