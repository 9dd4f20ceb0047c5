#if canImport(Glibc)
    import Glibc
#endif
import Foundation
import KilnBuild
import KilnCache

extension Kiln {
    /// The launch record for a run of the cache entry `entry` built with `plan`: every input of its cache key
    /// that the launcher cannot see in its own arguments (LaunchRecord.swift). Nil when one of them cannot be
    /// pinned down (a compiler word that does not resolve to a file), so that no record is written.
    public static func launchRecord(entry: CacheKey, place: String, plan: BuildPlan) -> LaunchRecord? {
        let environment = ["KILN_CC", "KILN_RUNTIME_DIR", "PATH"].map { name in
            LaunchRecord.Variable(name: name, value: ProcessInfo.processInfo.environment[name])
        }
        guard let compiler = CompilerIdentity.files(of: plan.compiler), let driver = executablePath() else { return nil }
        // The runtime's directories too: a file added to one changes fingerprintFiles, hence the key.
        let runtimeFiles = plan.runtime.fingerprintFiles
        let directories = Set(runtimeFiles.map { ($0 as NSString).deletingLastPathComponent })
            .union([plan.runtime.include, plan.runtime.root + "/src"]).sorted()
        return LaunchRecord(
            entry: entry.digest, place: place, environment: environment,
            files: compiler.present + [driver] + directories + runtimeFiles, absent: compiler.absent,
            tier: (plan.flags.optimization == 0 ? Tier.baseline : .optimized).rawValue)
    }

    /// This program's file (kiln-driver): its mtime and inode change when kiln is rebuilt or reinstalled.
    public static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, Int(PATH_MAX))
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
