// The HTML reports in a real browser: headless Chromium loads every page of a generated report at
// 420 px (a phone) and 1400 px, and a measuring page asserts what a reader would see: no sideways
// scrolling of the page (scrollWidth ≤ innerWidth), every SVG drawn at a non-zero size, and no chart
// text smaller than 10 px. The pages are measured by a harness loaded with --dump-dom (each report
// page in an iframe of the width, measured from script in the harness; the reports themselves carry
// no script) instead of the DevTools protocol, which would need a WebSocket client. Screenshots of
// each page at both widths are kept under Reports/_screens/ for a person to look at.
//
// Needs chromium (`make setup` installs it); without it the test is skipped, and says so.

import AugurCore
import Foundation
import Testing
@testable import AugurReport

private let chromium: String? = {
    let candidates = [ProcessInfo.processInfo.environment["CHROMIUM"], "/usr/bin/chromium", "/usr/bin/chromium-browser",
                      "/usr/bin/google-chrome"].compactMap { $0 }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}()

@Suite(.serialized) struct BrowserTests {
    private func run(_ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: chromium!)
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
                       "--no-first-run", "--allow-file-access-from-files"] + arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    struct Measure: Decodable {
        var page: String
        var width: Int
        var scrollWidth: Int
        var innerWidth: Int
        var smallestText: Double
        var svgs: Int
        var emptySvgs: Int
    }

    @Test(.enabled(if: chromium != nil, "chromium is not installed: `make setup` installs it; the browser checks were skipped"))
    func reportPagesFitPhoneAndDesktopWidths() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("augur-browser-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        // A daily report with every chart and table, a monthly one, and the index of both.
        let daily = try ReportFixtures.sp500Report()
        let small = ReportFixtures.small(symbol: "AIRLINE_PASSENGERS_MONTHLY")
        var files = ReportWriter.files(for: daily, formats: .all) + ReportWriter.files(for: small, formats: .all)
        files += ReportWriter.indexFiles([SummaryRow(daily), SummaryRow(small)], formats: .all)
        for f in files {
            let url = dir.appendingPathComponent(f.relativePath)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try f.contents.write(to: url, atomically: true, encoding: .utf8)
        }
        let pages = files.map(\.relativePath).filter { $0.hasSuffix(".html") }
        #expect(pages.count == 3)
        let harness = """
            <!DOCTYPE html><html><body><pre id="out">pending</pre><script>
            const pages = \(String(decoding: try JSONEncoder().encode(pages), as: UTF8.self)), widths = [420, 1400];
            const results = []; let pending = pages.length * widths.length;
            for (const p of pages) for (const w of widths) {
              const f = document.createElement("iframe");
              f.style.width = w + "px"; f.style.height = "900px"; f.style.border = "0"; f.src = p;
              f.onload = () => {
                const d = f.contentDocument, win = f.contentWindow;
                let smallest = 1e9, svgs = 0, empty = 0;
                for (const s of d.querySelectorAll("svg")) {
                  svgs++;
                  const r = s.getBoundingClientRect();
                  if (r.width === 0 || r.height === 0) { empty++; continue; }
                  const scale = s.viewBox.baseVal && s.viewBox.baseVal.width ? r.width / s.viewBox.baseVal.width : 1;
                  for (const t of s.querySelectorAll("text")) smallest = Math.min(smallest, parseFloat(win.getComputedStyle(t).fontSize) * scale);
                }
                results.push({page: p, width: w, scrollWidth: d.documentElement.scrollWidth, innerWidth: win.innerWidth,
                              smallestText: smallest, svgs: svgs, emptySvgs: empty});
                if (--pending === 0) document.getElementById("out").textContent = JSON.stringify(results);
              };
              document.body.appendChild(f);
            }
            </script></body></html>
            """
        let harnessURL = dir.appendingPathComponent("harness.html")
        try harness.write(to: harnessURL, atomically: true, encoding: .utf8)
        let dom = try run(["--virtual-time-budget=10000", "--dump-dom", harnessURL.absoluteString])
        guard let start = dom.range(of: "<pre id=\"out\">"), let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex) else {
            Issue.record("the harness did not report: \(dom.prefix(300))")
            return
        }
        let json = String(dom[start.upperBound..<end.lowerBound]).replacingOccurrences(of: "&quot;", with: "\"")
        let measures = try JSONDecoder().decode([Measure].self, from: Data(json.utf8))
        #expect(measures.count == 6)
        for m in measures {
            #expect(m.scrollWidth <= m.innerWidth, "\(m.page) at \(m.width) px scrolls sideways: \(m.scrollWidth) > \(m.innerWidth)")
            #expect(m.emptySvgs == 0, "\(m.page) at \(m.width) px: \(m.emptySvgs) of \(m.svgs) SVGs drawn empty")
            if m.svgs > 0 { #expect(m.smallestText >= 10, "\(m.page) at \(m.width) px: chart text \(m.smallestText) px") }
        }
        #expect(measures.contains { $0.svgs >= 5 })

        // Screenshots for a person: Reports/_screens/<page>-<width>.png.
        let screens = ReportPaths.repositoryRoot.appendingPathComponent("Reports/_screens")
        try FileManager.default.createDirectory(at: screens, withIntermediateDirectories: true)
        for page in pages {
            for width in [420, 1400] {
                let name = page.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: ".html", with: "") + "-\(width).png"
                _ = try run(["--window-size=\(width),2400", "--screenshot=" + screens.appendingPathComponent(name).path,
                             dir.appendingPathComponent(page).absoluteString])
                #expect(FileManager.default.fileExists(atPath: screens.appendingPathComponent(name).path), "\(name)")
            }
        }
    }
}

extension ReportPaths {
    /// The repository's root (three levels above this file).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
}
