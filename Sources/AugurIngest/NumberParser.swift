#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decimal numbers as market files write them (`2510.03`, `2510,03` with a decimal comma, `1e6`),
/// with or without thousands separators (`12,000.00`; `12.000,00` with a decimal comma): the
/// separator is the other mark, and only in groups of three digits before the decimal mark
/// (`1,2345.0` or `12.00.000,0` is not a number). Clinger's fast path handles the usual short
/// decimals exactly; anything longer goes to strtod.
enum NumberParser {
    private static let powers: [Double] = (0...22).map { p in (0..<p).reduce(1.0) { a, _ in a * 10 } }

    /// Parses the field in place (a decimal comma is rewritten to a point). nil for anything that is
    /// not a finite number: text, `nan`, `inf`, two separators, trailing junk.
    static func parse(_ field: UnsafeMutableBufferPointer<UInt8>, decimalComma: Bool) -> Double? {
        guard let base = field.baseAddress, field.count > 0 else { return nil }
        var i = 0, n = field.count
        while i < n, base[i] == 0x20 { i += 1 }
        while n > i, base[n - 1] == 0x20 { n -= 1 }
        guard i < n else { return nil }
        let numberStart = i
        var negative = false
        if base[i] == UInt8(ascii: "-") { negative = true; i += 1 } else if base[i] == UInt8(ascii: "+") { i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0, fraction = 0, seenPoint = false
        let point = decimalComma ? UInt8(ascii: ",") : UInt8(ascii: ".")
        let thousands = decimalComma ? UInt8(ascii: ".") : UInt8(ascii: ",")
        // Digits of the integer part since the last thousands separator, and whether one was seen.
        var group = 0, grouped = false
        var j = i
        while j < n {
            let c = base[j]
            if c >= 48, c <= 57 {
                if !seenPoint { group += 1 }
                if mantissa == 0, c == 48, !seenPoint { j += 1; continue }   // leading zeros
                mantissa = mantissa &* 10 &+ UInt64(c - 48)
                digits += 1
                if seenPoint { fraction += 1 }
            } else if c == point, !seenPoint {
                if grouped && group != 3 { return nil }
                seenPoint = true
            } else if c == thousands, !seenPoint {
                // The first group has one to three digits, every later one exactly three.
                if grouped ? group != 3 : !(1...3).contains(group) { return nil }
                grouped = true
                group = 0
            } else {
                break
            }
            j += 1
        }
        if grouped && !seenPoint && group != 3 { return nil }
        let sawDigit = (i..<j).contains { base[$0] >= 48 && base[$0] <= 57 }
        guard sawDigit else { return nil }
        if grouped {
            // Drop the separators (the field is rewritten in place, like a decimal comma).
            var w = i
            for r in i..<n where !(r < j && base[r] == thousands) { base[w] = base[r]; w += 1 }
            for r in w..<n { base[r] = 0x20 }  // blanks where the separators' room was
            j -= n - w
            n = w
        }
        if j == n, digits <= 15, fraction <= 22 {
            let v = Double(mantissa) / powers[fraction]
            return negative ? -v : v
        }
        // Exponent or a long mantissa: strtod on a copy with '.' as the point, then check it consumed all.
        if decimalComma {
            // Any point left is not a thousands separator in groups of three: not a number.
            if (i..<n).contains(where: { base[$0] == UInt8(ascii: ".") }) { return nil }
            for k in i..<n where base[k] == UInt8(ascii: ",") { base[k] = UInt8(ascii: ".") }
        }
        let saved = n < field.count ? base[n] : 0
        if n < field.count { base[n] = 0 }
        defer { if n < field.count { base[n] = saved } }
        var end: UnsafeMutablePointer<CChar>?
        let start = UnsafeMutableRawPointer(base + numberStart).assumingMemoryBound(to: CChar.self)
        let v = strtod(start, &end)
        guard let end, v.isFinite else { return nil }
        let consumed = UnsafeRawPointer(end) - UnsafeRawPointer(start)
        guard numberStart + consumed == n else { return nil }
        // Reject what strtod accepts but a price file never means: hex floats, "infinity", "nan".
        for k in i..<n {
            let c = base[k]
            guard (c >= 48 && c <= 57) || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
                || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") else { return nil }
        }
        return v
    }
}
