/// `--target-cpu`: a CPU name for `-march=`, or "native" for the one this machine has, resolved to its
/// name (what `clang -march=native` would pick), so that an artifact built here names the CPU it needs.
public enum TargetCPU {
    public static func resolve(_ name: String, compiler: CCompiler) throws(BuildError) -> String {
        guard name == "native" else { return name }
        let cpu = try CompilerIdentity.of(compiler).nativeCPU
        guard !cpu.isEmpty else { throw BuildError("cannot tell which CPU -march=native means to \(compiler.description)") }
        return cpu
    }
}
