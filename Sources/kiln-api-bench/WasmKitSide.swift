import WasmKit

/// The same operations through WasmKit 0.4.2's API, its interpreter running the code.
final class WasmKitSide {
    let engine = Engine()
    let module: Module
    let store: Store
    let instance: Instance
    let id: Function
    let calls: Function

    init(binary: [UInt8]) throws {
        module = try parseWasm(bytes: binary)
        store = Store(engine: engine)
        instance = try module.instantiate(store: store, imports: Self.imports(store))
        id = instance.exports[function: "id"]!
        calls = instance.exports[function: "calls"]!
    }

    static func imports(_ store: Store) -> Imports {
        var imports = Imports()
        imports.define(module: "host", name: "id", Function(store: store, parameters: [.i32], results: [.i32]) { _, arguments in [arguments[0]] })
        return imports
    }

    func hostToGuest(_ n: Int) throws -> Int32 {
        var sum: Int32 = 0
        for i in 0..<n {
            guard case .i32(let v) = try id([.i32(UInt32(truncatingIfNeeded: i))])[0] else { fatalError("not an i32") }
            sum &+= Int32(bitPattern: v)
        }
        return sum
    }

    func guestToHost(_ n: Int) throws -> Int32 {
        guard case .i32(let v) = try calls([.i32(UInt32(n))])[0] else { fatalError("not an i32") }
        return Int32(bitPattern: v)
    }

    func instantiate(_ n: Int) throws {
        for _ in 0..<n {
            let store = Store(engine: engine)
            _ = try module.instantiate(store: store, imports: Self.imports(store))
        }
    }
}
