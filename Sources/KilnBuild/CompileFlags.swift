import KilnLower

/// Flags for generated code and the runtime copy inside an artifact.
public struct CompileFlags: Sendable, Hashable {
    public var optimization: Int
    public var sanitize: Bool
    public var warningsAsErrors: Bool
    /// Bounds mode "guard": no check per access; memories reserve 8 GiB and an access past the end faults,
    /// which the host's handler turns into the trap (Runtime/host/invoke.c). Explicit checks are the default.
    public var boundsGuard: Bool
    /// `-march=` for the artifact (`--target-cpu`); nil is the compiler's portable default. Never "native":
    /// `TargetCPU.resolve` names the host's CPU, so the cache key and metadata say what the code needs.
    public var targetCPU: String?
    /// Fuel and epoch checks in the generated code (KilnLower/Interruption.swift).
    public var interruption: Interruption
    /// Line tables that map code back to Wasm offsets, for the code offsets of trap backtraces (as wasmtime's
    /// `generate_address_map`, on by default). Without, frames show functions only, and clang compiles faster.
    public var addressMap: Bool

    public init(optimization: Int = 0, sanitize: Bool = false, warningsAsErrors: Bool = false, boundsGuard: Bool = false, targetCPU: String? = nil,
                interruption: Interruption = .none, addressMap: Bool = true) {
        self.targetCPU = targetCPU
        self.interruption = interruption
        self.addressMap = addressMap
        self.optimization = optimization
        self.sanitize = sanitize
        self.warningsAsErrors = warningsAsErrors
        self.boundsGuard = boundsGuard
    }

    /// The flags of the runtime compiled into artifacts: these without the address map (no frame in the
    /// runtime is a Wasm frame, and its line tables made a small module's artifact 2.5 times as large), so
    /// artifacts with and without one share one runtime object.
    public var runtime: CompileFlags {
        var flags = self
        flags.addressMap = false
        return flags
    }

    /// The options that change generated code, for cache keys and artifact metadata.
    public var codeOptions: [String] { ["opt=\(optimization)", "sanitize=\(sanitize)", "bounds=\(boundsGuard ? "guard" : "explicit")"] + (targetCPU.map { ["cpu=\($0)"] } ?? [])
        + interruption.codeOptions + (addressMap ? [] : ["address-map=false"]) }

    /// `-ffp-contract=off` keeps `a*b+c` from becoming an FMA, so float results are the spec's at every -O
    /// level. No `-frounding-math`: it turns every float operation into a constrained intrinsic that clang
    /// cannot vectorize (matmul ran 1.7x slower). The folds it prevented that Wasm can see (x-0, x*1, x/1
    /// and demote(promote(x)) passing a signaling NaN through) are blocked by kiln_f32_identity /
    /// kiln_f64_identity and the canonicalize in kiln_f32_demote_f64 instead (float_exprs.wast at -O2).
    public var arguments: [String] {
        // No sibling-call optimization: it would turn runaway recursion into a loop that never reaches
        // KILN_ENTER's stack check (call.wast at -O1 and above).
        var flags = ["-std=c11", "-fPIC", "-fvisibility=hidden", "-ffp-contract=off", "-fno-optimize-sibling-calls",
                     "-fno-strict-aliasing", "-O\(optimization)"]
        // Every function starts on a 64-byte line, so a hot loop's alignment does not depend on what the linker
        // happened to place before it: stencil2d's kernel ran 0.60 s or 0.81 s (native 0.55 s) depending on
        // whether the runtime object linked before it shifted it by 32 bytes.
        if optimization > 0 { flags.append("-falign-functions=64") }
        // Line tables only (no types, no variables, no columns): the #line numbers of generated functions are
        // Wasm code offsets (KilnLower/LineDirectives.swift), and with inlined helpers given their call site's
        // line, a trap's backtrace can name the instruction of every frame. They never change the generated
        // code; KILN_ADDRESS_MAP keeps each trap's call apart (kiln_trap.h), so none is merged into a line of
        // none. The order matters: a -g option after -gline-tables-only would ask for full debug information.
        // Cost, in clang's instructions on a unit of Lua: +7% at -O2, +28% at -O0 (locations of expressions).
        // DWARF 4, not clang's default 5: Debian bookworm's valgrind (3.19) gives up on a DWARF 5 file
        // ("unhandled dwarf2 abbrev form code 0x25") and so cannot profile or check an artifact at all.
        if addressMap { flags += ["-gdwarf-4", "-gno-inline-line-tables", "-gline-tables-only", "-gno-column-info", "-DKILN_ADDRESS_MAP=1"] }
        // -Wno-pass-failed: a loop Kiln marks `vectorize(assume_safety)` that clang then declines to vectorize
        // (a dropped load kept for its fault in bounds mode "guard") is a missed optimization, not a defect.
        if warningsAsErrors {
            flags += ["-Wall", "-Wextra", "-Werror", "-Wno-unused-parameter", "-Wno-unused-but-set-parameter", "-Wno-pass-failed"]
        } else {
            flags += ["-w"]
        }
        if boundsGuard { flags += ["-DKILN_BOUNDS_GUARD=1"] }
        if let targetCPU { flags += ["-march=\(targetCPU)"] }
        if sanitize { flags += ["-fsanitize=undefined,address", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer"] }
        return flags
    }
}
