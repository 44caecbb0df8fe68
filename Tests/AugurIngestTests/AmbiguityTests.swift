import AugurCore
@testable import AugurIngest
import AugurTestSupport
import Foundation
import Testing

/// Dates that read both day-first and month-first are never guessed silently; volumes are share counts.
@Suite struct AmbiguityTests {
    let dir = Fixtures.temporaryDirectory("augur-ambiguity")

    func file(_ dates: [String], named name: String) -> String {
        Fixtures.write("Date,Close\n" + dates.enumerated().map { "\($1),\(100 + $0)" }.joined(separator: "\n") + "\n",
                       named: name, in: dir)
    }

    /// Days all ≤ 12, daily business days in dd/mm/yyyy: only the day-first reading is in order with
    /// regular gaps, so it is chosen (month-first scrambled the series before).
    @Test func dayFirstIsChosenWhenOnlyItIsConsistent() throws {
        defer { Fixtures.cleanUp(dir) }
        let dates = ["01/02/2021", "02/02/2021", "03/02/2021", "04/02/2021", "05/02/2021", "08/02/2021",
                     "09/02/2021", "10/02/2021", "11/02/2021", "12/02/2021"]
        let (_, bars) = try readAll(file(dates, named: "dmy.csv"))
        #expect(bars.map(\.date.iso) == ["2021-02-01", "2021-02-02", "2021-02-03", "2021-02-04", "2021-02-05",
                                         "2021-02-08", "2021-02-09", "2021-02-10", "2021-02-11", "2021-02-12"])
    }

    @Test func monthFirstIsChosenWhenOnlyItIsConsistent() throws {
        defer { Fixtures.cleanUp(dir) }
        let (_, bars) = try readAll(file(["01/02/2021", "01/03/2021", "01/04/2021", "01/05/2021", "01/06/2021"],
                                         named: "mdy.csv"))
        #expect(bars.first?.date.iso == "2021-01-02" && bars.last?.date.iso == "2021-01-06")
    }

    /// A later day above 12 decides at once.
    @Test func aDayAboveTwelveDecides() throws {
        defer { Fixtures.cleanUp(dir) }
        let (_, bars) = try readAll(file(["05/06/2021", "13/06/2021"], named: "late.csv"))
        #expect(bars.map(\.date.iso) == ["2021-06-05", "2021-06-13"])
    }

    /// Two dates, both readings in order with one gap each: equally consistent, so refused.
    @Test func equallyConsistentReadingsAreRefused() throws {
        defer { Fixtures.cleanUp(dir) }
        let path = file(["01/02/2021", "03/04/2021"], named: "both.csv")
        #expect(throws: IngestError.self) { try readAll(path) }
        do { _ = try readAll(path) } catch {
            let text = "\(error)"
            #expect(text.contains("ambiguous") && text.contains("DD/MM/YYYY") && text.contains("MM/DD/YYYY"), "\(text)")
        }
        // Told the layout, it imports.
        var options = ImportOptions()
        options.dateLayout = DateLayout(pattern: "%d/%m/%Y")
        let (_, bars) = try readAll(path, options)
        #expect(bars.map(\.date.iso) == ["2021-02-01", "2021-04-03"])
    }

    @Test func volumesAreWholeAndFitIn64Bits() throws {
        defer { Fixtures.cleanUp(dir) }
        let path = Fixtures.write("""
            Date,Open,High,Low,Close,Volume
            2021-01-04,10,11,9,10,99999999999999999999999
            2021-01-05,10,11,9,10,1.5
            2021-01-06,10,11,9,10,9223372036854775807
            2021-01-07,10,11,9,10,0

            """, named: "vol.csv", in: dir)
        let (s, bars) = try readAll(path)
        #expect(s.rejected == 2)
        #expect(s.firstRejections.map(\.location.line) == [2, 3])
        #expect(s.firstRejections.allSatisfy { $0.reason.contains("whole number from 0 to 9223372036854775807") })
        #expect(bars.map(\.date.iso) == ["2021-01-06", "2021-01-07"])
    }
}
