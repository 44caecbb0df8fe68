import AugurApp
import AugurCore
import AugurIngest
@testable import AugurStore
import AugurTestSupport
import Foundation
import Testing

/// Mutated CSVs against the importer: every input imports or is refused as the user's error (exit
/// 0 or 1), within a time bound, and a refused file changes nothing stored.
///
/// `AUGUR_FUZZ_COUNT` sets how many inputs (CI runs 300; `AUGUR_FUZZ_COUNT=10000 swift test --filter
/// Fuzz` is the long run), `AUGUR_FUZZ_SEED` the first seed. Each input is reproducible from its seed.
@Suite struct FuzzTests {
    static var count: Int { Int(ProcessInfo.processInfo.environment["AUGUR_FUZZ_COUNT"] ?? "") ?? 300 }
    static var firstSeed: UInt64 { UInt64(ProcessInfo.processInfo.environment["AUGUR_FUZZ_SEED"] ?? "") ?? 1 }

    /// Small valid files of every dialect, the seeds of the mutations.
    static func corpus() throws -> [String] {
        func head(_ file: String, _ lines: Int) throws -> String {
            try String(contentsOfFile: Fixtures.data(file), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
                .prefix(lines).joined(separator: "\n") + "\n"
        }
        return [try head("sp500_daily.csv", 60), try head("sp500_daily_eu.csv", 60), try head("sp500_daily_stooq.csv", 60),
                try head("vix_daily.csv", 60), try head("airline_passengers_monthly.csv", 40)]
    }

    @Test func mutatedCSVsImportOrAreRefusedAndNothingIsHalfWritten() throws {
        let dir = Fixtures.temporaryDirectory("augur-fuzz"); defer { Fixtures.cleanUp(dir) }
        let db = try AugurDatabase(path: dir.appendingPathComponent("fuzz.sqlite").path)
        let corpus = try Self.corpus()
        // Two symbols with rows: KEEP is never the target; FUZZ is, and must not change on a refusal.
        for (symbol, text) in [("KEEP", corpus[0]), ("FUZZ", corpus[3])] {
            let path = Fixtures.write(text, named: "\(symbol).csv", in: dir)
            _ = try ImportUseCase.run(ImportRequest(path: path, symbol: symbol), database: db)
        }
        let keep = try db.bars(for: "KEEP")
        var imported = 0, refused = 0, slowest = 0.0
        for k in 0..<Self.count {
            let seed = Self.firstSeed &+ UInt64(k)
            var rng = Mutator(seed: seed)
            let bytes = rng.mutate(Array(corpus[Int(seed % UInt64(corpus.count))].utf8))
            let path = Fixtures.write(bytes: bytes, named: "input-\(seed).csv", in: dir)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let before = try db.bars(for: "FUZZ")
            let t0 = Date()
            do {
                _ = try ImportUseCase.run(ImportRequest(path: path, symbol: "FUZZ", skipInvalid: seed % 3 == 0,
                                                        rejectsPath: dir.appendingPathComponent("rejects.csv").path),
                                         database: db)
                imported += 1
            } catch {
                #expect(Blame.of(error) == .user, "seed \(seed): an internal error on user data: \(error)")
                #expect(try db.bars(for: "FUZZ") == before, "seed \(seed): a refused file changed the stored rows")
                refused += 1
            }
            let seconds = Date().timeIntervalSince(t0)
            slowest = max(slowest, seconds)
            #expect(seconds < 10, "seed \(seed): \(seconds) s for a file of \(bytes.count) bytes")
        }
        #expect(try db.bars(for: "KEEP") == keep)
        #expect(imported + refused == Self.count)
        print("fuzz: \(Self.count) inputs from seed \(Self.firstSeed): \(imported) imported, \(refused) refused, "
              + String(format: "slowest %.3f s", slowest))
    }
}

/// Seeded mutations of a CSV: the ways real files go wrong, and a few hostile ones.
struct Mutator {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }

    mutating func next() -> UInt64 {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return state
    }

    mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }

    mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var b = input
        for _ in 0..<(1 + below(4)) { b = once(b) }
        return b
    }

    mutating func once(_ b: [UInt8]) -> [UInt8] {
        var b = b
        let at = below(b.count + 1)
        switch below(12) {
        case 0:   // bit flips
            for _ in 0..<(1 + below(8)) where !b.isEmpty { b[below(b.count)] ^= UInt8(1 << below(8)) }
        case 1:   // truncation
            b = Array(b.prefix(at))
        case 2:   // inserted random bytes
            b.insert(contentsOf: (0..<(1 + below(16))).map { _ in UInt8(truncatingIfNeeded: next()) }, at: at)
        case 3:   // a huge number
            let huge = ["99999999999999999999999", "1e400", "-1e308", "1e-400", "179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368",
                        "0", "-0", "nan", "inf", "0x1p3"][below(10)]
            b.insert(contentsOf: Array(huge.utf8), at: at)
        case 4:   // a very long line
            b.insert(contentsOf: Array(repeating: UInt8(ascii: "9"), count: 10_000 + below(200_000)), at: at)
        case 5:   // quotes
            b.insert(contentsOf: Array(["\"", "\"\"", "\"a,b\"", "\"unterminated"][below(4)].utf8), at: at)
        case 6:   // NULs
            b.insert(contentsOf: Array(repeating: 0, count: 1 + below(5)), at: at)
        case 7:   // extreme or impossible dates
            let date = ["0000-01-01", "9999-12-31", "2019-02-29", "2019-13-01", "1900-01-00", "-2019-01-01", "20190101",
                        "31.12.9999", "99/99/9999", "2019-1-1"][below(10)]
            b.insert(contentsOf: Array(date.utf8), at: at)
        case 8:   // thousands of columns
            b.insert(contentsOf: Array(String(repeating: ",1", count: 1_000 + below(4_000)).utf8), at: at)
        case 9:   // duplicate a line
            let lines = b.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            if lines.count > 2 { let l = lines[1 + below(lines.count - 1)]; b += Array(l) + [UInt8(ascii: "\n")] }
        case 10:  // change the delimiter or the line ending
            let from = [UInt8(ascii: ","), UInt8(ascii: "\n"), UInt8(ascii: ";")][below(3)]
            let to = [UInt8(ascii: ";"), UInt8(ascii: "\r"), UInt8(ascii: "\t"), UInt8(ascii: "|")][below(4)]
            b = b.map { $0 == from && below(4) == 0 ? to : $0 }
        default:  // drop a span
            if !b.isEmpty { let end = min(b.count, at + below(64)); b.removeSubrange(min(at, end)..<end) }
        }
        return b
    }
}
