import AugurCore

/// Where a report's files go, relative to the reports folder the user chose (e.g. `Reports/`).
public enum ReportPaths {
    public static let text = "report.txt"
    public static let markdown = "report.md"
    public static let forecastChart = "forecast.svg"
    public static let errorsChart = "errors.svg"
    public static let lossChart = "loss.svg"
    public static let coverageChart = "coverage.svg"
    public static let page = "index.html"
    public static let summaryPage = "index.html"
    public static let summaryMarkdown = "summary.md"

    /// A folder name for `symbol` that is safe on every common file system and in a URL.
    ///
    /// Letters, digits and `-`, `_`, `.`, `^`, `=` are kept (so "SPY", "^GSPC", "EURUSD=X" and "BRK.B" stay
    /// as they are); anything else becomes `_`, a leading `.` becomes `_` (no `.`, `..` or hidden folders),
    /// names over 64 characters are cut, and Windows device names (CON, NUL, COM1…) count as changed. Whenever the name had to change, `-` and the first 8 hex
    /// digits of the SHA-256 of the original name are appended, so "A/B" and "A_B" get different folders.
    /// Deterministic: the same symbol always maps to the same name.
    ///
    /// ```swift
    /// ReportPaths.folderName(for: "SPY")      // "SPY"
    /// ReportPaths.folderName(for: "../etc")   // "_._etc-" + 8 hex digits
    /// ```
    public static func folderName(for symbol: String) -> String {
        var safe = ""
        var changed = false
        for u in symbol.unicodeScalars {
            if u == ".", safe.last == "." {
                safe.append("_")   // no ".." anywhere in a folder name
                changed = true
            } else if u.isASCII, let c = Optional(Character(u)), c.isLetter || c.isNumber || "-_.^=".contains(c) {
                safe.unicodeScalars.append(u)
            } else {
                safe.append("_")
                changed = true
            }
        }
        if safe.hasPrefix(".") {
            safe = "_" + safe.dropFirst()
            changed = true
        }
        if safe.count > 64 {
            safe = String(safe.prefix(64))
            changed = true
        }
        if safe.isEmpty || isReservedOnWindows(safe) { changed = true }
        guard changed else { return safe }
        var digest = SHA256()
        digest.update(Array(symbol.utf8))
        return safe + "-" + digest.finalizeHex().prefix(8)
    }

    // CON, NUL, COM1… name devices on Windows whatever the extension.
    private static func isReservedOnWindows(_ name: String) -> Bool {
        let stem = name.split(separator: ".", maxSplits: 1).first.map { $0.uppercased() } ?? ""
        if ["CON", "PRN", "AUX", "NUL"].contains(stem) { return true }
        guard stem.count == 4, stem.hasPrefix("COM") || stem.hasPrefix("LPT"), let last = stem.last else { return false }
        return ("1"..."9").contains(String(last))
    }

    /// The path of a symbol's file relative to the reports folder: `<folder>/<file>`.
    public static func path(_ file: String, for symbol: String) -> String {
        folderName(for: symbol) + "/" + file
    }

    /// The link from `Reports/index.html` (or `summary.md`) to a symbol's page, percent-encoded.
    public static func link(to file: String, for symbol: String) -> String {
        Escaping.urlPath(path(file, for: symbol))
    }
}
