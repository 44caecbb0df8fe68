// swift-tools-version: 6.1
// Augur: a forecasting application for price-like time series.
import PackageDescription

// Release builds must use the CPU's vector units: with plain -O Swift emits no AVX/FMA on
// x86-64 and the SIMD kernels run two orders of magnitude slower. Haswell (2013) is the
// default baseline; set AUGUR_TARGET_CPU to build for another CPU, e.g.
// `AUGUR_TARGET_CPU=x86-64 swift build -c release` for a machine without AVX2/FMA.
// arm64 keeps the compiler's defaults (NEON is always there).
#if arch(x86_64)
let targetCPU = Context.environment["AUGUR_TARGET_CPU"] ?? "haswell"
let vectorFlags: [SwiftSetting] = [.unsafeFlags(["-target-cpu", targetCPU])]
#else
let vectorFlags: [SwiftSetting] = []
#endif

let common: [SwiftSetting] = vectorFlags
// The numerical modules are optimised in debug builds too: unoptimised, the statistical models' fits
// run about 90 times slower (a 28-origin `auto` backtest of airline passengers took 4.5 minutes instead
// of 3 s), which made the test suite's end-to-end runs through them too slow for CI. Tests still import
// them with @testable (SwiftPM keeps -enable-testing in debug).
let optimisedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "Augur",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "augur", targets: ["augur"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
        // postgres-nio's own dependencies, named for the types the PostgreSQL backend uses directly.
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.25.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.3"),
    ],
    targets: [
        .target(name: "AugurCore", swiftSettings: common),
        .systemLibrary(name: "CCSV", path: "Sources/CCSV"),
        .target(name: "AugurIngest", dependencies: ["CCSV", "AugurCore"], swiftSettings: common),
        .target(name: "AugurStore", dependencies: ["AugurCore", .product(name: "GRDB", package: "GRDB.swift"),
                                              .product(name: "GRDBSQLite", package: "GRDB.swift"),
                                              .product(name: "PostgresNIO", package: "postgres-nio"),
                                              .product(name: "NIOCore", package: "swift-nio"),
                                              .product(name: "NIOSSL", package: "swift-nio-ssl"),
                                              .product(name: "Logging", package: "swift-log")],
                swiftSettings: common),
        // The Float kernels, compiled once per instruction set and chosen at run time (see
        // Sources/CAugurKernels/include/augur_kernels.h). Optimised in debug builds too, like AugurNN.
        .target(name: "CAugurKernels", cSettings: [.unsafeFlags(["-O2", "-fno-math-errno", "-Wall", "-Wextra"])]),
        .target(name: "AugurNN", dependencies: ["CAugurKernels"], swiftSettings: common + optimisedInDebug
                    + [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),
        .target(name: "AugurForecast", dependencies: ["AugurCore", "AugurNN"], swiftSettings: common + optimisedInDebug),
        .target(name: "AugurReport", dependencies: ["AugurCore"], swiftSettings: common),
        .target(name: "AugurApp", dependencies: ["AugurCore", "AugurIngest", "AugurStore", "AugurNN", "AugurForecast",
                                            "AugurReport"],
                swiftSettings: common),
        .executableTarget(name: "augur", dependencies: [
            "AugurApp", "AugurCore", "AugurIngest", "AugurStore", "AugurNN", "AugurForecast", "AugurReport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: common),
        .target(name: "AugurTestSupport", path: "Tests/AugurTestSupport", swiftSettings: common),
        .testTarget(name: "AugurCoreTests", dependencies: ["AugurCore"], swiftSettings: common),
        .testTarget(name: "AugurIngestTests", dependencies: ["AugurIngest", "AugurCore", "AugurTestSupport"],
                    swiftSettings: common),
        .testTarget(name: "AugurStoreTests", dependencies: ["AugurStore", "AugurCore", "AugurTestSupport"],
                    swiftSettings: common),
        .testTarget(name: "AugurNNTests", dependencies: ["AugurNN"], swiftSettings: common),
        .testTarget(name: "AugurForecastTests", dependencies: ["AugurForecast", "AugurCore", "AugurNN"], swiftSettings: common),
        .testTarget(name: "AugurReportTests", dependencies: ["AugurReport", "AugurCore", "AugurForecast"], exclude: ["__Snapshots__"],
                    swiftSettings: common),
        .testTarget(name: "AugurAppTests", dependencies: ["AugurApp", "AugurCore", "AugurIngest", "AugurStore",
                                                          "AugurTestSupport", "augur"],
                    swiftSettings: common),
    ]
)
