import CCSV
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One parsed CSV record: its fields as NUL-terminated byte ranges in a shared buffer, and the
/// physical line it started on. Valid only during the callback that receives it.
public struct CSVRow {
    let bytes: UnsafeMutablePointer<UInt8>
    let starts: UnsafePointer<Int>
    let lengths: UnsafePointer<Int>
    public let count: Int
    public let line: Int

    /// Field `i` as a buffer (without its NUL terminator).
    @inline(__always) public func field(_ i: Int) -> UnsafeMutableBufferPointer<UInt8> {
        UnsafeMutableBufferPointer(start: bytes + starts[i], count: lengths[i])
    }

    public func string(_ i: Int) -> String { String(decoding: field(i), as: UTF8.self) }

    /// The whole row, re-joined with `delimiter`, for messages and reject files.
    public func joined(delimiter: UInt8) -> String {
        (0..<count).map { string($0) }.joined(separator: String(UnicodeScalar(delimiter)))
    }
}

/// Streams a CSV file through libcsv in fixed-size chunks (memory stays bounded whatever the
/// file size). libcsv knows nothing of lines, so the input is fed to it one physical line at a
/// time: every record then knows the line it came from, which every error message needs.
final class CSVRowReader {
    let path: String
    let delimiter: UInt8
    private(set) var bytesRead: Int = 0
    private(set) var fileSize: Int = 0
    /// Called with every chunk of raw bytes read (for the file digest).
    var onBytes: ((UnsafeRawBufferPointer) -> Void)?

    // Record being assembled by libcsv's callbacks.
    fileprivate var buffer: UnsafeMutablePointer<UInt8>
    fileprivate var capacity: Int
    fileprivate var used = 0
    fileprivate var starts: UnsafeMutablePointer<Int>
    fileprivate var lengths: UnsafeMutablePointer<Int>
    fileprivate var fieldCapacity = 64
    fileprivate var fieldCount = 0
    fileprivate var currentLine = 0
    fileprivate var recordLine = 0
    fileprivate var handler: ((CSVRow) throws -> Bool)?
    fileprivate var stop = false
    fileprivate var thrown: Error?

    static let chunkSize = 1 << 20

    init(path: String, delimiter: UInt8) {
        self.path = path
        self.delimiter = delimiter
        capacity = 4096
        buffer = .allocate(capacity: capacity)
        starts = .allocate(capacity: fieldCapacity)
        lengths = .allocate(capacity: fieldCapacity)
    }

    deinit {
        buffer.deallocate()
        starts.deallocate()
        lengths.deallocate()
    }

    /// Calls `body` for every record (blank lines skipped) until it returns false or the file ends.
    /// A line libcsv cannot parse (an unterminated quote, in strict mode) is reported to `malformed`
    /// with its line number, and reading resumes on the next line.
    func forEachRow(_ body: @escaping (CSVRow) throws -> Bool,
                    malformed: (Int, String) throws -> Bool) throws {
        guard let fp = fopen(path, "rb") else {
            throw IngestError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(fp) }
        var st = stat()
        if fstat(fileno(fp), &st) == 0 { fileSize = Int(st.st_size) }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw IngestError.cannotOpen(path: path, reason: "it is a directory") }

        handler = body
        defer { handler = nil }
        var parser = csv_parser()
        let options = UInt8(CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)
        guard csv_init(&parser, options) == 0 else { throw IngestError.cannotOpen(path: path, reason: "out of memory") }
        defer { csv_free(&parser) }
        csv_set_delim(&parser, delimiter)

        let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: CSVRowReader.chunkSize)
        defer { chunk.deallocate() }
        let me = Unmanaged.passUnretained(self).toOpaque()
        var first = true
        currentLine = 1
        var lineHasError = false

        func feed(_ p: UnsafeMutablePointer<UInt8>, _ n: Int) throws {
            guard n > 0, !lineHasError else { return }
            if csv_parse(&parser, p, n, fieldCallback, rowCallback, me) != n {
                let message = String(cString: csv_strerror(csv_error(&parser)))
                lineHasError = true
                // Start over on the next line with a fresh parser and no half-built record.
                csv_free(&parser)
                _ = csv_init(&parser, options)
                csv_set_delim(&parser, delimiter)
                used = 0; fieldCount = 0
                if try !malformed(recordLine > 0 ? recordLine : currentLine, message) { stop = true }
            }
            if let thrown { throw thrown }
        }

        while !stop {
            let n = fread(chunk, 1, CSVRowReader.chunkSize, fp)
            if n == 0 { break }
            onBytes?(UnsafeRawBufferPointer(start: chunk, count: n))
            bytesRead += n
            var p = chunk
            var remaining = n
            if first {
                first = false
                if n >= 3, chunk[0] == 0xEF, chunk[1] == 0xBB, chunk[2] == 0xBF { p += 3; remaining -= 3 }
            }
            while remaining > 0, !stop {
                guard let nl = memchr(p, 0x0A, remaining) else {
                    try feed(p, remaining)
                    break
                }
                let len = UnsafeMutableRawPointer(nl) - UnsafeMutableRawPointer(p) + 1
                try feed(p, len)
                p += len
                remaining -= len
                currentLine += 1
                lineHasError = false
            }
        }
        if ferror(fp) != 0 { throw IngestError.cannotOpen(path: path, reason: "read error") }
        if !stop {
            if csv_fini(&parser, fieldCallback, rowCallback, me) != 0 {
                _ = try malformed(recordLine > 0 ? recordLine : currentLine, "unterminated quoted field at end of file")
            }
            if let thrown { throw thrown }
        }
    }

    fileprivate func appendField(_ data: UnsafeMutableRawPointer?, _ len: Int) {
        if fieldCount == 0 { recordLine = currentLine }
        if fieldCount == fieldCapacity {
            let n = fieldCapacity * 2
            let s = UnsafeMutablePointer<Int>.allocate(capacity: n)
            let l = UnsafeMutablePointer<Int>.allocate(capacity: n)
            s.update(from: starts, count: fieldCount)
            l.update(from: lengths, count: fieldCount)
            starts.deallocate(); lengths.deallocate()
            starts = s; lengths = l; fieldCapacity = n
        }
        if used + len + 1 > capacity {
            var n = capacity * 2
            while used + len + 1 > n { n *= 2 }
            let b = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
            b.update(from: buffer, count: used)
            buffer.deallocate()
            buffer = b; capacity = n
        }
        if len > 0, let data { (buffer + used).update(from: data.assumingMemoryBound(to: UInt8.self), count: len) }
        // Trailing CR of a CRLF line inside an unquoted last field: libcsv treats CR as a terminator, so
        // it never reaches us; spaces around unquoted fields are trimmed by libcsv too.
        buffer[used + len] = 0
        starts[fieldCount] = used
        lengths[fieldCount] = len
        fieldCount += 1
        used += len + 1
    }

    fileprivate func endRow() {
        defer { used = 0; fieldCount = 0; recordLine = 0 }
        guard !stop, thrown == nil, let handler else { return }
        // A line of only spaces comes through as one empty field: treat it as blank.
        if fieldCount == 1, lengths[0] == 0 { return }
        let row = CSVRow(bytes: buffer, starts: starts, lengths: lengths, count: fieldCount, line: recordLine)
        do {
            if try !handler(row) { stop = true }
        } catch {
            thrown = error
            stop = true
        }
    }
}

private func fieldCallback(_ data: UnsafeMutableRawPointer?, _ len: Int, _ ctx: UnsafeMutableRawPointer?) {
    Unmanaged<CSVRowReader>.fromOpaque(ctx!).takeUnretainedValue().appendField(data, len)
}

private func rowCallback(_ terminator: Int32, _ ctx: UnsafeMutableRawPointer?) {
    Unmanaged<CSVRowReader>.fromOpaque(ctx!).takeUnretainedValue().endRow()
}
