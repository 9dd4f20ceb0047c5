import WasmKit

/// The module under WasmKit's interpreter: the reference every Kiln configuration is compared with.
final class ReferenceSide {
    let instance: Instance
    let store: Store
    let log: LogBox
    let names: ExportEverything.Result

    static var configuration: EngineConfiguration {
        var configuration = EngineConfiguration()
        configuration.features.insert(.simd)  // WasmParser's default set lacks SIMD
        // The Wasm 3.0 features Scripts/difftest.py --features generates.
        configuration.features.formUnion([.tailCall, .memory64, .functionReferences, .exceptionHandling, .threads])
        return configuration
    }

    static func instantiate(_ binary: [UInt8], names: ExportEverything.Result) throws -> Instantiation<ReferenceSide> {
        let configuration = Self.configuration
        let module = try parseWasm(bytes: binary, features: configuration.features)
        let engine = Engine(configuration: configuration)
        let store = Store(engine: engine)
        let log = LogBox()
        var imports = Imports()
        for (name, signature) in FuzzingSupport.logs {
            let type: ValueType = switch signature {
            case "i": .i32
            case "j": .i64
            case "f": .f32
            case "d": .f64
            default: .v128
            }
            imports.define(module: FuzzingSupport.module, name: name, Function(store: store, parameters: [type]) { _, args in
                log.values += args.map(Val.init)
                return []
            })
        }
        do {
            let instance = try module.instantiate(store: store, imports: imports)
            return .ready(ReferenceSide(instance: instance, store: store, log: log, names: names))
        } catch let trap as Trap {
            return .trapped(TrapClass(message: Self.message(trap)))
        }
    }

    private init(instance: Instance, store: Store, log: LogBox, names: ExportEverything.Result) {
        self.instance = instance
        self.store = store
        self.log = log
        self.names = names
    }

    /// The trap's reason without the backtrace (whose function names could contain any word).
    static func message(_ trap: Trap) -> String {
        String(trap.description.split(separator: "\n").first ?? "")
    }

    /// Why the last call failed when it was neither a trap nor an exception (WasmKit's own errors: "missing rmw
    /// operands").
    private(set) var lastFailure: String?

    func call(_ export: String, _ arguments: [Val]) -> Outcome {
        guard let function = instance.exports[function: export] else { return .trap(.other) }
        lastFailure = nil
        let values = zip(arguments, function.type.parameters).map { Self.value($0, type: $1) }
        do {
            return .values(try function.invoke(values).map(Val.init))
        } catch let trap as Trap {
            return .trap(TrapClass(message: Self.message(trap)))
        } catch {
            // Uncaught Wasm exceptions arrive here too; what is no trap class at all is WasmKit's own failure.
            let kind = TrapClass(message: "\(error)")
            guard kind == .other else { return .trap(kind) }
            lastFailure = "\(error)"
            return .trap(.referenceFailure)
        }
    }

    func withMemory<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        guard let name = names.memory, let memory = instance.exports[memory: name] else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        let count = memory.byteCount
        guard count > 0 else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return memory.withUnsafeBufferPointer(offset: 0, count: count) { body($0) }
    }

    var globals: [Val] { names.globals.map { instance.exports[global: $0].map { Val($0.value) } ?? .ref(isNull: true) } }

    static func value(_ value: Val, type: ValueType) -> WasmKit.Value {
        switch value {
        case .i32(let v): return .i32(v)
        case .i64(let v): return .i64(v)
        case .f32(let v): return .f32(v)
        case .f64(let v): return .f64(v)
        case .v128(let b): return .v128(V128(bytes: b))
        case .ref:
            if case .ref(let r) = type, r.heapType == ReferenceType.externRef.heapType { return .ref(.extern(nil)) }
            return .ref(.function(nil))
        }
    }
}

extension Val {
    init(_ value: WasmKit.Value) {
        switch value {
        case .i32(let v): self = .i32(v)
        case .i64(let v): self = .i64(v)
        case .f32(let v): self = .f32(v)
        case .f64(let v): self = .f64(v)
        case .v128(let v): self = .v128(v.bytes)
        case .ref(let r):
            switch r {
            case .function(let a): self = .ref(isNull: a == nil)
            case .extern(let a): self = .ref(isNull: a == nil)
            case .exception(let a): self = .ref(isNull: a == nil)
            }
        }
    }
}
