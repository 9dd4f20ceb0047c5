import Foundation
import KilnCommands

@main
struct KilnCLI {
    static func main() {
        // `kiln` alone is a usage error, as a command that needs a module or a subcommand: the usage on
        // stderr and exit 2, not the help on stdout and success.
        if CommandLine.arguments.count == 1 {
            FileHandle.standardError.write(Data((KilnCommand.helpMessage() + "\n").utf8))
            exit(2)
        }
        KilnCommand.main()
    }
}
