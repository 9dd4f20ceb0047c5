import KilnCommands

@main
struct KilnCLI {
    static func main() {
        KilnCommand.main()
    }
}
