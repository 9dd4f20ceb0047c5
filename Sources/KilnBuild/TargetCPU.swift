/// `--target-cpu`: a CPU name for `-march=`, or "native" for the one this machine has, resolved to its
/// name (what `clang -march=native` would pick), so that an artifact built here names the CPU it needs.
public enum TargetCPU {
    public static func resolve(_ name: String, compiler: CCompiler) throws(BuildError) -> String {
        guard name == "native" else { return name }
        let result = try Subprocess.run(compiler.command + ["-march=native", "-###", "-c", "-x", "c", "/dev/null"])
        // The driver prints the cc1 command line: … "-target-cpu" "znver5" …
        let words = result.output.split(separator: "\"").map(String.init)
        guard let i = words.firstIndex(of: "-target-cpu"), i + 2 < words.count else {
            throw BuildError("cannot tell which CPU -march=native means to \(compiler.description)")
        }
        return words[i + 2]
    }
}
