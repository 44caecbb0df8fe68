// A throwaway PostgreSQL server for the tests: initdb into a temporary folder, pg_ctl start on
// 127.0.0.1 at a free port, one fresh database per test, stopped (and its folder removed) when the
// test process exits. Started once, on first use. When PostgreSQL is not installed (or cannot start),
// `server` is nil and `unavailableReason` says why: the PostgreSQL tests then show as skipped with
// that reason, never silently.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

public final class TestPostgres: @unchecked Sendable {
    public let port: Int
    let bin: String
    let dir: String
    let runAsPostgres: Bool
    private let lock = NSLock()
    private var next = 0

    /// The running server, or nil (see `unavailableReason`).
    public static var server: TestPostgres? { started.server }
    /// Why there is no server, when there is none.
    public static var unavailableReason: String? { started.reason }
    public static var available: Bool { server != nil }

    private static let started: (server: TestPostgres?, reason: String?) = {
        do { return (try TestPostgres(), nil) } catch { return (nil, "\(error)") }
    }()

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private init() throws {
        guard let bin = TestPostgres.findBin() else {
            throw Failure(description: "PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin or on PATH; `make setup` installs it)")
        }
        self.bin = bin
        runAsPostgres = getuid() == 0
        dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("augur-pg-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        if runAsPostgres {
            // initdb refuses to run as root: the server runs as the postgres user, in a folder it owns.
            guard let pw = getpwnam("postgres") else {
                throw Failure(description: "running as root and there is no postgres user to run the server as")
            }
            guard chown(dir, pw.pointee.pw_uid, pw.pointee.pw_gid) == 0 else {
                throw Failure(description: "cannot give \(dir) to the postgres user")
            }
        }
        let data = dir + "/data"
        try TestPostgres.execute(bin + "/initdb", ["-D", data, "-A", "trust", "-U", "augur", "-E", "UTF8", "--locale=C", "--no-sync"], asPostgres: runAsPostgres)
        port = try TestPostgres.freePort()
        try TestPostgres.execute(bin + "/pg_ctl", ["-D", data, "-l", dir + "/server.log", "-w", "-t", "60", "-o",
                           "-p \(port) -c listen_addresses=127.0.0.1 -k \(dir) -c fsync=off -c synchronous_commit=off "
                           + "-c full_page_writes=off -c max_connections=200", "start"], asPostgres: runAsPostgres)
        TestPostgres.stopAtExit = { [dir, bin, runAsPostgres] in
            _ = try? TestPostgres.execute(bin + "/pg_ctl", ["-D", dir + "/data", "-m", "immediate", "-w", "stop"], asPostgres: runAsPostgres)
            try? FileManager.default.removeItem(atPath: dir)
        }
        atexit { TestPostgres.stopAtExit?() }
    }

    nonisolated(unsafe) static var stopAtExit: (() -> Void)?

    /// A new, empty database on the server; returns its URL.
    public func createDatabase(_ label: String = "t") throws -> String {
        let n = lock.withLock { next += 1; return next }
        let name = "\(label.lowercased().filter { $0.isLetter || $0.isNumber })_\(ProcessInfo.processInfo.processIdentifier)_\(n)"
        try run("createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "augur", name])
        return url(name)
    }

    public func url(_ database: String) -> String { "postgresql://augur@127.0.0.1:\(port)/\(database)?sslmode=disable" }

    /// Runs `sql` through psql on `database` (for tests that set up what the store would refuse).
    public func psql(_ database: String, _ sql: String) throws {
        try run("psql", ["-h", "127.0.0.1", "-p", String(port), "-U", "augur", "-d", database, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
    }

    private func run(_ tool: String, _ arguments: [String]) throws {
        try TestPostgres.execute(bin + "/" + tool, arguments, asPostgres: runAsPostgres)
    }

    /// Runs a tool and waits for it (posix_spawn and waitpid: Foundation's Process waits for a
    /// descriptor the server pg_ctl starts would inherit and keep open, so it would wait for the server).
    @discardableResult
    static func execute(_ path: String, _ arguments: [String], asPostgres: Bool) throws -> String {
        let argv = asPostgres ? ["/usr/sbin/runuser", "-u", "postgres", "--", path] + arguments : [path] + arguments
        let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("augur-pg-out-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: outPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { for a in cArgs { free(a) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, nil, &cArgs, environ)
        guard rc == 0 else { throw Failure(description: "cannot run \(argv[0]): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let exited = status & 0x7f == 0, code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            throw Failure(description: "\((path as NSString).lastPathComponent) failed (status \(status)): \(text.suffix(400))")
        }
        return text
    }

    static func findBin() -> String? {
        if let env = ProcessInfo.processInfo.environment["AUGUR_PG_BIN"] { return env }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap { Int($0) }.sorted(by: >)
        for v in versions where FileManager.default.isExecutableFile(atPath: "\(root)/\(v)/bin/initdb") { return "\(root)/\(v)/bin" }
        for d in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        where FileManager.default.isExecutableFile(atPath: "\(d)/initdb") && FileManager.default.isExecutableFile(atPath: "\(d)/pg_ctl") {
            return String(d)
        }
        return nil
    }

    /// A TCP port free on 127.0.0.1 now (the kernel's choice for port 0).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard bound else { throw Failure(description: "cannot find a free port") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
