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
        // The cluster side: a real HTTP stack (NIO, TLS), logs. Kept out of the rendering targets.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // SHA-256 for ApplySet ids.
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        // The controller: metrics in Prometheus' format, graceful shutdown.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // The dashboard's web server.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        .target(name: "TandemJSON"),
        // A CUE parser and evaluator; a leaf like TandemJSON, knowing nothing of Kubernetes.
        .target(name: "TandemCUE", dependencies: ["TandemJSON"]),
        .target(name: "TandemModel", dependencies: ["TandemJSON"]),
        .target(name: "TandemParsing", dependencies: ["TandemJSON", "TandemModel", .product(name: "Yams", package: "Yams")]),
        .target(name: "KubeModel", dependencies: ["TandemJSON"]),
        .target(name: "TandemDefinitions", dependencies: ["TandemJSON", "TandemModel", "KubeModel"]),
        .target(name: "TandemRendering", dependencies: ["TandemJSON", "TandemModel", "TandemParsing", "KubeModel", "TandemDefinitions", "TandemCUE"]),
        // KubeVela's CUE X-Definitions as Tandem definitions: loading, parameters, context, patches.
        .target(name: "TandemKubeVela", dependencies: ["TandemJSON", "TandemModel", "TandemParsing", "KubeModel", "TandemDefinitions", "TandemRendering", "TandemCUE"]),
        .target(name: "KubeClient", dependencies: [
            "TandemJSON", "KubeModel", "TandemModel", "TandemParsing",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOWebSocket", package: "swift-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "TandemDeploy", dependencies: [
            "TandemRendering", "TandemKubeVela", "KubeClient", "TandemWorkflow", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The workflow: which step runs when, gates, suspend and resume, its status in KubeVela's shape.
        .target(name: "TandemWorkflow", dependencies: [
            "TandemJSON", "TandemModel", "TandemParsing", "TandemRendering", "TandemKubeVela", "TandemCUE", "KubeClient",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .target(name: "TandemController", dependencies: [
            "TandemDeploy", "TandemWorkflow", "KubeClient", "TandemKubeVela",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        // The local runtime: podman driven through its command line; AsyncHTTPClient for httpGet probes.
        .target(name: "TandemLocal", dependencies: [
            "TandemRendering", "TandemDeploy", "TandemParsing", "KubeClient",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        // The web dashboard: a Hummingbird server, its JSON API and SSE streams, and its static page.
        .target(name: "TandemDashboard", dependencies: [
            "TandemDeploy", "TandemLocal", "TandemController", "TandemWorkflow", "KubeClient",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], exclude: ["Static"]),
        .target(name: "TandemCLI", dependencies: [
            "TandemDashboard",
            "TandemRendering", "TandemDeploy", "TandemLocal", "TandemController", "TandemKubeVela", "TandemWorkflow",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "tandem", dependencies: ["TandemCLI"]),
        .executableTarget(name: "tandem-bench", dependencies: ["TandemRendering", "KubeClient", "TandemController",
                                                               .product(name: "Yams", package: "Yams")]),
        .executableTarget(name: "tandem-fuzz", dependencies: ["TandemRendering"]),
        // The libFuzzer target over the CUE parser and evaluator alone (scripts/fuzz-cue.sh).
        .executableTarget(name: "tandem-cue-fuzz", dependencies: ["TandemCUE"]),
        .target(name: "TandemTestSupport", dependencies: ["TandemRendering"], path: "Tests/TandemTestSupport"),
        // A Kubernetes API server for tests, on loopback; never a dependency of the product.
        .target(name: "KubeTestServer", dependencies: [
            "TandemJSON", "KubeModel",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOWebSocket", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ], path: "Tests/KubeTestServer"),
        .executableTarget(name: "kube-test-server", dependencies: ["KubeTestServer"], path: "Tests/kube-test-server"),
        .testTarget(name: "TandemCUETests", dependencies: ["TandemCUE"]),
        .testTarget(name: "TandemKubeVelaTests", dependencies: ["TandemKubeVela", "TandemRendering", "TandemTestSupport"],
                    exclude: ["Golden"]),
        .testTarget(name: "TandemModelTests", dependencies: ["TandemModel", "TandemTestSupport"]),
        .testTarget(name: "TandemParsingTests", dependencies: ["TandemParsing", "TandemTestSupport"]),
        .testTarget(name: "TandemRenderingTests", dependencies: ["TandemRendering", "TandemParsing", "TandemTestSupport"],
                    exclude: ["Golden", "Invalid", "json_schema_check.py"]),
        .testTarget(name: "TandemLocalTests", dependencies: ["TandemLocal", "TandemTestSupport"]),
        .testTarget(name: "TandemCLITests", dependencies: ["TandemCLI", "TandemTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "TandemDashboardTests", dependencies: [
            "TandemDashboard", "KubeClient", "KubeTestServer", "TandemTestSupport",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .testTarget(name: "KubeTestServerTests", dependencies: ["KubeTestServer", "TandemTestSupport"]),
        .testTarget(name: "TandemControllerTests", dependencies: ["TandemController", "KubeTestServer", "TandemTestSupport"]),
        .testTarget(name: "TandemWorkflowTests", dependencies: [
            "TandemWorkflow", "KubeTestServer", "TandemTestSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ],
                    exclude: ["Fixtures"]),
        .testTarget(name: "KubeClientTests", dependencies: ["KubeClient", "TandemDeploy", "KubeTestServer", "TandemTestSupport"],
                    exclude: ["Fixtures"]),
    ]
)

for target in package.targets {
    target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("ExistentialAny")]
}
