// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Tandem",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tandem", targets: ["tandem"]),
        .library(name: "TandemKit", targets: ["TandemJSON", "TandemModel", "TandemParsing", "KubeModel", "TandemDefinitions", "TandemRendering"]),
    ],
    dependencies: [
        // Yams is here for its bundled libyaml (the CYaml module): Tandem reads YAML at the event
        // level so that it controls locations, duplicate keys, aliases and limits itself.
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(name: "TandemJSON"),
        .target(name: "TandemModel", dependencies: ["TandemJSON"]),
        .target(name: "TandemParsing", dependencies: ["TandemJSON", "TandemModel", .product(name: "Yams", package: "Yams")]),
        .target(name: "KubeModel", dependencies: ["TandemJSON"]),
        .target(name: "TandemDefinitions", dependencies: ["TandemJSON", "TandemModel", "KubeModel"]),
        .target(name: "TandemRendering", dependencies: ["TandemJSON", "TandemModel", "TandemParsing", "KubeModel", "TandemDefinitions"]),
        .target(name: "TandemCLI", dependencies: [
            "TandemRendering",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "tandem", dependencies: ["TandemCLI"]),
        .executableTarget(name: "tandem-bench", dependencies: ["TandemRendering", .product(name: "Yams", package: "Yams")]),
        .executableTarget(name: "tandem-fuzz", dependencies: ["TandemRendering"]),
        .target(name: "TandemTestSupport", dependencies: ["TandemRendering"], path: "Tests/TandemTestSupport"),
        .testTarget(name: "TandemModelTests", dependencies: ["TandemModel", "TandemTestSupport"]),
        .testTarget(name: "TandemParsingTests", dependencies: ["TandemParsing", "TandemTestSupport"]),
        .testTarget(name: "TandemRenderingTests", dependencies: ["TandemRendering", "TandemParsing", "TandemTestSupport"],
                    exclude: ["Golden", "Invalid", "json_schema_check.py"]),
        .testTarget(name: "TandemCLITests", dependencies: ["TandemCLI", "TandemTestSupport"], exclude: ["Fixtures"]),
    ]
)

for target in package.targets {
    target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("ExistentialAny")]
}
