import KilnModel

/// `typedef struct Instance { kiln_instance base; … } Instance;`: the runtime's view first, then the
/// arrays it points at, then the storage of what the module defines and its segments' state.
enum InstanceLayout {
    static func render(_ context: LoweringContext) -> String {
        let module = context.module
        let space = context.space
        func n(_ count: Int) -> Int { max(1, count) }
        var lines = ["typedef struct Instance {", "  kiln_instance base;"]
        lines.append("  kiln_funcref funcs[\(n(space.functionTypeIndices.count))];")
        lines.append("  kiln_memory* memories[\(n(space.memories.count))];")
        lines.append("  kiln_table* tables[\(n(space.tables.count))];")
        lines.append("  kiln_global* globals[\(n(space.globals.count))];")
        lines.append("  kiln_tag* tags[\(n(space.tagTypeIndices.count))];")
        lines.append("  kiln_tag tag_storage[\(n(module.tags.count))];")
        lines.append("  kiln_memory memory_storage[\(n(module.memories.count))];")
        lines.append("  kiln_table table_storage[\(n(module.tables.count))];")
        lines.append("  kiln_global global_storage[\(n(module.globals.count))];")
        lines.append("  u32 elem_size[\(n(module.elements.count))]; /* 0 once dropped */")
        lines.append("  u32 data_size[\(n(module.data.count))]; /* 0 once dropped */")
        for (i, segment) in module.elements.enumerated() {
            lines.append("  void* elem\(i)[\(n(segment.initializer.count))];")
        }
        lines.append("} Instance;")
        return lines.joined(separator: "\n")
    }
}

/// Data segments as static byte strings.
enum DataSection {
    static func bytes(_ segment: DataSegment) -> ArraySlice<UInt8> {
        switch segment {
        case .passive(let bytes): bytes
        case .active(let active): active.initializer
        }
    }

    /// `extern` declarations of the segments, for module.h when the C is split into units.
    static func declarations(_ module: Module) -> String {
        // Without the length (data_size has it): a unit's C must not change with a segment's contents.
        module.data.indices.map { "extern const u8 kiln_data\($0)[];" }
            .joined(separator: "\n")
    }

    static func render(_ module: Module, linkage: String = "static ") -> String {
        var lines: [String] = []
        for (i, segment) in module.data.enumerated() {
            let data = bytes(segment)
            var literal = ""
            // Long segments are split into lines of 64 bytes; adjacent literals concatenate.
            var start = data.startIndex
            repeat {
                let end = min(start + 64, data.endIndex)
                literal += "\n  " + cStringLiteral(data[start..<end])
                start = end
            } while start < data.endIndex
            // One byte more than the segment for the literal's NUL; the length travels in data_size.
            lines.append("\(linkage)const u8 kiln_data\(i)[\(data.count + 1)] KILN_UNUSED =\(literal);")
        }
        return lines.joined(separator: "\n")
    }
}
