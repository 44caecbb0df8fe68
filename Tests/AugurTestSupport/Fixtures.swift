// Shared by the test targets: where the bundled data lives, temporary files and folders.
import Foundation

public enum Fixtures {
    /// The package root, found from this file's path.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A file under the repository's `data/`.
    public static func data(_ name: String) -> String { root.appendingPathComponent("data").appendingPathComponent(name).path }

    /// A fresh temporary folder, removed by the caller with `cleanUp`.
    public static func temporaryDirectory(_ label: String = "augur-test") -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` (as raw UTF-8, line endings as given) to a new file in `dir`.
    @discardableResult
    public static func write(_ text: String, named name: String, in dir: URL) -> String {
        let url = dir.appendingPathComponent(name)
        _ = FileManager.default.createFile(atPath: url.path, contents: Data(text.utf8))
        return url.path
    }

    public static func write(bytes: [UInt8], named name: String, in dir: URL) -> String {
        let url = dir.appendingPathComponent(name)
        _ = FileManager.default.createFile(atPath: url.path, contents: Data(bytes))
        return url.path
    }

    public static func cleanUp(_ dir: URL) { try? FileManager.default.removeItem(at: dir) }

    /// The built `augur` executable beside the test bundle (swift test builds it first).
    public static var augurExecutable: String {
        let bundleDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundleDir, bundleDir.deletingLastPathComponent()] {
            let p = candidate.appendingPathComponent("augur").path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return root.appendingPathComponent(".build/debug/augur").path
    }

    public struct RunResult: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs the `augur` executable with `arguments` and the given environment additions.
    public static func runAugur(_ arguments: [String], environment: [String: String] = [:],
                                currentDirectory: URL? = nil) throws -> RunResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: augurExecutable)
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        if let currentDirectory { p.currentDirectoryURL = currentDirectory }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read both pipes before waiting, so a chatty child never blocks on a full pipe.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return RunResult(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                         stderr: String(decoding: e, as: UTF8.self))
    }
}

/// Strings appended from several threads at once (concurrency tests collect their failures here).
public final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    public init() {}
    public func append(_ s: String) { lock.lock(); list.append(s); lock.unlock() }
    public var items: [String] { lock.lock(); defer { lock.unlock() }; return list }
}
