import AugurCore
@testable import AugurIngest
import AugurTestSupport
import Foundation
import Testing

@Suite struct DialectTests {
    let dir = Fixtures.temporaryDirectory("augur-ingest")

    @Test func bomCRLFQuotesAndBlankTrailingLines() throws {
        defer { Fixtures.cleanUp(dir) }
        let text = "\"Date\",\"Open\",\"High\",\"Low\",\"Close\",\"Adj Close\",\"Volume\"\r\n"
            + "\"2019-01-02\",\"10\",\"12\",\"9\",\"11\",\"11\",\"1000\"\r\n"
            + "2019-01-03,10.5,12.5,9.5,11.5,11.5,2000\r\n\r\n\r\n"
        let path = Fixtures.write(bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8), named: "bom.csv", in: dir)
        let (s, bars) = try readAll(path)
        #expect(s.format == .yahoo && s.rejected == 0)
        #expect(bars.map(\.close) == [11, 11.5])
        #expect(bars.map(\.volume) == [1000, 2000])
    }

    @Test func lastLineWithoutNewlineIsKept() throws {
        defer { Fixtures.cleanUp(dir) }
        let path = Fixtures.write("Date,Close\n2019-01-02,1\n2019-01-03,2", named: "nonl.csv", in: dir)
        let (_, bars) = try readAll(path)
        #expect(bars.map(\.close) == [1, 2])
    }

    @Test func yahooNullRowsArePassedOverNotRejected() throws {
        defer { Fixtures.cleanUp(dir) }
        let path = Fixtures.write("""
            Date,Open,High,Low,Close,Adj Close,Volume
            2019-01-01,null,null,null,null,null,null
            2019-01-02,10,12,9,11,11,null
            """, named: "null.csv", in: dir)
        let (s, bars) = try readAll(path)
        #expect(s.rowsSkipped == 1 && s.rejected == 0 && bars.count == 1)
        #expect(bars[0].volume == nil)
    }

    @Test func tabDelimiterAndGenericNamesInAnyOrderAndCase() throws {
        defer { Fixtures.cleanUp(dir) }
        let path = Fixtures.write("VOLUME\tclose\tDATE\n100\t5.5\t20190102\n200\t6\t20190103\n", named: "tab.tsv", in: dir)
        let (s, bars) = try readAll(path)
        #expect(s.format == .generic && s.delimiter == 0x09 && s.dateLayout == .compact)
        #expect(bars.map(\.close) == [5.5, 6] && bars.map(\.volume) == [100, 200])
    }

    @Test func explicitColumnsAndDateFormat() throws {
        defer { Fixtures.cleanUp(dir) }
        let path = Fixtures.write("Tag,Letzter\n01/02/2019,5\n01/03/2019,6\n", named: "x.csv", in: dir)
        #expect(throws: IngestError.self) { try readAll(path) }
        let options = ImportOptions(dateLayout: DateLayout(pattern: "%m/%d/%Y"), dateColumn: "tag", valueColumn: "LETZTER")
        let (_, bars) = try readAll(path, options)
        #expect(bars.map(\.date.iso) == ["2019-01-02", "2019-01-03"])
    }

    @Test func semicolonWithDecimalPointIsDetected() throws {
        defer { Fixtures.cleanUp(dir) }
        let path = Fixtures.write("Date;Close\n2019-01-02;2510.03\n", named: "semi.csv", in: dir)
        let (s, bars) = try readAll(path)
        #expect(s.delimiter == UInt8(ascii: ";") && bars.first?.close == 2510.03)
    }

    @Test func europeanDecimalCommaInAQuotedCommaFile() throws {
        defer { Fixtures.cleanUp(dir) }
        let path = Fixtures.write("Datum,Schluss\n02.01.2019,\"2510,03\"\n", named: "q.csv", in: dir)
        let (s, bars) = try readAll(path)
        #expect(s.decimalComma && bars.first?.close == 2510.03)
    }

    @Test func unknownHeaderSaysWhereAndWhat() throws {
        defer { Fixtures.cleanUp(dir) }
        let path = Fixtures.write("foo,bar\n1,2\n", named: "unknown.csv", in: dir)
        do {
            _ = try readAll(path)
            Issue.record("expected an error")
        } catch let e as IngestError {
            guard case .unknownFormat(let loc, let header) = e else { Issue.record("wrong error \(e)"); return }
            #expect(loc.line == 1 && header == "foo,bar")
            #expect("\(e)".contains("unknown.csv:1"))
        }
    }

    @Test func emptyFileIsAnError() throws {
        defer { Fixtures.cleanUp(dir) }
        let path = Fixtures.write("", named: "empty.csv", in: dir)
        #expect(throws: IngestError.self) { try readAll(path) }
        #expect(throws: IngestError.self) { try readAll(dir.appendingPathComponent("missing.csv").path) }
    }
}

@Suite struct NumberParserTests {
    func parse(_ s: String, comma: Bool = false) -> Double? {
        var bytes = Array(s.utf8) + [0]
        return bytes.withUnsafeMutableBufferPointer { buf in
            NumberParser.parse(UnsafeMutableBufferPointer(rebasing: buf[0..<(buf.count - 1)]), decimalComma: comma)
        }
    }

    @Test func acceptsWhatPriceFilesWrite() {
        #expect(parse("2510.03") == 2510.03)
        #expect(parse("2510,03", comma: true) == 2510.03)
        #expect(parse(" 42 ") == 42)
        #expect(parse("-0.5") == -0.5)
        #expect(parse("+7") == 7)
        #expect(parse(".25") == 0.25)
        #expect(parse("1e3") == 1000)
        #expect(parse("3442870000") == 3_442_870_000)
    }

    /// Long mantissas leave the fast path; Swift's own Double(String) is the reference.
    @Test func longNumbersMatchTheStandardLibrary() {
        for s in ["0.1234567890123456789", "123456789012345678", "2488.830078000000001", "1.7976931348623157e308"] {
            #expect(parse(s) == Double(s), "\(s)")
        }
        for _ in 0..<500 {
            let v = Double.random(in: 0.001...100_000)
            let s = "\(v)"
            #expect(parse(s) == v, "\(s)")
        }
    }

    @Test func thousandsSeparatorsInBothConventions() {
        #expect(parse("12,000.00") == 12000)
        #expect(parse("1,234,567.5") == 1_234_567.5)
        #expect(parse("-12,345") == -12345)
        #expect(parse("999,999.99") == 999_999.99)
        #expect(parse("12.000,00", comma: true) == 12000)
        #expect(parse("1.234.567,89", comma: true) == 1_234_567.89)
        #expect(parse("1.500", comma: true) == 1500)
        #expect(parse("123.456.789.012.345,678912", comma: true) == 123_456_789_012_345.678912)
        // Only groups of three before the decimal mark.
        for s in ["1,2345.0", "12,00.5", ",123", "1,,234", "1,234,56", "12,000.5,0"] {
            #expect(parse(s) == nil, "\(s)")
        }
        for s in ["12.00.000,0", "1.2345,0", ".123,5", "1.234,5.6"] {
            #expect(parse(s, comma: true) == nil, "\(s)")
        }
    }

    @Test func refusesWhatIsNotAFiniteNumber() {
        for s in ["", "abc", "nan", "inf", "infinity", "1.2.3", "0x1p3", "12abc", "1,5", "-", "."] {
            #expect(parse(s) == nil, "\(s)")
        }
        #expect(parse("1.5", comma: true) == nil)
    }
}
