import KilnModel
import WasmParser

/// Reads the code section without expanding locals, then hands WasmParser a copy of the bodies with the
/// locals removed so that its `ExpressionParser` can decode the instructions.
///
/// WasmParser's own code-section parser expands each body's locals with `Array(repeating:count:)` (up to
/// 100,000 per body), so a few bytes could make it allocate megabytes; a module of such bodies could ask
/// for terabytes. Kiln keeps the run-length form (`FunctionBody.locals`) and allocates only in proportion
/// to the bytes present.
/// > Note: <https://webassembly.github.io/spec/core/binary/modules.html#code-section>
enum CodeSectionReader {
    /// Declared locals above this are refused as an implementation limit: each becomes a C local.
    static let maxLocals: UInt64 = 1_000_000

    private struct RawBody {
        let bodyOffset: Int
        let locals: [FunctionBody.LocalRun]
        let expressionStart: Int
        let expressionEnd: Int
    }

    static func read(_ bytes: [UInt8], section: SectionScanner.Section, version: WasmVersion) throws(DecodeError) -> [FunctionBody] {
        var reader = ByteReader(bytes, from: section.contentStart, to: section.contentEnd)
        let count = try reader.u32()
        var raw: [RawBody] = []
        for _ in 0..<count {
            let bodyOffset = reader.offset
            let size = try reader.u32()
            let bodyStart = reader.offset
            guard Int(size) <= section.contentEnd - bodyStart else {
                throw .malformed("unexpected end of section or function: body declares \(size) bytes", at: bodyOffset)
            }
            let bodyEnd = bodyStart + Int(size)
            var body = ByteReader(bytes, from: bodyStart, to: bodyEnd)
            let runCount = try body.u32()
            var runs: [FunctionBody.LocalRun] = []
            var total: UInt64 = 0
            for _ in 0..<runCount {
                let runOffset = body.offset
                let n = try body.u32()
                let type = try valueType(&body, version: version)
                total += UInt64(n)
                guard total <= UInt64(UInt32.max) else { throw .tooManyLocals(total, at: runOffset) }
                if n > 0 { runs.append(.init(count: n, type: type)) }
            }
            guard total <= maxLocals else {
                throw .malformed("too many locals: \(total) declared, Kiln's limit is \(maxLocals)", at: bodyOffset)
            }
            raw.append(RawBody(bodyOffset: bodyOffset, locals: runs, expressionStart: body.offset, expressionEnd: bodyEnd))
            reader.offset = bodyEnd
        }
        guard reader.isAtEnd else { throw .sectionSizeMismatch(at: reader.offset) }
        return try decodeExpressions(bytes, raw, version: version)
    }

    static func valueType(_ reader: inout ByteReader, version: WasmVersion) throws(DecodeError) -> ValueType {
        let offset = reader.offset
        switch try reader.byte() {
        case 0x69 where version == .v3: return .ref(.exnRef)
        case let b where (b == 0x63 || b == 0x64) && version == .v3:
            return .ref(ReferenceType(isNullable: b == 0x63, heapType: try heapType(&reader)))
        case 0x7f: return .i32
        case 0x7e: return .i64
        case 0x7d: return .f32
        case 0x7c: return .f64
        case 0x7b: return .v128
        case 0x70: return .ref(.funcRef)
        case 0x6f: return .ref(.externRef)
        case let b: throw UnsupportedFeature.valueType(b, at: offset) ?? .malformed("malformed value type: 0x\(String(b, radix: 16))", at: offset)
        }
    }

    /// func, extern, or a type index; the other abstract heap types belong to proposals Kiln does not compile.
    /// > Note: <https://webassembly.github.io/spec/core/binary/types.html#heap-types>
    private static func heapType(_ reader: inout ByteReader) throws(DecodeError) -> HeapType {
        let offset = reader.offset
        guard offset < reader.end else { throw .unexpectedEnd(at: offset) }
        switch reader.bytes[offset] {
        case 0x70: reader.offset += 1; return .funcRef
        case 0x6f: reader.offset += 1; return .externRef
        case 0x69: reader.offset += 1; return .exnRef
        case let b where b >= 0x40 && b <= 0x7f:
            throw UnsupportedFeature.valueType(b, at: offset) ?? .malformed("malformed heap type: 0x\(String(b, radix: 16))", at: offset)
        default: return .concrete(typeIndex: try reader.typeIndexS33())
        }
    }

    /// Builds `header + code section` with every body's locals replaced by an empty vector and lets
    /// WasmParser turn it into `Code` values; records how far each expression moved.
    private static func decodeExpressions(_ bytes: [UInt8], _ raw: [RawBody], version: WasmVersion) throws(DecodeError) -> [FunctionBody] {
        let expressions = raw.map { bytes[$0.expressionStart..<$0.expressionEnd] }
        guard let codes = codes(for: expressions, features: ModuleDecoder.features(version)) else {
            throw .malformed("code section could not be decoded", at: raw.first?.bodyOffset ?? 0)
        }
        var bodies: [FunctionBody] = []
        for (index, body) in raw.enumerated() {
            bodies.append(FunctionBody(
                locals: body.locals, bodyOffset: body.bodyOffset, expressionOffset: body.expressionStart,
                code: codes[index].code, offsetDelta: body.expressionStart - codes[index].start))
            bodies[bodies.count - 1].version = version
        }
        return bodies
    }

    /// WasmParser `Code` values for expressions (no locals), each with the offset where its first
    /// instruction sits in the synthetic module WasmParser read.
    static func codes(for expressions: [ArraySlice<UInt8>], features: WasmFeatureSet) -> [(code: Code, start: Int)]? {
        var content: [UInt8] = []
        appendLEB(&content, UInt32(expressions.count))
        var starts: [Int] = []
        for expression in expressions {
            appendLEB(&content, UInt32(expression.count + 1))
            content.append(0x00)
            starts.append(content.count)
            content.append(contentsOf: expression)
        }
        var module: [UInt8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x0a]
        appendLEB(&module, UInt32(content.count))
        let contentBase = module.count
        module.append(contentsOf: content)

        var parser = Parser(bytes: module, features: features)
        var codes: [Code] = []
        do {
            while let payload = try parser.parseNext() {
                if case .codeSection(let parsed) = payload { codes = parsed }
            }
        } catch {
            return nil
        }
        guard codes.count == expressions.count else { return nil }
        return codes.indices.map { (codes[$0], contentBase + starts[$0]) }
    }

    static func appendLEB(_ out: inout [UInt8], _ value: UInt32) {
        var v = value
        repeat {
            var b = UInt8(v & 0x7f)
            v >>= 7
            if v != 0 { b |= 0x80 }
            out.append(b)
        } while v != 0
    }
}

