// AugurIngest: market CSVs in, validated bars out. libcsv does the tokenising (streaming, bounded
// memory); this module decides what the columns mean, parses dates and numbers, and says exactly
// which row is wrong and why. May import AugurCore and CCSV only.
import AugurCore

/// Why one row was refused: where, the offending text, and the rule it broke.
public struct Rejection: Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    /// The offending field's text (or the whole row, for a field-count error).
    public var value: String
    public var reason: String

    public init(location: SourceLocation, value: String, reason: String) {
        self.location = location
        self.value = value
        self.reason = reason
    }

    public var description: String {
        value.isEmpty ? "\(location): \(reason)" : "\(location): \(reason) (got \"\(value)\")"
    }
}

/// Errors that stop an import of one file. Nothing of that file is stored when one is thrown.
public enum IngestError: Error, CustomStringConvertible, Sendable, ClassifiedError {
    case cannotOpen(path: String, reason: String)
    case emptyFile(path: String)
    case unknownFormat(SourceLocation, header: String)
    case missingColumn(SourceLocation, column: String, header: String)
    case badOption(String)
    case invalidRows(path: String, total: Int, first: [Rejection])
    case writeFailed(path: String, reason: String)
    /// Every date reads both day-first and month-first, equally consistently.
    case ambiguousDates(path: String, example: String, readings: [String])

    public var description: String {
        switch self {
        case .cannotOpen(let p, let r): return "\(p): cannot open: \(r)"
        case .emptyFile(let p): return "\(p): the file is empty (no header line)"
        case .unknownFormat(let loc, let h):
            return "\(loc): cannot tell the format from the header \"\(h)\""
        case .missingColumn(let loc, let c, let h):
            return "\(loc): no \(c) column in the header \"\(h)\""
        case .badOption(let s): return s
        case .invalidRows(let p, let total, let first):
            var lines = ["\(p): \(total) invalid row\(total == 1 ? "" : "s"); nothing was imported from this file"]
            lines += first.map { "  \($0)" }
            if total > first.count { lines.append("  … and \(total - first.count) more") }
            if first.contains(where: { $0.reason == "non-positive price" }) {
                lines.append("  (a series whose values can be zero or negative, such as a spread or a temperature, imports with --kind value)")
            }
            return lines.joined(separator: "\n")
        case .writeFailed(let p, let r): return "\(p): cannot write: \(r)"
        case .ambiguousDates(let p, let e, let r):
            return "\(p): the dates are ambiguous: \"\(e)\" and every other date read as \(r.joined(separator: " or ")), "
                + "and both readings are equally consistent; nothing was imported"
        }
    }

    /// Every ingest error is about the user's file or options.
    public var blame: Blame { .user }
}
