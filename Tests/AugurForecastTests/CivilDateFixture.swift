import AugurCore

/// Dates for tests, force-unwrapped because a bad literal is a bug in the test itself.
enum CivilDateFixture {
    static func month(_ year: Int, _ month: Int) -> CivilDate { CivilDate(year: year, month: month, day: 1)! }
    static func day(_ year: Int, _ month: Int, _ day: Int) -> CivilDate { CivilDate(year: year, month: month, day: day)! }
}
