import AugurCore
@testable import AugurIngest
import AugurTestSupport
import Testing

/// One rule per row of a small Yahoo file; each rejection must name the line, the column and why.
@Suite struct ValidationTests {
    let header = "Date,Open,High,Low,Close,Adj Close,Volume\n"

    func rejections(_ rows: String) throws -> [Rejection] {
        let dir = Fixtures.temporaryDirectory("augur-validate")
        defer { Fixtures.cleanUp(dir) }
        let path = Fixtures.write(header + rows, named: "v.csv", in: dir)
        var all: [Rejection] = []
        _ = try BarReader(path: path).read(onBatch: { _ in }, onReject: { r, _ in all.append(r) })
        return all
    }

    func expectOne(_ row: String, column: String?, reason: String) throws {
        let r = try rejections("2019-01-01,10,12,9,11,11,100\n" + row + "\n")
        #expect(r.count == 1, "\(row)")
        guard let first = r.first else { return }
        #expect(first.location.line == 3, "\(row)")
        #expect(first.location.column == column, "\(row)")
        #expect(first.reason.contains(reason), "\(first.reason) for \(row)")
    }

    @Test func eachRule() throws {
        try expectOne("2019-02-30,10,12,9,11,11,100", column: "Date", reason: "unparsable date")
        try expectOne("2019-01-02,ten,12,9,11,11,100", column: "Open", reason: "not a number")
        try expectOne("2019-01-02,10,12,9,0,11,100", column: "Close", reason: "non-positive price")
        try expectOne("2019-01-02,-1,12,9,11,11,100", column: "Open", reason: "non-positive price")
        try expectOne("2019-01-02,10,10.5,9,11,11,100", column: "High", reason: "high below max(open, close)")
        try expectOne("2019-01-02,10,12,10.5,11,11,100", column: "Low", reason: "low above min(open, close)")
        try expectOne("2019-01-02,10,12,9,11,11,-5", column: "Volume", reason: "negative volume")
        try expectOne("2019-01-01,10,12,9,11,11,100", column: "Date", reason: "repeated within the file")
        try expectOne("2019-01-02,10,12,9,11,11", column: nil, reason: "expected 7 fields, found 6")
        try expectOne("2019-01-02,10,12,9,null,11,100", column: "Close", reason: "missing close")
        try expectOne("2019-01-02,\"10,12,9,11,11,100", column: nil, reason: "malformed CSV")
    }

    @Test func validRowsInAnyDateOrderPass() throws {
        let r = try rejections("2019-01-03,10,12,9,11,11,100\n2019-01-01,10,12,9,11,11,100\n2019-01-02,11,11,11,11,11,0\n")
        #expect(r.isEmpty)
    }

    @Test func messageNamesFileLineColumnAndValue() throws {
        let r = try rejections("2019-01-02,10,12,9,11,11,abc\n")
        #expect("\(r[0])".hasSuffix("v.csv:2, column Volume: not a number (got \"abc\")"))
    }

    @Test func invalidRowsErrorListsTwentyAndCountsTheRest() {
        let rejects = (1...25).map {
            Rejection(location: SourceLocation(file: "f.csv", line: $0 + 1, column: "Close"), value: "x", reason: "not a number")
        }
        let text = "\(IngestError.invalidRows(path: "f.csv", total: 25, first: Array(rejects.prefix(20))))"
        #expect(text.contains("25 invalid rows"))
        #expect(text.contains("f.csv:21, column Close"))
        #expect(!text.contains("f.csv:22,"))
        #expect(text.contains("… and 5 more"))
    }
}

@Suite struct ExportRoundTripTests {
    /// import → export → import gives the same rows, for each export format.
    @Test(arguments: [CSVFormat.yahoo, .stooq])
    func roundTrip(format: CSVFormat) throws {
        let dir = Fixtures.temporaryDirectory("augur-export")
        defer { Fixtures.cleanUp(dir) }
        for file in ["sp500_daily.csv", "vix_daily.csv", "sp500_daily_eu.csv"] {
            let (_, original) = try readAll(Fixtures.data(file))
            let text = ([CSVExporter.header(format)] + original.map { CSVExporter.line($0, format: format) })
                .joined(separator: "\n") + "\n"
            let path = Fixtures.write(text, named: "out-\(file)", in: dir)
            let (s, again) = try readAll(path)
            #expect(s.rejected == 0)
            var expected = original
            if format == .stooq { for i in expected.indices { expected[i].adjClose = nil } }
            #expect(again == expected, "\(file) as \(format)")
        }
    }
}
