import AugurCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the user said about a file; whatever is nil is detected from the file itself.
public struct ImportOptions: Sendable, Equatable {
    public var format: CSVFormat?
    public var delimiter: UInt8?
    public var decimalComma: Bool?
    public var dateLayout: DateLayout?
    public var dateColumn: String?
    public var valueColumn: String?
    /// Prices or values; nil: `value` when the value column is not named like a price (a `date,value`
    /// file, or `--value-column temp`), `price` otherwise.
    public var kind: SeriesKind?
    /// In a file of several symbols (a ticker column), read only this ticker's rows.
    public var ticker: String?

    public init(format: CSVFormat? = nil, delimiter: UInt8? = nil, decimalComma: Bool? = nil,
                dateLayout: DateLayout? = nil, dateColumn: String? = nil, valueColumn: String? = nil,
                kind: SeriesKind? = nil) {
        self.format = format
        self.delimiter = delimiter
        self.decimalComma = decimalComma
        self.dateLayout = dateLayout
        self.dateColumn = dateColumn
        self.valueColumn = valueColumn
        self.kind = kind
    }
}

/// The outcome of reading one file.
public struct ReadSummary: Sendable {
    public var format: CSVFormat
    public var delimiter: UInt8
    public var decimalComma: Bool
    public var dateLayout: DateLayout?
    public var columns: ColumnMap
    /// The kind the rows were validated as: given, or detected from the value column's name.
    public var kind: SeriesKind
    /// Data records read (header and blank lines not counted).
    public var rowsRead = 0
    /// Rows that passed validation and were handed on.
    public var rowsValid = 0
    /// Rows with no value at all (Yahoo's `null` rows on holidays): passed over, not errors.
    public var rowsSkipped = 0
    public var rejected = 0
    /// The first rejections, in file order (at most `BarReader.keptRejections`).
    public var firstRejections: [Rejection] = []
    public var sha256 = ""
    public var bytes = 0
    public var firstDate: CivilDate?
    public var lastDate: CivilDate?
}

/// Reads a market CSV into validated `Bar`s, in batches, with bounded memory.
///
/// ```swift
/// let reader = BarReader(path: "data/sp500_daily.csv", options: ImportOptions())
/// let summary = try reader.read { batch in try store.write(batch) }
/// ```
public final class BarReader {
    public static let keptRejections = 20

    public let path: String
    public let options: ImportOptions
    /// How many bars one `onBatch` call carries.
    public var batchSize = 8192

    public init(path: String, options: ImportOptions = ImportOptions()) {
        self.path = path
        self.options = options
    }

    /// Reads the whole file. `onBatch` gets valid bars in file order; `onReject` every rejected row
    /// with its raw text (for a reject file); `progress` (bytes read, file size) once per chunk.
    @discardableResult
    public func read(onBatch: ([Bar]) throws -> Void,
                     onReject: ((Rejection, String) throws -> Void)? = nil,
                     progress: ((Int, Int) -> Void)? = nil) throws -> ReadSummary {
        let delimiter = try options.delimiter ?? sniffDelimiter()
        let resolvedLayout = try DateLayoutResolver.resolve(path: path, delimiter: delimiter, options: options)
        let reader = CSVRowReader(path: path, delimiter: delimiter)
        var digest = SHA256()
        reader.onBytes = { [unowned reader] chunk in
            digest.update(chunk)
            progress?(reader.bytesRead + chunk.count, reader.fileSize)
        }

        var summary: ReadSummary?
        var validator: RowValidator?
        var batch: [Bar] = []
        batch.reserveCapacity(batchSize)
        var pendingError: Error?
        // Counted in locals, copied into the summary at the end: the per-row path touches no struct copies.
        var rowsRead = 0, rowsValid = 0, rowsSkipped = 0, rejected = 0
        var firstRejections: [Rejection] = []
        var firstDate = CivilDate(daysSinceEpoch: .max), lastDate = CivilDate(daysSinceEpoch: .min)

        func reject(_ r: Rejection, _ raw: @autoclosure () -> String) throws {
            rejected += 1
            if firstRejections.count < BarReader.keptRejections { firstRejections.append(r) }
            if let onReject { try onReject(r, raw()) }
        }

        // A bulk file read for one ticker: the other tickers' rows are not this read's rows.
        let wanted = options.ticker.map { Array($0.utf8) }
        var tickerColumn: Int?
        try withoutActuallyEscaping(onBatch) { onBatch in
            try reader.forEachRow({ row in
                guard let v = validator else {
                    // The first record is the header.
                    let (sum, val) = try self.prepare(header: row, delimiter: delimiter, resolvedLayout: resolvedLayout)
                    summary = sum
                    validator = val
                    tickerColumn = wanted == nil ? nil : sum.columns.ticker
                    return true
                }
                if let column = tickerColumn, let wanted {
                    guard column < row.count, Self.trimmed(row.field(column)).elementsEqual(wanted) else { return true }
                }
                rowsRead += 1
                switch v.validate(row) {
                case .bar(let bar):
                    rowsValid += 1
                    if bar.date < firstDate { firstDate = bar.date }
                    if bar.date > lastDate { lastDate = bar.date }
                    batch.append(bar)
                    if batch.count >= self.batchSize {
                        try onBatch(batch)
                        batch = []
                        batch.reserveCapacity(self.batchSize)
                    }
                case .empty:
                    rowsSkipped += 1
                case .rejected(let r):
                    try reject(r, row.joined(delimiter: delimiter))
                }
                return true
            }, malformed: { line, message in
                guard summary != nil else {
                    pendingError = IngestError.unknownFormat(SourceLocation(file: self.path, line: line),
                                                             header: "malformed header: \(message)")
                    return false
                }
                rowsRead += 1
                try reject(Rejection(location: SourceLocation(file: self.path, line: line), value: "",
                                     reason: "malformed CSV: \(message)"), "")
                return true
            })
        }
        if let pendingError { throw pendingError }
        guard var result = summary else { throw IngestError.emptyFile(path: path) }
        if !batch.isEmpty { try onBatch(batch) }
        result.rowsRead = rowsRead
        result.rowsValid = rowsValid
        result.rowsSkipped = rowsSkipped
        result.rejected = rejected
        result.firstRejections = firstRejections
        if rowsValid > 0 { result.firstDate = firstDate; result.lastDate = lastDate }
        result.bytes = reader.bytesRead
        result.sha256 = digest.finalizeHex()
        result.dateLayout = validator?.dateLayout
        result.decimalComma = validator?.decimalComma ?? result.decimalComma
        return result
    }

    /// The ticker column's distinct values in order of first appearance, or nil when the file has
    /// no ticker column (one symbol per file). One pass over the file.
    public func tickers() throws -> [String]? {
        let delimiter = try options.delimiter ?? sniffDelimiter()
        let reader = CSVRowReader(path: path, delimiter: delimiter)
        var column: Int?
        var headerSeen = false
        var seen = Set<[UInt8]>()
        var ordered: [String] = []
        try reader.forEachRow({ row in
            guard headerSeen else {
                headerSeen = true
                let names = (0..<row.count).map { row.string($0).trimmingSpaces }
                column = HeaderNames.map(names, dateColumn: self.options.dateColumn, valueColumn: self.options.valueColumn).0?.ticker
                return column != nil
            }
            guard let c = column, c < row.count else { return true }
            let value = Array(Self.trimmed(row.field(c)))
            if !value.isEmpty, seen.insert(value).inserted { ordered.append(String(decoding: value, as: UTF8.self)) }
            return true
        }, malformed: { _, _ in true })
        return column == nil ? nil : ordered
    }

    /// A field without surrounding spaces, in place (no copy: the ticker filter runs on every row).
    static func trimmed(_ field: UnsafeMutableBufferPointer<UInt8>) -> Slice<UnsafeMutableBufferPointer<UInt8>> {
        var slice = field[...]
        while slice.first == 0x20 { slice = slice.dropFirst() }
        while slice.last == 0x20 || slice.last == 0x0D { slice = slice.dropLast() }
        return slice
    }

    /// Decides format, column meaning and number style from the header.
    private func prepare(header row: CSVRow, delimiter: UInt8, resolvedLayout: DateLayout?) throws -> (ReadSummary, RowValidator) {
        let names = (0..<row.count).map { row.string($0).trimmingSpaces }
        let loc = SourceLocation(file: path, line: row.line)
        let headerText = names.joined(separator: String(UnicodeScalar(delimiter)))
        let format = options.format ?? HeaderNames.detectFormat(names, delimiter: delimiter)
        let (mapped, missing) = HeaderNames.map(names, dateColumn: options.dateColumn, valueColumn: options.valueColumn)
        guard let columns = mapped else {
            if options.format == nil, options.dateColumn == nil, options.valueColumn == nil, missing == "date" {
                throw IngestError.unknownFormat(loc, header: headerText)
            }
            throw IngestError.missingColumn(loc, column: missing, header: headerText)
        }
        switch format {
        case .yahoo where columns.adjClose == nil || columns.open == nil:
            throw IngestError.missingColumn(loc, column: columns.open == nil ? "Open" : "Adj Close", header: headerText)
        case .stooq where columns.open == nil || columns.volume == nil:
            throw IngestError.missingColumn(loc, column: columns.open == nil ? "Open" : "Volume", header: headerText)
        default: break
        }
        let kind = options.kind ?? HeaderNames.kind(of: columns)
        // Decimal comma and date layout are read off the first data row unless given: a European
        // file is day-first, and its numbers say which decimal mark they use.
        let validator = RowValidator(path: path, columns: columns, kind: kind, fieldCount: names.count,
                                     decimalComma: options.decimalComma, dateLayout: options.dateLayout ?? resolvedLayout,
                                     dateLayoutFixed: options.dateLayout != nil, dayFirst: format == .european)
        let summary = ReadSummary(format: format, delimiter: delimiter, decimalComma: validator.decimalComma ?? false,
                                  dateLayout: options.dateLayout, columns: columns, kind: kind)
        return (summary, validator)
    }

    /// The delimiter is the most frequent of `,` `;` tab `|` on the first line (outside quotes).
    private func sniffDelimiter() throws -> UInt8 {
        guard let fp = fopen(path, "rb") else {
            throw IngestError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(fp) }
        var buf = [UInt8](repeating: 0, count: 65536)
        let n = fread(&buf, 1, buf.count, fp)
        var counts: [UInt8: Int] = [:]
        var quoted = false
        for c in buf[0..<n] {
            if c == 0x22 { quoted.toggle() }
            if !quoted, c == 0x0A { break }
            if !quoted, c == 0x2C || c == 0x3B || c == 0x09 || c == 0x7C { counts[c, default: 0] += 1 }
        }
        return counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key ?? 0x2C
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\"" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\"" { s.removeLast() }
        return String(s)
    }
}
