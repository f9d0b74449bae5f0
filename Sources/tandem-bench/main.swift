import Foundation

// Benchmarks that print figures; nothing here asserts a time.
//
//   swift run -c release tandem-bench [render] [--applications N] [--runs N]
//       10,000 copies of the seed's full example in files of 1,000: tandem render on one core
//       and on all, libyaml's parse alone, one seed example, instructions per application
//   swift run -c release tandem-bench cue [--applications N] [--runs N]
//       (TANDEM_KUBEVELA_DEFINITIONS set) 1,000 seed examples rendered on one core through the
//       built-ins and through KubeVela's worker.cue and sidecar.cue: time, memory, instructions, ratio
//   swift run -c release tandem-bench hostile
//       time and peak memory to refuse hostile inputs
//   swift run -c release tandem-bench controller [--applications N] [--workflow]
//       tandem controller converging N applications against the API test server: time, requests, memory;
//       --workflow: each with a two-environment workflow (staging, then production)
//   swift run -c release tandem-bench up [--components N] [--runs N]
//       tandem up --no-wait of 50 components with sidecars against the API test server: time, requests
//   swift run -c release tandem-bench dashboard [--applications N] [--runs N]
//       tandem dashboard over N applications deployed with tandem up to the API test server: the
//       first complete list after its start, the list with the watch cache warm, a page's first load
//   swift run -c release tandem-bench local [--components N] [--runs N]
//       tandem up --local -d until ready on podman: the log-shipping example and 10 workers with sidecars
//   swift run -c release tandem-bench local-stress [--cycles N] [--loaders N]
//       N up --local -d / down cycles with every core busy: failures, leftovers, time per cycle
//
// Each builds the release `tandem` it measures when it is missing.

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, default value: Int) -> Int {
    let arguments = Array(CommandLine.arguments.dropFirst())
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let number = Int(arguments[index + 1]) else { return value }
    return number
}
do {
    switch arguments.first {
    case "hostile":
        try HostileInputs.run()
    case "controller":
        try await ControllerBenchmark.run(applications: option("--applications", default: 10_000), workflow: arguments.contains("--workflow"))
    case "up":
        try UpBenchmark.run(components: option("--components", default: 50), runs: option("--runs", default: 5))
    case "dashboard":
        try await DashboardBenchmark.run(applications: option("--applications", default: 1_000), runs: option("--runs", default: 10))
    case "local":
        try LocalBenchmark.run(components: option("--components", default: 10), runs: option("--runs", default: 3))
    case "local-stress":
        try LocalStressBenchmark.run(cycles: option("--cycles", default: 30), loaders: option("--loaders", default: 2))
    case "cue":
        try CUEBenchmark.run(applications: option("--applications", default: 1_000), runs: option("--runs", default: 5))
    case "measure":
        try ChildProcess.measureAndPrint(Array(arguments.dropFirst()))
    default:
        try RenderBenchmark.run(applications: option("--applications", default: 10_000), perFile: 1_000, runs: option("--runs", default: 5))
    }
} catch {
    try? FileHandle.standardError.write(contentsOf: Data("tandem-bench: \(error)\n".utf8))
    exit(1)
}
