import ArgumentParser
import Kiln
import KilnModel

/// `kiln validate m.wasm…`: decode and validate; `NAME: valid` and exit 0, or the error and exit 1 (the same
/// line for one module as for many, so a script reads either alike).
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Decode and validate modules (.wasm or .wat).")

    @Argument(help: "Modules to validate.")
    var modules: [String]

    func run() throws {
        var failed = false
        for path in modules {
            do {
                _ = try Kiln.validate(path: path)
                print("\(path): valid")
            } catch {
                failed = true
                printError(error, module: path)
            }
        }
        if failed { throw ExitCode(1) }
    }
}

/// `kiln describe m.wasm`: validate, then list imports, exports and functions.
struct Describe: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate a module and describe its imports, exports and functions.")

    @Argument(help: "The module (.wasm or .wat).")
    var module: String

    func run() throws {
        do {
            let validated = try Kiln.validate(path: module)
            print("\(module): valid")
            print(ModuleDescription.describe(validated))
        } catch {
            printError(error, module: module)
            throw ExitCode(1)
        }
    }
}
