import CKilnHost

/// Something an import can be satisfied with: an export of another instance, or a host object.
public enum ExternalValue: @unchecked Sendable {
    /// A function reference with its type's signature strings.
    case function(kiln_funcref, params: String, results: String)
    case hostFunction(HostFunction)
    case table(UnsafeMutablePointer<kiln_table>)
    case memory(UnsafeMutablePointer<kiln_memory>)
    case global(UnsafeMutablePointer<kiln_global>)
    /// An exception tag: importers share the exporter's, which is its identity.
    case tag(UnsafeMutablePointer<kiln_tag>)

    var kindName: String {
        switch self {
        case .function, .hostFunction: "func"
        case .table: "table"
        case .memory: "memory"
        case .global: "global"
        case .tag: "tag"
        }
    }
}
