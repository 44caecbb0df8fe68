import AugurCore
import Foundation

/// Market holidays for forecast dates: a text file of ISO dates (`YYYY-MM-DD`), one per line;
/// blank lines and `#` comments are ignored.
public enum HolidayFile {
    public static func calendar(path: String?) throws -> TradingCalendar {
        guard let path else { return TradingCalendar() }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw AppError.invalid("\(path): cannot read the holiday file")
        }
        var days = Set<CivilDate>()
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if line.isEmpty { continue }
            guard let d = CivilDate(iso: line) else {
                throw AppError.invalid("\(path):\(i + 1): not a date (expected YYYY-MM-DD): \"\(line)\"")
            }
            days.insert(d)
        }
        return TradingCalendar(holidays: days)
    }
}
