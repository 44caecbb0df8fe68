import AugurIngest
import Foundation

/// Writes rejected rows, with where and why, as CSV: `line,column,value,reason,row`.
final class RejectsWriter {
    let path: String
    private let handle: FileHandle
    private var buffer = Data()

    init(path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let h = FileHandle(forWritingAtPath: path) else {
            throw IngestError.writeFailed(path: path, reason: "cannot create the rejects file")
        }
        handle = h
        buffer.append(contentsOf: Array("line,column,value,reason,row\n".utf8))
    }

    func write(_ r: Rejection, raw: String) throws {
        let fields = [String(r.location.line), r.location.column ?? "", r.value, r.reason, raw]
        buffer.append(contentsOf: Array((fields.map(CSVText.quote).joined(separator: ",") + "\n").utf8))
        if buffer.count > 1 << 16 { try flush() }
    }

    private func flush() throws {
        do { try handle.write(contentsOf: buffer) } catch {
            throw IngestError.writeFailed(path: path, reason: "\(error)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        try? handle.close()
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
