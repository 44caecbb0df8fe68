import AugurCore

/// Decides between day-first and month-first for a file whose first date reads both ways
/// (`03/04/2020`): never a silent guess.
///
/// A pre-pass over the date column runs only when the first data row is ambiguous. Each reading
/// that parses every date stays a candidate; the first date that one reading cannot parse (a day
/// above 12) decides at once. When both readings parse the whole file, the one under which the
/// dates are more consistent wins: fewer dates out of order or repeated, then more of the gaps
/// equal to the most common gap. Equally consistent readings are refused
/// (`IngestError.ambiguousDates`).
enum DateLayoutResolver {
    static func resolve(path: String, delimiter: UInt8, options: ImportOptions) throws -> DateLayout? {
        guard options.dateLayout == nil, options.format != .european else { return nil }
        let reader = CSVRowReader(path: path, delimiter: delimiter)
        var dateColumn: Int?
        var candidates: [Candidate] = []
        var decided: DateLayout?
        var undecidedFirst: String?
        try reader.forEachRow({ row in
            guard let column = dateColumn else {
                let names = (0..<row.count).map { row.string($0).trimmingSpaces }
                guard let map = HeaderNames.map(names, dateColumn: options.dateColumn,
                                                valueColumn: options.valueColumn).0 else { return false }
                dateColumn = map.date
                return true
            }
            guard column < row.count else { return true }
            let field = UnsafeBufferPointer(row.field(column))
            if candidates.isEmpty {
                guard let first = DateLayout.detect(field) else { return true }
                let alternative: DateLayout
                switch first {
                case .dayMonthYear(let s) where s != UInt8(ascii: "."): alternative = .monthDayYear(separator: s)
                case .monthDayYear(let s) where s != UInt8(ascii: "."): alternative = .dayMonthYear(separator: s)
                default: return false
                }
                guard alternative.parse(buffer: field) != nil else { return false }
                candidates = [Candidate(layout: first), Candidate(layout: alternative)]
                undecidedFirst = String(decoding: field, as: UTF8.self)
            }
            for i in candidates.indices { candidates[i].see(field) }
            let alive = candidates.filter(\.parsesAll)
            if alive.count == 1 { decided = alive[0].layout; return false }
            if alive.isEmpty { return false }   // neither reads every date: the validator will say where
            return true
        }, malformed: { _, _ in true })
        if let decided { return decided }
        let alive = candidates.filter(\.parsesAll)
        guard alive.count == 2 else { return nil }
        let (a, b) = (alive[0], alive[1])
        if a.score == b.score {
            throw IngestError.ambiguousDates(path: path, example: undecidedFirst ?? "",
                                             readings: [a.layout.description, b.layout.description])
        }
        return a.score > b.score ? a.layout : b.layout
    }

    struct Candidate {
        let layout: DateLayout
        var parsesAll = true
        var previous: CivilDate?
        var seen = Set<Int32>()
        var repeats = 0, falls = 0, rises = 0
        var gaps: [Int: Int] = [:]

        init(layout: DateLayout) { self.layout = layout }

        mutating func see(_ field: UnsafeBufferPointer<UInt8>) {
            guard parsesAll else { return }
            guard let d = layout.parse(buffer: field) else { parsesAll = false; return }
            if !seen.insert(d.daysSinceEpoch).inserted { repeats += 1 }
            if let p = previous {
                if d < p { falls += 1 } else if d > p { rises += 1 }
                gaps[abs(d.days(since: p)), default: 0] += 1
            }
            previous = d
        }

        /// Higher is more consistent: fewest repeats and steps against the file's direction (old to
        /// new or new to old), then the most gaps equal to the commonest gap.
        var score: (Int, Int) { (-(repeats + min(falls, rises)), gaps.values.max() ?? 0) }
    }
}
