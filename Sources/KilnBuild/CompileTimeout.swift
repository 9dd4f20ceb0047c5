import Foundation

/// How long one compiler command may run before it is killed as hung: `$KILN_CC_TIMEOUT` seconds when set,
/// else 5 minutes plus 2 minutes per MiB of C in the unit.
///
/// Why a default this generous: the largest unit Kiln writes is about 8 MiB of C (an -O0 batch), and the
/// slowest real build (Lua at -O3, one core) compiles its largest unit in under a minute; a compiler that
/// has not finished after several times that is stuck, not slow. A `--cc` wrapper that waits for a licence
/// server or a network filesystem is the case this ends.
public enum CompileTimeout {
    public static let variable = "KILN_CC_TIMEOUT"

    public static func seconds(sourceBytes: Int = 0, environment: [String: String] = ProcessInfo.processInfo.environment) -> Double {
        if let text = environment[variable], let value = Double(text), value > 0, value.isFinite { return value }
        return 300 + 120 * Double(sourceBytes) / Double(1 << 20)
    }
}
