/// What a series' numbers are, which decides how they may be validated and modelled.
///
/// - `price`: a market price or index level: positive, with OHLC rules where the file has those
///   columns; models work on log returns and intervals are relative (a band of ±x%).
/// - `value`: any finite number (a spread, a rate, a temperature, a count, a futures price that went
///   negative): no sign or OHLC rules; models work on levels or differences and intervals are additive.
public enum SeriesKind: String, Sendable, Codable, CaseIterable, Hashable {
    case price
    case value
}
