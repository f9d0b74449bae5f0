// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Tandem",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tandem", targets: ["tandem"]),
        .library(name: "TandemKit", targets: ["TandemModel", "TandemParsing", "KubeModel", "TandemDefinitions", "TandemRendering"]),
    ],
    dependencies: [
        // Yams is here for its bundled libyaml (the CYaml module): Tandem reads YAML at the event
        // level so that it controls locations, duplicate keys, aliases and limits itself.
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(name: "TandemModel"),
        .target(name: "TandemParsing", dependencies: ["TandemModel", .product(name: "Yams", package: "Yams")]),
        .target(name: "KubeModel", dependencies: ["TandemModel"]),
        .target(name: "TandemDefinitions", dependencies: ["TandemModel", "KubeModel"]),
        .target(name: "TandemRendering", dependencies: ["TandemModel", "TandemParsing", "KubeModel", "TandemDefinitions"]),
        .target(name: "TandemCLI", dependencies: [
            "TandemRendering",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "tandem", dependencies: ["TandemCLI"]),
        .executableTarget(name: "tandem-bench", dependencies: ["TandemRendering"]),
        .executableTarget(name: "tandem-fuzz", dependencies: ["TandemRendering"]),
        .testTarget(name: "TandemModelTests", dependencies: ["TandemModel"]),
        .testTarget(name: "TandemParsingTests", dependencies: ["TandemParsing"]),
        .testTarget(name: "TandemRenderingTests", dependencies: ["TandemRendering", "TandemParsing"], exclude: ["Golden", "Invalid", "json_schema_check.py"]),
        .testTarget(name: "TandemCLITests", dependencies: ["TandemCLI"], exclude: ["Fixtures"]),
    ]
)

for target in package.targets {
    target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("ExistentialAny")]
}
