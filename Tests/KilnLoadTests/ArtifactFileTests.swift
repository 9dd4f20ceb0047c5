import Foundation
import Testing

@testable import KilnLoad

/// The checks made on an artifact's file before dlopen, on hand-made ELF headers (a real artifact is checked
/// end to end in KilnCommandsTests/ArtifactCheckTests).
struct ArtifactFileTests {
    static func inspect(_ bytes: [UInt8]) throws -> ArtifactFileError? {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-artifact-\(UUID().uuidString).so").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        return #expect(throws: ArtifactFileError.self) { try ArtifactFile.inspect(path: path) }
    }

    /// A 64-byte ELF64 little-endian header of a shared object for this machine, with section headers claimed
    /// at `shoff` (`shnum` of them).
    static func header(machine: UInt16 = ELFFile.hostMachine, type: UInt16 = 3, shoff: UInt64 = 64, shnum: UInt16 = 1) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 64)
        bytes[0..<6] = [0x7f, 0x45, 0x4c, 0x46, 2, 1][...]
        func put(_ value: UInt64, at offset: Int, width: Int) {
            for i in 0..<width { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
        }
        put(UInt64(type), at: 16, width: 2)
        put(UInt64(machine), at: 18, width: 2)
        put(64, at: 32, width: 8)  // e_phoff
        put(shoff, at: 40, width: 8)
        put(56, at: 54, width: 2)  // e_phentsize
        put(0, at: 56, width: 2)  // e_phnum
        put(64, at: 58, width: 2)  // e_shentsize
        put(UInt64(shnum), at: 60, width: 2)
        return bytes
    }

    @Test func notAnELFFile() throws {
        #expect(try Self.inspect(Array("(module)".utf8))?.description == "not a Kiln artifact: not an ELF file")
    }

    @Test func shorterThanAnELFHeader() throws {
        #expect(try Self.inspect(Array(Self.header()[0..<40]))?.description == "truncated artifact (the file has 40 bytes, less than an ELF header)")
    }

    @Test func sectionHeadersPastTheEnd() throws {
        let error = try Self.inspect(Self.header(shoff: 4096, shnum: 30))
        #expect(error?.description == "truncated artifact (the file has 64 bytes, its section headers extend to byte 6016)")
    }

    @Test func anExecutableIsNotASharedObject() throws {
        #expect(try Self.inspect(Self.header(type: 2))?.description == "not a Kiln artifact: not an ELF shared object")
    }

    @Test func anotherMachine() throws {
        let other: UInt16 = ELFFile.hostMachine == 62 ? 183 : 62
        let error = try Self.inspect(Self.header(machine: other))
        #expect(error?.description == "built for \(ELFFile.machineName(other)), this machine is \(ELFFile.machineName(ELFFile.hostMachine)): recompile it")
    }

    @Test func aDirectoryOrFIFOIsNotRead() throws {
        let fifo = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-fifo-\(UUID().uuidString)").path
        try #require(mkfifo(fifo, 0o644) == 0)
        defer { unlink(fifo) }
        for path in [fifo, FileManager.default.temporaryDirectory.path] {
            let error = #expect(throws: ArtifactFileError.self) { try ArtifactFile.inspect(path: path) }
            #expect(error?.description == "cannot read artifact: not a regular file")
        }
    }
}
