import AugurCore
import AugurReport
import Testing

@Suite struct EscapingTests {
    static let hostile = "<b>&\"x'"

    @Test func hostileSymbolYieldsWellFormedDocumentsShowingTheNameLiterally() throws {
        let report = ReportFixtures.small(symbol: Self.hostile)
        for file in ReportWriter.files(for: report, formats: .all)
            + ReportWriter.indexFiles([SummaryRow(report)], formats: .all) {
            #expect(!file.relativePath.contains("<") && !file.relativePath.contains("\""), "\(file.relativePath)")
            guard file.relativePath.hasSuffix(".svg") || file.relativePath.hasSuffix(".html") else { continue }
            let xml = XMLCheck(file.contents)
            #expect(xml.isWellFormed, "\(file.relativePath): \(String(describing: xml.error))")
            #expect(xml.text.contains(Self.hostile), "\(file.relativePath) shows the name")
            #expect(!file.contents.contains("<b>"), "\(file.relativePath) has no raw tag")
        }
        #expect(TextReport.render(report).contains("Augur report: " + Self.hostile))
        let markdown = MarkdownReport.render(report)
        #expect(markdown.contains("# Augur report: &lt;b&gt;&amp;\"x'"))
    }

    @Test func controlCharactersAreNeutralised() {
        let name = "EVIL\u{1B}[2J\u{07}"
        let report = ReportFixtures.small(symbol: name)
        #expect(!TextReport.render(report).contains("\u{1B}"))
        let svg = ForecastChart.svg(report)
        #expect(XMLCheck(svg).isWellFormed)
        #expect(!svg.contains("\u{1B}"))
    }

    @Test func xmlEscapesEveryMarkupCharacter() {
        #expect(Escaping.xml(Self.hostile) == "&lt;b&gt;&amp;&quot;x&#39;")
        #expect(Escaping.markdown("a|b*c_[d]") == "a\\|b\\*c\\_\\[d\\]")
        #expect(Escaping.urlPath("^GSPC/index.html") == "%5EGSPC/index.html")
    }

    @Test func folderNamesAreSafeDeterministicAndDistinct() {
        #expect(ReportPaths.folderName(for: "SPY") == "SPY")
        #expect(ReportPaths.folderName(for: "^GSPC") == "^GSPC")
        #expect(ReportPaths.folderName(for: "EURUSD=X") == "EURUSD=X")
        #expect(ReportPaths.folderName(for: "BRK.B") == "BRK.B")
        let unsafe = ["../etc", "..", ".", "", "A/B", "A\\B", "A_B", "a\u{0}b", Self.hostile, "CON", "nul.txt",
                      "Ünïcode", String(repeating: "X", count: 300)]
        var seen = Set<String>()
        for symbol in unsafe {
            let name = ReportPaths.folderName(for: symbol)
            #expect(name == ReportPaths.folderName(for: symbol))
            #expect(!name.isEmpty && !name.hasPrefix(".") && name.count <= 73, "\(symbol) → \(name)")
            #expect(name.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0 != "/" && $0 != "\\" })
            #expect(seen.insert(name).inserted, "\(symbol) collides: \(name)")
        }
        #expect(ReportPaths.folderName(for: "A_B") == "A_B")
        #expect(ReportPaths.folderName(for: "A/B").hasPrefix("A_B-"))
    }
}
