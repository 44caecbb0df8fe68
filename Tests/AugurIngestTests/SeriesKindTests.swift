import AugurCore
@testable import AugurIngest
import AugurTestSupport
import Testing

/// Prices and values: which kind a file is read as, and which rules each kind applies.
@Suite struct SeriesKindTests {
    func read(_ text: String, _ options: ImportOptions = ImportOptions()) throws -> (ReadSummary, [Bar], [Rejection]) {
        let dir = Fixtures.temporaryDirectory("augur-kind")
        defer { Fixtures.cleanUp(dir) }
        let path = Fixtures.write(text, named: "k.csv", in: dir)
        var bars: [Bar] = [], rejections: [Rejection] = []
        let summary = try BarReader(path: path, options: options).read(onBatch: { bars += $0 },
                                                                        onReject: { r, _ in rejections.append(r) })
        return (summary, bars, rejections)
    }

    @Test func theKindIsReadOffTheValueColumnsName() throws {
        #expect(try read("date,value\n2020-01-01,-1.5\n").0.kind == .value)
        #expect(try read("Date,Close\n2020-01-01,1.5\n").0.kind == .price)
        #expect(try read("Datum;Schluss\n01.01.2020;1,5\n").0.kind == .price)
        #expect(try read("Date,VIX\n2020-01-01,15\n").0.kind == .price)
        #expect(try read("Date,Open,High,Low,Close,Volume\n2020-01-01,1,2,1,2,10\n").0.kind == .price)
        // A two-column file takes its other column as the value, whatever its name.
        let (temperature, bars, _) = try read("date,temperature\n2020-01-01,-3.25\n2020-01-02,0\n")
        #expect(temperature.kind == .value)
        #expect(bars.map(\.close) == [-3.25, 0])
        // A value column named on the command line that is not a price name.
        let spread = try read("Day,Spread,Other\n2020-01-01,-0.5,x\n", ImportOptions(dateColumn: "Day", valueColumn: "Spread"))
        #expect(spread.0.kind == .value && spread.1.map(\.close) == [-0.5])
        // Told otherwise.
        #expect(try read("date,value\n2020-01-01,1\n", ImportOptions(kind: .price)).0.kind == .price)
        #expect(try read("Date,Close\n2020-01-01,1\n", ImportOptions(kind: .value)).0.kind == .value)
    }

    @Test func valuesMayBeZeroOrNegativeAndSkipTheOHLCRules() throws {
        let text = """
            Date,Open,High,Low,Close,Volume
            2020-04-17,18.1,18.5,17.9,18.27,100
            2020-04-20,17.7,17.9,-40.3,-37.63,200
            2020-04-21,-14.0,-5.0,-20.0,10.01,300
            2020-04-22,0,0,0,0,0
            """ + "\n"
        let (asPrice, priceBars, priceRejects) = try read(text)
        #expect(asPrice.kind == .price && priceBars.count == 1)
        #expect(priceRejects.map(\.location.line) == [3, 4, 5])
        #expect(priceRejects.allSatisfy { $0.reason == "non-positive price" })
        // As values: every row, including a close above its high (a value series has no OHLC rules).
        let (asValue, valueBars, valueRejects) = try read(text, ImportOptions(kind: .value))
        #expect(asValue.kind == .value && valueRejects.isEmpty)
        #expect(valueBars.map(\.close) == [18.27, -37.63, 10.01, 0])
        // What stays a rule for every kind: numbers, finite ones, and a volume that is a count.
        let (_, _, bad) = try read("date,value\n2020-01-01,nan\n2020-01-02,inf\n2020-01-03,-1e400\n2020-01-04,2\n")
        #expect(bad.map(\.location.line) == [2, 3, 4])
        let (_, _, badVolume) = try read("Date,Close,Volume\n2020-01-01,-1,-5\n", ImportOptions(kind: .value))
        #expect(badVolume.map(\.reason) == ["negative volume"])
    }

    @Test func aRefusedPriceFileSaysHowToImportValues() throws {
        let error = IngestError.invalidRows(path: "wti.csv", total: 1, first: [
            Rejection(location: SourceLocation(file: "wti.csv", line: 3, column: "Close"), value: "-37.63", reason: "non-positive price")])
        #expect(error.description.contains("--kind value"))
        let other = IngestError.invalidRows(path: "x.csv", total: 1, first: [
            Rejection(location: SourceLocation(file: "x.csv", line: 3, column: "Close"), value: "x", reason: "not a number")])
        #expect(!other.description.contains("--kind"))
    }
}
