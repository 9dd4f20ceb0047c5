import Foundation
import KilnBuild
import KilnLower
import KilnModel
import KilnValidate

/// Lowering and building: a validated module to C, and C to a shared object.
extension Kiln {
    public static let version = "0.1.0"

    /// The module's C, as Kiln emits it.
    public static func lower(_ validated: ValidatedModule, name: String) throws -> CProgram {
        try ModuleLowerer.lower(validated, options: .init(name: name, kilnVersion: version))
    }

    /// Lowers and builds `validated` into `directory/module.so`; returns the path.
    public static func buildSharedObject(_ validated: ValidatedModule, name: String, plan: BuildPlan, directory: String) throws -> String {
        let program = try lower(validated, name: name)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw BuildError("cannot create \(directory): \(error.localizedDescription)")
        }
        return try plan.buildSharedObject(program, in: directory)
    }
}
