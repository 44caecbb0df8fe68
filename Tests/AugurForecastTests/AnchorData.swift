import Foundation
import AugurCore
import AugurForecast

/// The two anchor series, read with a tiny parser of their own so these tests do not depend on AugurIngest:
/// split lines, split on commas, take the date and one numeric column by header name.
enum AnchorData {
    static let dataDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("data")

    static func history(file: String, column: String) throws -> TimeSeriesHistory {
        let text = try String(contentsOf: dataDirectory.appendingPathComponent(file), encoding: .utf8)
        let lines = text.split(whereSeparator: \.isNewline)
        let header = lines[0].split(separator: ",").map(String.init)
        guard let valueColumn = header.firstIndex(of: column) else { throw AnchorDataError.noColumn(column) }
        var dates: [CivilDate] = [], values: [Double] = []
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard let date = CivilDate(iso: String(fields[0])), let value = Double(fields[valueColumn]) else {
                throw AnchorDataError.badRow(String(line))
            }
            dates.append(date)
            values.append(value)
        }
        return try TimeSeriesHistory(values: values, dates: dates)
    }

    static func sp500() throws -> TimeSeriesHistory { try history(file: "sp500_daily.csv", column: "Close") }
    static func airline() throws -> TimeSeriesHistory { try history(file: "airline_passengers_monthly.csv", column: "value") }
}

enum AnchorDataError: Error { case noColumn(String), badRow(String) }
