import AugurCore

/// Turns one CSV record into a `Bar` or says why it can't: one reason per row, the first rule broken.
final class RowValidator {
    enum Outcome {
        case bar(Bar)
        /// Every value is missing (`null`, empty or `.`): nothing to store, nothing wrong.
        case empty
        case rejected(Rejection)
    }

    let path: String
    let columns: ColumnMap
    /// `price`: positive values and OHLC consistency; `value`: any finite number, no OHLC rules.
    let kind: SeriesKind
    let fieldCount: Int
    private let valueColumns: [(field: BarField, index: Int)]
    /// nil until the first data row decides it.
    private(set) var decimalComma: Bool?
    private(set) var dateLayout: DateLayout?
    private let dateLayoutFixed: Bool
    private let dayFirst: Bool
    private var seenDates = DateBitset()

    init(path: String, columns: ColumnMap, kind: SeriesKind = .price, fieldCount: Int, decimalComma: Bool?, dateLayout: DateLayout?,
         dateLayoutFixed: Bool, dayFirst: Bool) {
        self.path = path
        self.columns = columns
        self.kind = kind
        self.fieldCount = fieldCount
        self.valueColumns = columns.valueColumns
        self.decimalComma = decimalComma
        self.dateLayout = dateLayout
        self.dateLayoutFixed = dateLayoutFixed
        self.dayFirst = dayFirst
    }

    private func reject(_ row: CSVRow, _ index: Int?, _ reason: String) -> Outcome {
        let column = index.map { columns.names.indices.contains($0) ? columns.names[$0] : "#\($0 + 1)" }
        let value = index.map { row.string($0) } ?? ""
        return .rejected(Rejection(location: SourceLocation(file: path, line: row.line, column: column),
                                   value: value, reason: reason))
    }

    func validate(_ row: CSVRow) -> Outcome {
        guard row.count == fieldCount else {
            return .rejected(Rejection(location: SourceLocation(file: path, line: row.line),
                                       value: "", reason: "expected \(fieldCount) fields, found \(row.count)"))
        }
        let dateField = row.field(columns.date)
        if dateLayout == nil { dateLayout = DateLayout.detect(UnsafeBufferPointer(dateField), dayFirst: dayFirst) }
        guard let layout = dateLayout, let date = layout.parse(buffer: UnsafeBufferPointer(dateField)) else {
            let expected = dateLayout?.description ?? "YYYY-MM-DD, YYYYMMDD or DD.MM.YYYY"
            return reject(row, columns.date, "unparsable date (expected \(expected)\(dateLayoutFixed ? "" : ", the layout detected from the file"))")
        }
        if decimalComma == nil { decimalComma = detectDecimalComma(row) }
        let comma = decimalComma ?? false

        var values: (Double?, Double?, Double?, Double?, Double?, Double?) = (nil, nil, nil, nil, nil, nil)
        var any = false
        for (field, index) in valueColumns {
            let f = row.field(index)
            if isMissing(f) { continue }
            guard let v = NumberParser.parse(f, decimalComma: comma) else {
                return reject(row, index, "not a number")
            }
            any = true
            switch field {
            case .open: values.0 = v
            case .high: values.1 = v
            case .low: values.2 = v
            case .close: values.3 = v
            case .adjClose: values.4 = v
            case .volume: values.5 = v
            }
        }
        guard any else { return .empty }
        let (open, high, low, closeValue, adjClose, volume) = values
        guard let close = closeValue else { return reject(row, columns.close, "missing close") }
        if kind == .price, let bad = priceRuleBroken(row, open: open, high: high, low: low, close: close, adjClose: adjClose) {
            return bad
        }
        if let volume {
            if volume < 0 { return reject(row, columns.volume, "negative volume") }
            // A share count: whole, and within a signed 64-bit integer (2^63 is the first value beyond).
            let text = columns.volume.map { row.string($0).trimmingSpaces } ?? ""
            let digitsOnly = !text.isEmpty && text.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
            guard volume == volume.rounded(.towardZero), digitsOnly ? Int64(text) != nil : volume < 9_223_372_036_854_775_808.0 else {
                return reject(row, columns.volume, "volume must be a whole number from 0 to 9223372036854775807")
            }
        }
        if !seenDates.insert(date) { return reject(row, columns.date, "date \(date.iso) repeated within the file") }
        return .bar(Bar(date: date, open: open, high: high, low: low, close: close, adjClose: adjClose, volume: volume))
    }

    /// The first price rule the row breaks (positive prices, high and low around open and close), or nil.
    private func priceRuleBroken(_ row: CSVRow, open: Double?, high: Double?, low: Double?, close: Double,
                                 adjClose: Double?) -> Outcome? {
        if let open, open <= 0 { return reject(row, columns.open, "non-positive price") }
        if let high, high <= 0 { return reject(row, columns.high, "non-positive price") }
        if let low, low <= 0 { return reject(row, columns.low, "non-positive price") }
        if close <= 0 { return reject(row, columns.close, "non-positive price") }
        if let adjClose, adjClose <= 0 { return reject(row, columns.adjClose, "non-positive price") }
        if let high {
            let top = max(open ?? close, close)
            if high < top { return reject(row, columns.high, "high below max(open, close) = \(format(top))") }
            if let low, high < low { return reject(row, columns.high, "high below low \(format(low))") }
        }
        if let low {
            let bottom = min(open ?? close, close)
            if low > bottom { return reject(row, columns.low, "low above min(open, close) = \(format(bottom))") }
        }
        return nil
    }

    private func format(_ v: Double) -> String { NumberFormatting.plain(v) }

    @inline(__always) private func isMissing(_ f: UnsafeMutableBufferPointer<UInt8>) -> Bool {
        var i = 0, n = f.count
        while i < n, f[i] == 0x20 { i += 1 }
        while n > i, f[n - 1] == 0x20 { n -= 1 }
        if i == n { return true }
        if n - i == 1, f[i] == UInt8(ascii: ".") { return true }   // FRED's missing marker
        if n - i == 4 {
            let w = (f[i] | 0x20, f[i + 1] | 0x20, f[i + 2] | 0x20, f[i + 3] | 0x20)
            return w == (UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l"))
        }
        return false
    }

    /// The decimal mark of the file from one row's numbers: in a field holding both marks the later
    /// one is the decimal mark (`12,000.50`, `12.000,50`); a mark repeated in one field separates
    /// thousands (`1,234,567`: decimal point; `1.234.567`: decimal comma); a single comma is a
    /// decimal comma (European files), a single point a decimal point. nil: no mark seen yet (the
    /// next row decides).
    private func detectDecimalComma(_ row: CSVRow) -> Bool? {
        let comma = UInt8(ascii: ","), point = UInt8(ascii: ".")
        var sawPoint = false
        for (_, index) in valueColumns {
            let f = row.field(index)
            let lastComma = f.lastIndex(of: comma), lastPoint = f.lastIndex(of: point)
            switch (lastComma, lastPoint) {
            case (let c?, let p?): return c > p
            case (_?, nil): return f.filter { $0 == comma }.count == 1
            case (nil, _?): if f.filter({ $0 == point }).count > 1 { return true } else { sawPoint = true }
            case (nil, nil): continue
            }
        }
        return sawPoint ? false : nil
    }
}

/// One bit per possible day (years 1…9999): finds a repeated date in a file of any length with
/// 457 KB, where a Set of a million dates would take tens of megabytes.
struct DateBitset {
    private static let offset = 719_162 + 1   // 0001-01-01 is day −719162
    private static let days = 3_652_059 + 2
    private var words: [UInt64] = []

    /// Inserts `d`; false when it was already there.
    mutating func insert(_ d: CivilDate) -> Bool {
        if words.isEmpty { words = [UInt64](repeating: 0, count: DateBitset.days / 64 + 1) }
        let k = Int(d.daysSinceEpoch) + DateBitset.offset
        let (w, b) = (k >> 6, UInt64(1) << UInt64(k & 63))
        if words[w] & b != 0 { return false }
        words[w] |= b
        return true
    }
}
