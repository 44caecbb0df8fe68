import AugurCore

/// Fixed, locale-free number formatting, so output never depends on the machine it ran on.
///
/// Foundation's formatters follow the process locale on some platforms and differ between them; reports
/// must be byte-identical for the same data, so digits are produced here from integers.
public enum NumberFormat {
    /// The text for a missing or non-finite value.
    public static let missing = "–"

    /// `x` with exactly `decimals` digits after the point ("1234.50"), no grouping; "–" for nil, NaN or ±∞.
    /// Values too large for exact fixed-point digits fall back to ``scientific(_:digits:)``.
    public static func fixed(_ x: Double?, decimals: Int) -> String {
        guard let x, x.isFinite else { return missing }
        let d = max(0, min(decimals, 15))
        let scale = power10(d)
        let scaled = (abs(x) * scale).rounded(.toNearestOrEven)
        guard scaled < 9.0e15 else { return scientific(x, digits: 4) }
        let n = UInt64(scaled)
        let unit = UInt64(scale)
        let intPart = n / unit, frac = n % unit
        var s = (x < 0 && n != 0) ? "-" : ""
        s += String(intPart)
        if d > 0 {
            let f = String(frac)
            s += "." + String(repeating: "0", count: d - f.count) + f
        }
        return s
    }

    /// Like ``fixed(_:decimals:)`` with thousands grouped by commas: "12,345.68".
    public static func grouped(_ x: Double?, decimals: Int) -> String {
        let s = fixed(x, decimals: decimals)
        guard s != missing, !s.contains("e") else { return s }
        let negative = s.hasPrefix("-")
        let body = negative ? s.dropFirst() : Substring(s)
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let digits = Array(parts[0])
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        if parts.count > 1 { out += "." + parts[1] }
        return (negative ? "-" : "") + out
    }

    /// `x` as `m.mmme±x` with `digits` significant digits: "1.235e+12".
    public static func scientific(_ x: Double, digits: Int) -> String {
        guard x.isFinite else { return missing }
        guard x != 0 else { return "0" }
        var exponent = Int((abs(x)).log10Floor)
        var mantissa = abs(x) / power10Signed(exponent)
        let rounded = (mantissa * power10(digits - 1)).rounded() / power10(digits - 1)
        if rounded >= 10 { exponent += 1; mantissa = abs(x) / power10Signed(exponent) } else { mantissa = rounded }
        let m = fixed(mantissa, decimals: digits - 1)
        return (x < 0 ? "-" : "") + m + "e" + (exponent < 0 ? "-" : "+") + String(abs(exponent))
    }

    /// Decimals that resolve differences of `spread` (e.g. an interval's half-width) to two
    /// significant digits: at least 2 (0 above 100 000 when the spread is that coarse), at most 10.
    /// A rate near 0.0012 whose interval is 0.0001 wide gets 5, a price near 2,500 gets 2.
    public static func decimals(resolving spread: Double) -> Int {
        guard spread.isFinite, spread > 0 else { return 2 }
        var exponent = 0, x = spread   // spread = m · 10^exponent with 1 ≤ m < 10
        while x >= 10 { x /= 10; exponent += 1 }
        while x < 1 { x *= 10; exponent -= 1 }
        return max(2, min(10, 1 - exponent))
    }

    /// Decimals for a forecast table: resolving the median half-width of its 80% intervals (95% when
    /// there are none, else a hundredth of the largest |point|), so that every number of the table has
    /// the same decimals and a small series (a rate, a spread) does not print as 0.00.
    public static func decimals(for rows: [ForecastStep]) -> Int {
        var halfWidths = rows.compactMap { r in r.lower80.flatMap { lo in r.upper80.map { ($0 - lo) / 2 } } }
        if halfWidths.isEmpty { halfWidths = rows.compactMap { r in r.lower95.flatMap { lo in r.upper95.map { ($0 - lo) / 2 } } } }
        let positive = halfWidths.filter { $0 > 0 }.sorted()
        if !positive.isEmpty { return decimals(resolving: positive[positive.count / 2]) }
        let largest = rows.map { abs($0.point) }.max() ?? 0
        return decimals(resolving: largest / 100)
    }

    /// A value with the given decimals (a table's, from `decimals(for:)`).
    public static func price(_ x: Double?, decimals: Int) -> String { fixed(x, decimals: decimals) }

    /// A price-like value with a sensible number of decimals for its size: 4 below 1, 2 below 100 000,
    /// none above.
    public static func price(_ x: Double?) -> String {
        guard let x, x.isFinite else { return missing }
        let a = abs(x)
        if a != 0 && a < 1 { return fixed(x, decimals: 4) }
        return fixed(x, decimals: a < 100_000 ? 2 : 0)
    }

    /// A signed percentage change with one decimal: "+0.9%", "-12.3%".
    public static func signedPercent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return missing }
        let s = fixed(fraction * 100, decimals: 1)
        return (s.hasPrefix("-") || s == "0.0" ? s : "+" + s) + "%"
    }

    /// An SVG coordinate: at most 2 decimals, trailing zeros dropped ("12.5", "3", "-0.25").
    static func coordinate(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        var s = fixed(x, decimals: 2)
        if s.hasSuffix(".00") { s.removeLast(3) } else if s.hasSuffix("0") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    static func power10(_ n: Int) -> Double {
        var p = 1.0
        for _ in 0..<max(0, n) { p *= 10 }
        return p
    }

    static func power10Signed(_ n: Int) -> Double { n >= 0 ? power10(n) : 1 / power10(-n) }
}

extension Double {
    /// ⌊log10(|self|)⌋ computed without Foundation, exact at powers of ten.
    var log10Floor: Double {
        var a = abs(self)
        guard a > 0, a.isFinite else { return 0 }
        var e = 0
        while a >= 10 { a /= 10; e += 1 }
        while a < 1 { a *= 10; e -= 1 }
        return Double(e)
    }
}
