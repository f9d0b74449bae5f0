import Foundation

/// `tandem render --jobs 1` of N copies of the seed's full example (a worker with a sidecar),
/// once through Tandem's built-in worker and sidecar and once through KubeVela's own
/// `worker.cue` and `sidecar.cue` in their place: wall time, peak memory and instructions per
/// application for each, and how many times the built-ins' cost KubeVela's definitions take.
enum CUEBenchmark {
    /// Where KubeVela's definitions are: a checkout of kubevela's `vela-templates/definitions`.
    static let environmentVariable = "TANDEM_KUBEVELA_DEFINITIONS"

    static func run(applications: Int, runs: Int) throws {
        guard let root = ProcessInfo.processInfo.environment[environmentVariable], !root.isEmpty else {
            throw BenchmarkFailure("\(environmentVariable) is not set: point it at KubeVela's definitions directory (the one holding internal/component/worker.cue and internal/trait/sidecar.cue)")
        }
        let definitions = try ["component/worker.cue", "trait/sidecar.cue"].map { try definitionFile($0, under: root) }
        let tandem = try ChildProcess.tandemExecutable()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-bench-cue-\(getpid()).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        let text = (0..<applications).map { index in
            "---\n" + RenderBenchmark.seedFull.replacingOccurrences(of: "name: my-app\n", with: "name: my-app-\(index)\n")
                .replacingOccurrences(of: "- name: my-comp\n", with: "- name: my-comp-\(index)\n")
        }.joined()
        try text.write(to: file, atomically: true, encoding: .utf8)

        let builtIn = ["render", "--jobs", "1", file.path]
        let kubeVela = ["render", "--jobs", "1"] + definitions.flatMap { ["--definitions", $0] } + [file.path]
        for (label, arguments) in [("built-ins", builtIn), ("KubeVela's CUE", kubeVela)] {
            let (status, output) = try ChildProcess.run(tandem, arguments)
            guard status == 0 else { throw BenchmarkFailure("the benchmark input does not render with the \(label):\n\(output.prefix(2000))") }
        }

        print("input:  \(applications) copies of the sidecar trait's full documentation example (a worker with a sidecar) in one file, rendered on 1 core")
        print("KubeVela's definitions: \(definitions.joined(separator: ", "))")
        print("each figure is the best of \(runs) runs, then the median")
        print("")
        print("                                  wall         CPU          peak RSS")
        let builtInRuns = try (0..<runs).map { _ in try ChildProcess.measureFromHelper(tandem, builtIn) }
        RenderBenchmark.report("tandem render, built-ins      ", builtInRuns)
        let kubeVelaRuns = try (0..<runs).map { _ in try ChildProcess.measureFromHelper(tandem, kubeVela) }
        RenderBenchmark.report("tandem render, KubeVela's CUE ", kubeVelaRuns)

        let builtInCount = try RenderBenchmark.instructionCount(tandem, builtIn) / Double(applications)
        let kubeVelaCount = try RenderBenchmark.instructionCount(tandem, kubeVela) / Double(applications)
        print("")
        print(String(format: "instructions per application (valgrind, %d applications, 1 core):", applications))
        print(String(format: "  built-ins       %8.0f thousand", builtInCount / 1000))
        print(String(format: "  KubeVela's CUE  %8.0f thousand", kubeVelaCount / 1000))
        print(String(format: "  ratio           %8.2f×  (target ≤ 3×)", kubeVelaCount / builtInCount))
        let best = kubeVelaRuns.map(\.wall).min() ?? 0
        print(String(format: "KubeVela's CUE, wall for %d applications: %.3f s best, %.3f s median  (target < 1 s for 1,000)",
                     applications, best, RenderBenchmark.median(kubeVelaRuns.map(\.wall))))
    }

    /// `component/worker.cue` in the directory itself, or under its `internal/` as in KubeVela's tree.
    static func definitionFile(_ relative: String, under root: String) throws -> String {
        let name = URL(fileURLWithPath: relative).lastPathComponent
        let candidates = ["\(root)/internal/\(relative)", "\(root)/\(relative)", "\(root)/\(name)"]
        guard let found = candidates.first(where: { FileManager.default.isReadableFile(atPath: $0) }) else {
            throw BenchmarkFailure("\(environmentVariable)=\(root) holds no \(name) (looked for \(candidates.joined(separator: ", ")))")
        }
        return found
    }
}
