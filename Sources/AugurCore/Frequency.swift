/// The sampling frequency of a series, detected from the spacing of its dates.
public enum Frequency: String, Sendable, Codable, CaseIterable {
    case daily, weekly, monthly, quarterly, yearly

    /// The usual seasonal period: 5 trading days a week, 52 weeks, 12 months, 4 quarters, none for years.
    public var seasonLength: Int {
        switch self {
        case .daily: return 5
        case .weekly: return 52
        case .monthly: return 12
        case .quarterly: return 4
        case .yearly: return 1
        }
    }

    /// Detects the frequency from the median gap between consecutive dates (nil for fewer than 2 dates).
    public static func detect(_ dates: [CivilDate]) -> Frequency? {
        guard dates.count >= 2 else { return nil }
        var gaps = zip(dates.dropFirst(), dates).map { $0.days(since: $1) }
        gaps.sort()
        let median = gaps[gaps.count / 2]
        switch median {
        case ..<5: return .daily
        case 5..<20: return .weekly
        case 20..<60: return .monthly
        case 60..<200: return .quarterly
        default: return .yearly
        }
    }
}
