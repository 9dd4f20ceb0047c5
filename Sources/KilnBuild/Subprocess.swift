import Foundation

/// Runs a command and captures its combined output. Foundation.Process lives only in this stage.
enum Subprocess {
    struct Result {
        let status: Int32
        let output: String
    }

    static func run(_ command: [String], in directory: String? = nil) throws(BuildError) -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw BuildError("cannot run \(command.first ?? ""): \(error.localizedDescription)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
