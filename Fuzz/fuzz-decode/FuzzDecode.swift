import KilnDecode
import KilnFuzzSupport
import KilnLower
import KilnModel
import KilnValidate

/// Decodes and validates arbitrary bytes, and lowers what validates to C (in-process, no clang: that is
/// fuzz-pipeline's, at a few execs a second). Rejection is the expected outcome for almost every input; a
/// crash, a hang (libFuzzer's `-timeout`) or a memory blow-up (`-rss_limit_mb`, `-malloc_limit_mb`) is a bug,
/// in Kiln's decoder, validator or lowering, or in WasmKit's WasmParser below them.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecode(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do {
        let validated = try ModuleValidator.validate(ModuleDecoder.decode(bytes))
        _ = try ModuleLowerer.lower(validated, options: .init(name: "fuzz", kilnVersion: "fuzz"))
    } catch let error as any KilnError {
        // Rendering the message is part of the path under test (offsets, names).
        _ = error.message(module: "fuzz.wasm")
    } catch {
        _ = "\(error)"
    }
    return 0
}

@main enum FuzzDecodeMain {
    static func main() { FuzzEntry.main(fuzzDecode) }
}
