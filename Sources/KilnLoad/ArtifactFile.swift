#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import CKilnHost
import KilnModel

/// What a Kiln artifact says about itself, read from the file with `pread`: its ABI version and metadata record.
///
/// Why from the file: `dlopen` maps the file and runs its constructors before any symbol can be looked up, so a
/// truncated artifact faults (SIGBUS) inside the dynamic loader and a foreign library's code runs with kiln's
/// privileges. Reading the ELF headers and the `.kiln_metadata` section (KilnLower/Module/Descriptor.swift writes
/// it) first means only a complete ELF shared object of this machine, built by a Kiln of this ABI, is ever opened.
/// ELF only: Kiln builds and runs artifacts on Linux; a Mach-O file is refused as "not an ELF file".
public struct ArtifactFile: Sendable, Equatable {
    public let abiVersion: UInt32
    /// The metadata record's text (JSON written by `ArtifactMetadata`).
    public let metadata: String

    /// The section and magic word `Descriptor` writes; KilnLoad cannot import KilnLower, so they are repeated.
    static let sectionName = ".kiln_metadata"
    static let magic = Array("KILNMETA".utf8)
    /// No metadata record is this large; a bigger section is not ours, and is not read into memory.
    static let maxMetadata = 16 << 20

    /// Reads and checks the artifact at `path`: a regular file, a complete 64-bit little-endian ELF shared object
    /// for this machine, with a metadata record of this Kiln ABI.
    public static func inspect(path: String) throws(ArtifactFileError) -> ArtifactFile {
        // O_NONBLOCK: opening a FIFO must not wait for a writer; the fstat below then refuses it.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(String(cString: strerror(errno))) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw .unreadable(String(cString: strerror(errno))) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .unreadable("not a regular file") }
        let file = ELFFile(fd: fd, size: UInt64(status.st_size))
        return try file.artifact()
    }
}

/// Why a file is not an artifact this kiln can load. The message names the file first, as the other errors:
/// `x.so: not a Kiln artifact: …`, `x.so: truncated artifact (…)`, `x.so: built for Kiln ABI 2, …`.
public struct ArtifactFileError: KilnError, Equatable {
    public let reason: String
    public var kind: String { "cannot load artifact" }
    public var location: ErrorLocation { ErrorLocation() }
    /// Without the kind: the reason already says what is wrong with the file.
    public var description: String { reason }

    init(_ reason: String) { self.reason = reason }

    static func unreadable(_ why: String) -> ArtifactFileError { ArtifactFileError("cannot read artifact: \(why)") }
    static func notAnArtifact(_ why: String) -> ArtifactFileError { ArtifactFileError("not a Kiln artifact: \(why)") }
    static func truncated(_ why: String) -> ArtifactFileError { ArtifactFileError("truncated artifact (\(why))") }
    static func otherABI(_ version: UInt32) -> ArtifactFileError {
        ArtifactFileError("built for Kiln ABI \(version), this kiln speaks \(KILN_ABI_VERSION): recompile it")
    }
    static func otherMachine(_ machine: UInt16) -> ArtifactFileError {
        ArtifactFileError("built for \(ELFFile.machineName(machine)), this machine is \(ELFFile.machineName(ELFFile.hostMachine)): recompile it")
    }
}

/// The few parts of an ELF file the check needs, read with `pread` and bounds-checked against the file's size.
/// > Note: <https://refspecs.linuxfoundation.org/elf/gabi4+/ch4.eheader.html>
struct ELFFile {
    let fd: Int32
    let size: UInt64

    static let em_x86_64: UInt16 = 62
    static let em_aarch64: UInt16 = 183

    static var hostMachine: UInt16 {
        #if arch(x86_64)
            em_x86_64
        #elseif arch(arm64)
            em_aarch64
        #else
            0
        #endif
    }

    static func machineName(_ machine: UInt16) -> String {
        switch machine {
        case em_x86_64: "x86_64"
        case em_aarch64: "aarch64"
        case 3: "i386"
        case 40: "arm"
        case 243: "riscv"
        default: "ELF machine \(machine)"
        }
    }

    func read(_ offset: UInt64, _ count: Int) throws(ArtifactFileError) -> [UInt8] {
        guard count >= 0, offset <= size, UInt64(count) <= size - offset else {
            throw .truncated("the file has \(size) bytes, a header points to bytes \(offset)..<\(offset &+ UInt64(count))")
        }
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes { buffer in
                pread(fd, buffer.baseAddress.map { $0 + done }, count - done, off_t(offset) + off_t(done))
            }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else { throw .unreadable(got == 0 ? "the file shrank while it was read" : String(cString: strerror(errno))) }
            done += got
        }
        return bytes
    }

    /// Checks the headers, then finds and reads the metadata section.
    func artifact() throws(ArtifactFileError) -> ArtifactFile {
        let elfMagic: [UInt8] = [0x7f, 0x45, 0x4c, 0x46]
        guard size >= 4, try read(0, 4) == elfMagic else { throw .notAnArtifact("not an ELF file") }
        guard size >= 64 else { throw .truncated("the file has \(size) bytes, less than an ELF header") }
        let header = try read(0, 64)
        guard header[4] == 2, header[5] == 1 else { throw .notAnArtifact("not a 64-bit little-endian ELF file") }
        guard u16(header, 16) == 3 else { throw .notAnArtifact("not an ELF shared object") }
        let machine = u16(header, 18)
        guard machine == Self.hostMachine else { throw .otherMachine(machine) }

        // Every byte the program headers map, and every section's contents, must be in the file: dlopen maps the
        // segments and faults (SIGBUS) on a page past the end of the file.
        let phoff = u64(header, 32), phentsize = Int(u16(header, 54)), phnum = Int(u16(header, 56))
        let shoff = u64(header, 40), shentsize = Int(u16(header, 58)), shnum = Int(u16(header, 60))
        let shstrndx = Int(u16(header, 62))
        guard phentsize >= 56, shentsize >= 64, shnum > 0 else { throw .notAnArtifact("malformed ELF header") }
        try within(phoff, UInt64(phnum) * UInt64(phentsize), "program headers")
        try within(shoff, UInt64(shnum) * UInt64(shentsize), "section headers")
        let programs = try read(phoff, phnum * phentsize)
        for index in 0..<phnum {
            let entry = Array(programs[(index * phentsize)..<(index * phentsize + 56)])
            guard u32(entry, 0) == 1 else { continue }  // PT_LOAD
            try within(u64(entry, 8), u64(entry, 32), "segment \(index)")
        }
        let sections = try read(shoff, shnum * shentsize)
        func section(_ index: Int) -> [UInt8] { Array(sections[(index * shentsize)..<(index * shentsize + 64)]) }
        for index in 0..<shnum {
            let entry = section(index)
            guard u32(entry, 4) != 8 else { continue }  // SHT_NOBITS (.bss) occupies no file bytes
            try within(u64(entry, 24), u64(entry, 32), "section \(index)")
        }
        guard shstrndx < shnum else { throw .notAnArtifact("malformed ELF header") }
        let names = section(shstrndx)
        guard u64(names, 32) <= UInt64(Self.maxNames) else { throw .notAnArtifact("section names too large") }
        let strings = try read(u64(names, 24), Int(u64(names, 32)))
        let wanted = Array(ArtifactFile.sectionName.utf8)
        for index in 0..<shnum {
            let entry = section(index)
            let name = Int(u32(entry, 0))
            guard name < strings.count, strings[name...].starts(with: wanted + [0]) else { continue }
            return try record(offset: u64(entry, 24), size: u64(entry, 32))
        }
        throw .notAnArtifact("it has no \(ArtifactFile.sectionName) section")
    }

    static let maxNames = 1 << 20

    func record(offset: UInt64, size recordSize: UInt64) throws(ArtifactFileError) -> ArtifactFile {
        guard recordSize >= 16, recordSize <= UInt64(ArtifactFile.maxMetadata) else {
            throw .notAnArtifact("malformed \(ArtifactFile.sectionName) section")
        }
        let bytes = try read(offset, Int(recordSize))
        guard Array(bytes[0..<8]) == ArtifactFile.magic else { throw .notAnArtifact("malformed \(ArtifactFile.sectionName) section") }
        let version = u32(bytes, 8)
        guard version == KILN_ABI_VERSION else { throw .otherABI(version) }
        let length = Int(u32(bytes, 12))
        guard length <= bytes.count - 16 else { throw .notAnArtifact("malformed \(ArtifactFile.sectionName) section") }
        return ArtifactFile(abiVersion: version, metadata: String(decoding: bytes[16..<(16 + length)], as: UTF8.self))
    }

    func within(_ offset: UInt64, _ count: UInt64, _ what: String) throws(ArtifactFileError) {
        let (end, overflow) = offset.addingReportingOverflow(count)
        guard !overflow, end <= size else {
            throw .truncated("the file has \(size) bytes, its \(what) extend to byte \(overflow ? "beyond 2^64" : "\(end)")")
        }
    }

    func u16(_ bytes: [UInt8], _ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
    func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * $1) } }
    func u64(_ bytes: [UInt8], _ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(bytes[at + $1]) << (8 * $1) } }
}
