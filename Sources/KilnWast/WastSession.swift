import Foundation
import Kiln
import KilnBuild
import KilnDecode
import KilnLoad
import KilnModel
import KilnValidate
import WAT

/// The state of one script as it runs: the store, the modules by name, the registered ones, and the
/// spectest host. Each module is lowered to C, built into a shared object and instantiated.
final class WastSession {
    let store = Store()
    let spectest: SpectestHost
    let plan: BuildPlan?
    /// Artifacts by their generated C (`kiln wast --cache`), or nil to build each module afresh.
    let cache: LoweredArtifactCache?
    let version: WasmVersion
    let directory: String
    var current: Instance?
    var named: [String: Instance] = [:]
    /// `(module definition $M …)`: validated, instantiated by each `(module instance $I $M)` (generative:
    /// every instance its own).
    var definitions: [String: WAT.ModuleSource] = [:]
    var lastDefinition: WAT.ModuleSource?
    var registered: [String: Instance] = [:]
    var moduleCount = 0
    /// The script's text and where the running directive starts, for the modules WasmKit cannot read
    /// (LegacyText.swift).
    var script = ""
    var directiveLocation: Location?

    init(plan: BuildPlan?, cache: LoweredArtifactCache? = nil, version: WasmVersion, directory: String) {
        self.plan = plan
        self.cache = cache
        self.version = version
        self.directory = directory
        self.spectest = SpectestHost(store: store)
    }

    enum Failure: Error {
        case rejected(any KilnError)
        case other(String)
    }

    /// Decodes, validates, compiles and instantiates a script module.
    func instantiate(_ source: WAT.ModuleSource) -> Result<Instance, Failure> {
        let validated: ValidatedModule
        switch DirectiveRunner.load(source, self) {
        case .rejected(let error): return .failure(.rejected(error))
        case .valid(let module): validated = module
        }
        guard let plan else { return .failure(.other("no C compiler plan")) }
        moduleCount += 1
        do {
            let artifact: SharedObject
            if let cache {
                // One name for every module, so that equal modules have equal C wherever they appear.
                artifact = try cache.load(validated, name: "wast-module", plan: plan)
            } else {
                artifact = try SharedObject(path: try Kiln.buildSharedObject(
                    validated, name: "module\(moduleCount)", plan: plan, directory: "\(directory)/m\(moduleCount)"))
            }
            let instance = try Linker.instantiate(artifact, in: store) { [unowned self] module, name in
                if let instance = self.registered[module] { return instance.export(name) }
                if module == "spectest" { return self.spectest.resolve(name) }
                return nil
            }
            return .success(instance)
        } catch let error as any KilnError {
            return .failure(.rejected(error))
        } catch {
            return .failure(.other("\(error)"))
        }
    }

    /// The running directive's module, encoded by wasm-tools after its legacy try blocks are unfolded.
    func legacyModuleBinary() -> Result<[UInt8], DecodeError> {
        guard let line = directiveLocation?.computeLineAndColumn().line,
            let text = LegacyText.moduleText(in: script, line: line)
        else { return .failure(DecodeError(.text, "cannot find the module's text")) }
        return LegacyText.encode(text)
    }

    func instance(_ id: String?) -> Instance? {
        if let id { return named[id] }
        return current
    }
}
