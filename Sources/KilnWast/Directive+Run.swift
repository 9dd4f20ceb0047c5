import Kiln
import KilnDecode
import KilnLoad
import KilnModel
import KilnValidate
import WAT

/// A script module after decoding and validation.
enum Loaded {
    case valid(ValidatedModule)
    case rejected(any KilnError)
}

/// What one directive came to.
enum Outcome {
    case passed
    case failed(String)
    case skipped(String)
    /// Passed, but the rejection's wording differs from the script's.
    case passedWithDifferentMessage(String)
}

/// Runs one directive of a script through the AOT pipeline.
enum DirectiveRunner {
    static func run(_ directive: WASTDirective, _ session: WastSession) -> Outcome {
        guard session.plan != nil else { return validateOnly(directive, session) }
        switch directive {
        case .module(let module):
            if module.isDefinition {
                if case .rejected(let error) = load(module.source, session) { return .failed("module rejected: \(error)") }
                if let id = module.id { session.definitions[id] = module.source }
                session.lastDefinition = module.source
                return .passed
            }
            switch session.instantiate(module.source) {
            case .success(let instance):
                session.current = instance
                if let id = module.id { session.named[id] = instance }
                return .passed
            case .failure(let failure):
                return .failed("module failed: \(describe(failure))")
            }
        case .moduleInstance(let name, let definition):
            guard let source = definition.map({ session.definitions[$0] }) ?? session.lastDefinition else {
                return .failed("module instance: no module definition \(definition ?? "")")
            }
            switch session.instantiate(source) {
            case .success(let instance):
                session.current = instance
                if let name { session.named[name] = instance }
                return .passed
            case .failure(let failure):
                return .failed("module instance failed: \(describe(failure))")
            }
        case .assertMalformed(let module, let message):
            return expectRejection(load(module.source, session), message: message, malformed: true)
        case .assertInvalid(let module, let message):
            return expectRejection(load(module.source, session), message: message, malformed: false)
        case .assertUnlinkable(let wat, let message):
            switch session.instantiate(.text(wat)) {
            case .success: return .failed("module linked, expected \"\(message)\"")
            case .failure(.rejected(let error)) where error is LinkError:
                return error.reason.hasPrefix(message) ? .passed : .passedWithDifferentMessage("expected \"\(message)\", got \(error)")
            case .failure(let failure): return .failed("expected a link error \"\(message)\", got \(describe(failure))")
            }
        case .register(let name, let id):
            guard let instance = session.instance(id) else { return .failed("register: no module \(id ?? "")") }
            session.registered[name] = instance
            return .passed
        case .invoke(let invoke):
            if case .failure(let failure) = call(invoke, session) { return .failed(describe(failure)) }
            return .passed
        case .assertReturn(let execute, let expected):
            switch execute {
            case .invoke(let invoke):
                switch call(invoke, session) {
                case .success(let values): return Expectation.check(values, expected)
                case .failure(let failure): return .failed(describe(failure))
                }
            case .get(let module, let name):
                guard let value = session.instance(module)?.global(name) else { return .failed("no global \(name)") }
                return Expectation.check([value], expected)
            case .wat(let wat):
                if case .failure(let failure) = session.instantiate(.text(wat)) { return .failed(describe(failure)) }
                return .passed
            }
        case .assertTrap(let execute, let message):
            switch execute {
            case .invoke(let invoke): return expectTrap(call(invoke, session).map { _ in () }, message)
            case .wat(let wat): return expectTrap(session.instantiate(.text(wat)).map { _ in () }, message)
            case .get: return .failed("assert_trap of get")
            }
        case .assertExhaustion(let invoke, let message):
            return expectTrap(call(invoke, session).map { _ in () }, message)
        case .assertException(let execute):
            // A Wasm exception no handler caught: it reaches the host as its own kind of failure, never a trap.
            let result: Result<Void, WastSession.Failure> = switch execute {
            case .invoke(let invoke): call(invoke, session).map { _ in () }
            case .wat(let wat): session.instantiate(.text(wat)).map { _ in () }
            case .get: .failure(.other("assert_exception of get"))
            }
            switch result {
            case .success: return .failed("returned, expected an exception")
            case .failure(.rejected(let error)) where (error as? Trap)?.isException == true: return .passed
            case .failure(let failure): return .failed("expected an exception, got \(describe(failure))")
            }
        case .assertFuel, .assertOutOfFuel:
            return .skipped("fuel is not supported")
        }
    }

    /// Without a compiler: settles validity, counts execution as skipped.
    static func validateOnly(_ directive: WASTDirective, _ session: WastSession) -> Outcome {
        switch directive {
        case .module(let module):
            if case .rejected(let error) = load(module.source, session) { return .failed("module rejected: \(error)") }
            return .passed
        case .assertMalformed(let module, let message):
            return expectRejection(load(module.source, session), message: message, malformed: true)
        case .assertInvalid(let module, let message):
            return expectRejection(load(module.source, session), message: message, malformed: false)
        case .assertUnlinkable(let wat, _):
            if case .rejected(let error) = load(.text(wat), session) { return .failed("module rejected: \(error)") }
            return .skipped("validate only")
        case .assertTrap(.wat(let wat), _), .assertReturn(.wat(let wat), _):
            if case .rejected(let error) = load(.text(wat), session) { return .failed("module rejected: \(error)") }
            return .skipped("validate only")
        default:
            return .skipped("validate only")
        }
    }

    static func call(_ invoke: WASTInvoke, _ session: WastSession) -> Result<[Value], WastSession.Failure> {
        guard let instance = session.instance(invoke.module) else { return .failure(.other("no module \(invoke.module ?? "(current)")")) }
        do {
            return .success(try instance.invoke(invoke.name, invoke.args.map(Expectation.value)))
        } catch let error as any KilnError {
            return .failure(.rejected(error))
        } catch {
            return .failure(.other("\(error)"))
        }
    }

    static func expectTrap(_ result: Result<Void, WastSession.Failure>, _ message: String) -> Outcome {
        switch result {
        case .success: return .failed("returned, expected trap \"\(message)\"")
        case .failure(.rejected(let error)) where error is Trap:
            // The reference interpreter sometimes appends detail ("uninitialized element 2").
            let matches = error.reason.hasPrefix(message) || message.hasPrefix(error.reason)
            return matches ? .passed : .failed("trapped \"\(error.reason)\", expected \"\(message)\"")
        case .failure(let failure): return .failed("expected trap \"\(message)\", got \(describe(failure))")
        }
    }

    static func describe(_ failure: WastSession.Failure) -> String {
        switch failure {
        case .rejected(let error): "\(error)"
        case .other(let text): text
        }
    }

    /// Encodes, decodes and validates a script module.
    static func load(_ source: WAT.ModuleSource, _ session: WastSession) -> Loaded {
        let version = session.version
        let moduleSource: KilnDecode.ModuleSource
        switch source {
        case .text(let wat):
            do {
                moduleSource = .binary(try wat.encode(options: EncodeOptions(nameSection: true)))
            } catch {
                guard version == .v3, LegacyText.isLegacyFailure("\(error)") else { return .rejected(DecodeError(.text, "\(error)")) }
                switch session.legacyModuleBinary() {
                case .success(let bytes): moduleSource = .binary(bytes)
                case .failure(let error): return .rejected(error)
                }
            }
        case .binary(let bytes): moduleSource = .binary(bytes)
        case .quote(let bytes): moduleSource = .text(String(decoding: bytes, as: UTF8.self))
        }
        do {
            return .valid(try Kiln.validate(moduleSource, version: version))
        } catch let error as any KilnError {
            return .rejected(error)
        } catch {
            return .rejected(DecodeError(.malformed, "\(error)"))
        }
    }

    static func expectRejection(_ result: Loaded, message: String, malformed: Bool) -> Outcome {
        guard case .rejected(let error) = result else {
            return .failed("module accepted, expected \(malformed ? "malformed" : "invalid"): \"\(message)\"")
        }
        if error.reason.hasPrefix(message) { return .passed }
        return .passedWithDifferentMessage("expected \"\(message)\", got \(error.description)")
    }
}
