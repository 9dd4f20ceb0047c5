/// A duration on the command line (`--timeout`): a number with an optional unit, ms, s (the default), m or h,
/// as wasmtime's `-W timeout=` reads it.
enum DurationText {
    static func seconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        var number = Substring(text), scale = 1.0
        for (unit, factor) in units where text.hasSuffix(unit) {
            number = text.dropLast(unit.count)
            scale = factor
            break
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let value = Double(number) else { return nil }
        let seconds = value * scale
        return seconds.isFinite && seconds > 0 ? seconds : nil
    }
}
