import KilnModel

/// The C compiler failed: its own message and the command line, never swallowed.
public struct CompilerFailure: KilnError {
    public let command: [String]
    public let output: String
    public let status: Int32
    public var kind: String { "C compiler failed" }
    public var location: ErrorLocation { ErrorLocation() }
    public var reason: String {
        "exit status \(status)\n  command: \(command.joined(separator: " "))\n\(output)"
    }

    public init(command: [String], output: String, status: Int32) {
        self.command = command
        self.output = output
        self.status = status
    }
}

/// A build step outside the compiler failed (writing files, a missing runtime).
public struct BuildError: KilnError {
    public let reason: String
    public var kind: String { "build failed" }
    public var location: ErrorLocation { ErrorLocation() }
    public init(_ reason: String) { self.reason = reason }
}
