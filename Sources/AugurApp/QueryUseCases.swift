import AugurCore
import AugurIngest
import AugurStore

/// `augur list`, `augur show`, `augur export`: read-only views of the store.
public enum QueryUseCases {
    public static func list(database: AugurDatabase) throws -> [SymbolSummary] {
        try database.symbols()
    }

    /// The last `last` bars of `symbol` (all when nil), in date order.
    public static func show(symbol: String, last: Int?, database: AugurDatabase) throws -> [Bar] {
        let bars = try database.bars(for: symbol)
        guard let last else { return bars }
        return Array(bars.suffix(max(0, last)))
    }

    /// `symbol` as CSV text, line by line, to `emit` (so a large series streams to standard output).
    public static func export(symbol: String, format: CSVFormat, database: AugurDatabase,
                              emit: (String) -> Void) throws {
        guard format == .yahoo || format == .stooq else {
            throw AppError.invalid("export writes yahoo or stooq, not \(format.rawValue)")
        }
        let bars = try database.bars(for: symbol)
        emit(CSVExporter.header(format))
        for bar in bars { emit(CSVExporter.line(bar, format: format)) }
    }
}
