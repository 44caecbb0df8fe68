// Date parsing for the layouts market files use. Works on raw UTF-8 bytes so the importer can
// call it on libcsv's field buffers without making a String per field.

/// A date layout: the order of year, month and day and the separator between them.
public enum DateLayout: Sendable, Equatable, CustomStringConvertible {
    /// `YYYY-MM-DD` (also accepts `YYYY/MM/DD`).
    case iso
    /// `YYYYMMDD`.
    case compact
    /// `DD.MM.YYYY` (European).
    case dayMonthYear(separator: UInt8)
    /// `MM/DD/YYYY` (US).
    case monthDayYear(separator: UInt8)

    /// Parses a user's pattern such as `%d.%m.%Y`, `%m/%d/%Y`, `%Y%m%d`, `YYYY-MM-DD`, `DD/MM/YYYY`.
    public init?(pattern: String) {
        let p = String(pattern.uppercased().filter { $0 != "%" })
        switch p {
        case "Y-M-D", "YYYY-MM-DD", "Y/M/D", "YYYY/MM/DD": self = .iso
        case "YMD", "YYYYMMDD": self = .compact
        default:
            let letters = p.filter { $0.isLetter }
            let seps = p.filter { !$0.isLetter }
            guard let sep = seps.first, seps.allSatisfy({ $0 == sep }), let b = sep.asciiValue else { return nil }
            let order = String(letters.reduce(into: "") { acc, ch in if acc.last != ch { acc.append(ch) } })
            switch order {
            case "DMY": self = .dayMonthYear(separator: b)
            case "MDY": self = .monthDayYear(separator: b)
            case "YMD" where b == UInt8(ascii: "-") || b == UInt8(ascii: "/"): self = .iso
            default: return nil
            }
        }
    }

    public var description: String {
        switch self {
        case .iso: return "YYYY-MM-DD"
        case .compact: return "YYYYMMDD"
        case .dayMonthYear(let s): return "DD\(Character(Unicode.Scalar(s)))MM\(Character(Unicode.Scalar(s)))YYYY"
        case .monthDayYear(let s): return "MM\(Character(Unicode.Scalar(s)))DD\(Character(Unicode.Scalar(s)))YYYY"
        }
    }

    /// Guesses the layout of a sample date field; nil when none fits. `D/M/Y` and `M/D/Y` are told
    /// apart only when a number exceeds 12; otherwise `dayFirst` (European files) decides.
    public static func detect<C: Collection<UInt8>>(_ bytes: C, dayFirst: Bool = false) -> DateLayout? {
        var candidates = [DateLayout.iso, .compact]
        for sep in [UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: "-")] {
            let dmy = DateLayout.dayMonthYear(separator: sep), mdy = DateLayout.monthDayYear(separator: sep)
            candidates += sep == UInt8(ascii: ".") || dayFirst ? [dmy, mdy] : [mdy, dmy]
        }
        return candidates.first { $0.parse(bytes) != nil }
    }

    /// Parses `bytes` (leading/trailing spaces allowed); nil when malformed or not a real day.
    public func parse<C: Collection<UInt8>>(_ bytes: C) -> CivilDate? {
        if let r = bytes.withContiguousStorageIfAvailable({ parse(buffer: $0) }) { return r }
        return Array(bytes).withUnsafeBufferPointer { parse(buffer: $0) }
    }

    /// The allocation-free parser behind `parse(_:)`.
    public func parse(buffer: UnsafeBufferPointer<UInt8>) -> CivilDate? {
        var lo = 0, hi = buffer.count
        while lo < hi, buffer[lo] == 0x20 { lo += 1 }
        while hi > lo, buffer[hi - 1] == 0x20 || buffer[hi - 1] == 0 { hi -= 1 }
        // Reads digits from i up to a non-digit; returns (value, digit count, next index).
        func digits(_ start: Int) -> (Int, Int, Int) {
            var v = 0, i = start
            while i < hi, buffer[i] >= 48, buffer[i] <= 57, i - start < 4 { v = v * 10 + Int(buffer[i] - 48); i += 1 }
            return (v, i - start, i)
        }
        // Three numbers separated by `sep`, each with an allowed digit count; nil if anything else appears.
        func triple(_ sep: UInt8, _ w0: ClosedRange<Int>, _ w1: ClosedRange<Int>, _ w2: ClosedRange<Int>)
            -> (Int, Int, Int)? {
            let (a, na, i1) = digits(lo)
            guard w0.contains(na), i1 < hi, buffer[i1] == sep else { return nil }
            let (b, nb, i2) = digits(i1 + 1)
            guard w1.contains(nb), i2 < hi, buffer[i2] == sep else { return nil }
            let (c, nc, i3) = digits(i2 + 1)
            guard w2.contains(nc), i3 == hi else { return nil }
            return (a, b, c)
        }
        let ymd: (Int, Int, Int)
        switch self {
        case .iso:
            let sep: UInt8 = hi - lo > 4 && buffer[lo + 4] == UInt8(ascii: "/") ? UInt8(ascii: "/") : UInt8(ascii: "-")
            guard let t = triple(sep, 4...4, 1...2, 1...2) else { return nil }
            ymd = t
        case .compact:
            guard hi - lo == 8 else { return nil }
            var v = 0
            for i in lo..<hi {
                guard buffer[i] >= 48, buffer[i] <= 57 else { return nil }
                v = v * 10 + Int(buffer[i] - 48)
            }
            ymd = (v / 10000, v / 100 % 100, v % 100)
        case .dayMonthYear(let sep):
            guard let t = triple(sep, 1...2, 1...2, 4...4) else { return nil }
            ymd = (t.2, t.1, t.0)
        case .monthDayYear(let sep):
            guard let t = triple(sep, 1...2, 1...2, 4...4) else { return nil }
            ymd = (t.2, t.0, t.1)
        }
        return CivilDate(year: ymd.0, month: ymd.1, day: ymd.2)
    }
}

extension CivilDate {
    /// Parses `YYYY-MM-DD`.
    public init?(iso: String) {
        guard let d = DateLayout.iso.parse(Array(iso.utf8)) else { return nil }
        self = d
    }
}
