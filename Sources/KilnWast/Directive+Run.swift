import Kiln
import KilnDecode
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
    case skipped
    /// Passed, but the rejection's wording differs from the script's.
    case passedWithDifferentMessage(String)
}

/// Runs one directive. Until the lowering lands, directives that need execution are skipped; every
/// module's validity, `assert_malformed` and `assert_invalid` are settled here.
enum DirectiveRunner {
    static func run(_ directive: WASTDirective) -> Outcome {
        switch directive {
        case .module(let module):
            if case .rejected(let error) = load(module.source) { return .failed("module rejected: \(error)") }
            return .passed
        case .moduleInstance:
            return .skipped
        case .assertMalformed(let module, let message):
            return expectRejection(load(module.source), message: message, malformed: true)
        case .assertInvalid(let module, let message):
            return expectRejection(load(module.source), message: message, malformed: false)
        case .assertUnlinkable(let wat, _):
            // The module must be valid; linking it needs the lowering.
            if case .rejected(let error) = load(WAT.ModuleSource.text(wat)) { return .failed("module rejected: \(error)") }
            return .skipped
        case .assertTrap(let execute, _), .assertReturn(let execute, _):
            if case .wat(let wat) = execute, case .rejected(let error) = load(WAT.ModuleSource.text(wat)) {
                return .failed("module rejected: \(error)")
            }
            return .skipped
        case .assertExhaustion, .assertException, .assertFuel, .assertOutOfFuel, .register, .invoke:
            return .skipped
        }
    }

    /// Encodes, decodes and validates a script module.
    static func load(_ source: WAT.ModuleSource) -> Loaded {
        let moduleSource: KilnDecode.ModuleSource
        switch source {
        case .text(let wat):
            do {
                moduleSource = .binary(try wat.encode(options: EncodeOptions(nameSection: true)))
            } catch {
                return .rejected(DecodeError(.text, "\(error)"))
            }
        case .binary(let bytes): moduleSource = .binary(bytes)
        case .quote(let bytes): moduleSource = .text(String(decoding: bytes, as: UTF8.self))
        }
        do {
            return .valid(try Kiln.validate(moduleSource))
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
