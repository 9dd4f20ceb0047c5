import Foundation
import KilnDecode
import WAT

/// Writes the seed corpora of `make fuzz`: every module of the given `.wast` scripts as a binary, and the
/// given `.wasm` files as they are. `fuzz-seeds DECODE_DIR PIPELINE_DIR FILE...`: the decode corpus gets
/// every module, malformed and invalid ones included (they sit next to the decoder's edges); the pipeline
/// corpus gets only the modules a script expects to be valid.
@main enum FuzzSeeds {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard arguments.count >= 2 else {
            print("usage: fuzz-seeds DECODE_DIR PIPELINE_DIR FILE.wast|FILE.wasm...")
            exit(2)
        }
        let decodeDirectory = arguments[0], pipelineDirectory = arguments[1]
        for directory in [decodeDirectory, pipelineDirectory] {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var decodeCount = 0, pipelineCount = 0
        for path in arguments.dropFirst(2) {
            let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            if path.hasSuffix(".wasm") {
                guard let data = FileManager.default.contents(atPath: path) else { continue }
                write([UInt8](data), to: decodeDirectory, "\(stem).wasm")
                write([UInt8](data), to: pipelineDirectory, "\(stem).wasm")
                decodeCount += 1
                pipelineCount += 1
                continue
            }
            for (index, module) in modules(inScript: path).enumerated() {
                write(module.bytes, to: decodeDirectory, "\(stem)-\(index).wasm")
                decodeCount += 1
                if module.valid {
                    write(module.bytes, to: pipelineDirectory, "\(stem)-\(index).wasm")
                    pipelineCount += 1
                }
            }
        }
        print("fuzz-seeds: \(decodeCount) decode seeds in \(decodeDirectory), \(pipelineCount) pipeline seeds in \(pipelineDirectory)")
    }

    static func write(_ bytes: [UInt8], to directory: String, _ name: String) {
        FileManager.default.createFile(atPath: directory + "/" + name, contents: Data(bytes))
    }

    /// The binary form of every module in a script that WasmKit can encode, and whether the script expects it
    /// to be valid (a `module` directive) or not (`assert_invalid`, `assert_malformed`).
    static func modules(inScript path: String) -> [(bytes: [UInt8], valid: Bool)] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8),
            var script = try? parseWAST(text, features: ModuleDecoder.features)
        else { return [] }
        var found: [(bytes: [UInt8], valid: Bool)] = []
        while let (result, _) = script.nextDirectiveResult() {
            guard case .success(let directive) = result else { continue }
            switch directive {
            case .module(let module):
                if let bytes = encode(module.source) { found.append((bytes, true)) }
            case .assertInvalid(let module, _), .assertMalformed(let module, _):
                if let bytes = encode(module.source) { found.append((bytes, false)) }
            default: continue
            }
        }
        return found
    }

    static func encode(_ source: WAT.ModuleSource) -> [UInt8]? {
        switch source {
        case .text(let wat): return try? wat.encode(options: EncodeOptions(nameSection: true))
        case .binary(let bytes): return bytes
        case .quote(let bytes): return try? wat2wasm(String(decoding: bytes, as: UTF8.self), features: ModuleDecoder.features)
        }
    }
}
