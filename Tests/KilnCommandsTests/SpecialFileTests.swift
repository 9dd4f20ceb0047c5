import Foundation
import Testing

/// Device nodes and FIFOs where a module or an output should be: every command returns promptly with an
/// error (`kiln validate /dev/zero` once read forever), and `kiln compile -o FIFO` leaves the FIFO alone (as
/// root, `-o /dev/null` once replaced /dev/null with a regular file).
@Suite struct SpecialFileTests {
    static func fifo(in directory: TemporaryDirectory) throws -> String {
        let path = directory.url.appendingPathComponent("pipe").path
        try #require(mkfifo(path, 0o644) == 0)
        return path
    }

    @Test(arguments: ["validate", "run", "compile", "describe"])
    func aDeviceOrFIFOIsNotAModule(command: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let output = directory.url.appendingPathComponent("out.so").path
        for path in ["/dev/zero", try Self.fifo(in: directory)] {
            let extra = command == "compile" ? ["-o", output] : []
            let result = try KilnProcess.run([command, path] + extra)
            #expect(result.status == 1, "\(command) \(path): \(result.stderr)")
            #expect(result.stderr == "\(path): cannot read module: not a regular file\n", "\(command) \(path)")
        }
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func compileDoesNotReplaceAFIFO() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fifo = try Self.fifo(in: directory)
        let result = try KilnProcess.run(["compile", KilnProcess.fixture("wat/fac.wat"), "-o", fifo])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(fifo) exists and is not a regular file"), "\(result.stderr)")
        var status = stat()
        #expect(lstat(fifo, &status) == 0)
        #expect(status.st_mode & S_IFMT == S_IFIFO)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
        #expect(leftovers == ["pipe"])
    }

    /// A symlink is refused too: the rename would replace the link, not write through it.
    @Test func compileDoesNotReplaceASymlink() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let target = try directory.write("target.so", Array("keep".utf8))
        let link = directory.url.appendingPathComponent("link.so").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let result = try KilnProcess.run(["compile", KilnProcess.fixture("wat/fac.wat"), "-o", link])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(link) exists and is not a regular file"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(FileManager.default.contents(atPath: target) == Data("keep".utf8))
    }
}
