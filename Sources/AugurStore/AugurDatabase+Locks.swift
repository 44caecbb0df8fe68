// A lock per symbol, so that two workers (two `augur daily` shards that overlap, a re-run beside a
// worker still running) never train or forecast the same symbol at once. PostgreSQL: a session-level
// advisory lock on a connection held for the lock's life; SQLite: an open-file-description lock on one
// byte of the file beside the database. Either way the lock goes when its holder dies, so a killed
// worker never leaves a symbol locked.
import AugurCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A held symbol lock; `release` (or deinit) lets it go.
public final class SymbolLock: @unchecked Sendable {
    public let symbol: String
    private var releaseAction: (() -> Void)?
    private let lock = NSLock()

    init(symbol: String, release: @escaping () -> Void) {
        self.symbol = symbol
        releaseAction = release
    }

    public func release() {
        let action = lock.withLock { () -> (() -> Void)? in defer { releaseAction = nil }; return releaseAction }
        action?()
    }

    deinit { release() }
}

extension AugurDatabase {
    /// Takes the lock of `symbol` (any case), waiting for another holder when `wait`, else returning
    /// nil when it is held.
    public func lockSymbol(_ symbol: String, wait: Bool = true) throws -> SymbolLock? {
        let key = AdvisoryLock.key(symbol)
        switch backend {
        case .postgres(let pg):
            guard let connection = try pg.advisoryLock(key, wait: wait) else { return nil }
            return SymbolLock(symbol: symbol) { pg.advisoryUnlock(key, on: connection) }
        case .sqlite:
            switch try FileByteLock.lock(path: path + "-lock", byte: (1 << 32) + Int64(UInt32(bitPattern: key)), wait: wait) {
            case .held(let fd): return SymbolLock(symbol: symbol) { close(fd) }
            case .busy: return nil
            // A folder this process cannot write to: no other augur can write the database there either.
            case .unavailable: return SymbolLock(symbol: symbol) {}
            }
        }
    }

    /// Runs `body` holding the lock of `symbol` (waiting for it).
    public func withSymbolLock<T>(_ symbol: String, _ body: () throws -> T) throws -> T {
        let held = try lockSymbol(symbol, wait: true)
        defer { held?.release() }
        return try body()
    }
}

/// An exclusive lock on one byte of a file, owned by its open file description (Linux's OFD locks:
/// threads of one process exclude each other too, and closing another descriptor of the file does
/// not drop it); plain POSIX record locks elsewhere.
enum FileByteLock {
    enum Outcome {
        /// The descriptor holding the lock: close it to release.
        case held(Int32)
        /// Another holder has it (only when not waiting).
        case busy
        /// The lock file cannot be created or opened for writing (a read-only folder).
        case unavailable
    }

    static func lock(path: String, byte: Int64, wait: Bool) throws -> Outcome {
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            if errno == EACCES || errno == EROFS || errno == EPERM { return .unavailable }
            throw StoreError.cannotOpen(path: path, reason: "cannot open the lock file: \(String(cString: strerror(errno)))")
        }
        var l = flock()
        l.l_type = Int16(F_WRLCK)
        l.l_whence = Int16(SEEK_SET)
        l.l_start = off_t(byte)
        l.l_len = 1
        #if os(Linux)
        let command: Int32 = wait ? 38 : 37     // F_OFD_SETLKW, F_OFD_SETLK
        #else
        let command: Int32 = wait ? F_SETLKW : F_SETLK
        #endif
        while fcntl(fd, command, &l) != 0 {
            if errno == EINTR { continue }
            let e = errno
            close(fd)
            if !wait, e == EAGAIN || e == EACCES { return .busy }
            throw StoreError.cannotOpen(path: path, reason: "cannot lock a symbol: \(String(cString: strerror(e)))")
        }
        return .held(fd)
    }
}
