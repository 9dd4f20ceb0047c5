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
        let data = readAll(pipe.fileHandleForReading.fileDescriptor)
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// Everything until end of file. FileHandle.readDataToEndOfFile traps on EINTR (seen when Foundation's
    /// SIGCHLD handling interrupts a read during a parallel spec run), so the loop retries it instead.
    static func readAll(_ fd: Int32) -> [UInt8] {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[0..<count])
            } else if count == 0 || errno != EINTR {
                return data
            }
        }
    }
}
