import Foundation
import KilnDecode
import KilnModel

/// Reads a module file (`.wasm` or `.wat`) from disk; the one place the front end touches the file system.
public enum ModuleFile {
    public static func read(_ path: String) throws(DecodeError) -> ModuleSource {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DecodeError(.unreadable, "no such file")
        }
        guard !isDirectory.boolValue else { throw DecodeError(.unreadable, "is a directory") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DecodeError(.unreadable, "permission denied or not a regular file")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.readToEnd() ?? Data()
        } catch {
            throw DecodeError(.unreadable, "\(error.localizedDescription)")
        }
        guard !data.isEmpty else { throw DecodeError(.unreadable, "the file is empty") }
        return ModuleSource.detect([UInt8](data))
    }
}
