import AugurReport
import Foundation
import Testing

/// Writes the realistic S&P 500 report to $AUGUR_REPORT_DEMO_DIR for looking at by eye
/// (`rsvg-convert -o x.png forecast.svg`); does nothing when the variable is unset.
@Suite struct DemoOutput {
    @Test func writeDemoReportWhenAsked() throws {
        guard let dir = ProcessInfo.processInfo.environment["AUGUR_REPORT_DEMO_DIR"] else { return }
        let report = try ReportFixtures.sp500Report()
        let files = ReportWriter.files(for: report, formats: .all) + ReportWriter.files(for: ReportFixtures.small(), formats: .all)
            + ReportWriter.indexFiles([SummaryRow(report), SummaryRow(ReportFixtures.small())], formats: .all)
        for file in files {
            let url = URL(fileURLWithPath: dir).appendingPathComponent(file.relativePath)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try file.contents.write(to: url, atomically: true, encoding: .utf8)
        }
    }
}
