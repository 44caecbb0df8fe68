import AugurReport
import Foundation
import Testing

/// Exact-output snapshots of the small report. Re-record with AUGUR_RECORD_SNAPSHOTS=1 after a deliberate
/// change, then look at the diff (and render the SVGs) before committing.
@Suite struct SnapshotTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__")

    @Test(arguments: ["report.txt", "report.md", "forecast.svg", "errors.svg", "loss.svg", "comparison-1.svg", "index.html"])
    func symbolFile(_ name: String) throws {
        let files = ReportWriter.files(for: ReportFixtures.small(), formats: .all)
        let file = try #require(files.first { $0.relativePath == "TEST/" + name })
        try assertSnapshot(file.contents, named: "small-" + name)
    }

    @Test func summaryFiles() throws {
        let rows = [SummaryRow(ReportFixtures.small()), SummaryRow(ReportFixtures.small(symbol: "^GSPC"))]
        for file in ReportWriter.indexFiles(rows, formats: .all, generatedOn: ReportFixtures.day("2024-03-01")) {
            try assertSnapshot(file.contents, named: "summary-" + file.relativePath)
        }
    }

    private func assertSnapshot(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = Self.directory.appendingPathComponent(name)
        let record = ProcessInfo.processInfo.environment["AUGUR_RECORD_SNAPSHOTS"] == "1"
        guard !record, let expected = try? String(contentsOf: url, encoding: .utf8) else {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            if !record { Issue.record("no snapshot \(name): recorded it; check it and run again", sourceLocation: sourceLocation) }
            return
        }
        if actual != expected {
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let line = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
            Issue.record("""
                snapshot \(name) differs at line \(line + 1):
                  expected: \(line < e.count ? String(e[line]) : "<end>")
                  actual:   \(line < a.count ? String(a[line]) : "<end>")
                """, sourceLocation: sourceLocation)
        }
    }
}
