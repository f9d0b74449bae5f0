import Foundation
import KubeClient

/// `tandem dashboard` over N applications deployed with `tandem up` to the API test server:
/// the time from the dashboard's start to its first complete `/api/applications` (its watches
/// listing everything: parent Secrets, Deployments, pods, events), the time of that answer
/// once the watch cache is warm, and a page's first load (the page, its script and style, and
/// the list), with the dashboard's CPU and peak memory.
enum DashboardBenchmark {
    static func run(applications count: Int, runs: Int) async throws {
        let tandem = try ChildProcess.tandemExecutable()
        let serverBinary = try ChildProcess.executable("kube-test-server")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-bench-dashboard-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try TestServerProcess(binary: serverBinary, directory: directory, simulation: true)
        defer { server.stop() }
        print("tandem dashboard: \(count) applications deployed with tandem up (a worker each: a Deployment and its pod) "
            + "against kube-test-server (simulated controllers and kubelet) on loopback")

        let file = directory.appendingPathComponent("applications.yaml").path
        try (0..<count).map { index in
            """
            ---
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: app-\(index)}
            spec:
              components:
                - name: app-\(index)
                  type: worker
                  properties: {image: busybox:1.36}
            """
        }.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let deployStart = ContinuousClock.now
        let (status, output) = try ChildProcess.run(tandem, ["up", file, "--no-wait", "--kubeconfig", server.kubeconfig])
        guard status == 0 else {
            print(output.suffix(2000))
            throw BenchmarkFailure("tandem up failed")
        }
        print(String(format: "  deployed in %.1f s (tandem up --no-wait)", (ContinuousClock.now - deployStart).seconds))

        let dashboard = Process()
        dashboard.executableURL = URL(fileURLWithPath: tandem)
        dashboard.arguments = ["dashboard", "--port", "0", "--kubeconfig", server.kubeconfig]
        let output2 = Pipe()
        dashboard.standardOutput = output2
        dashboard.standardError = FileHandle.nullDevice
        let started = ContinuousClock.now
        try dashboard.run()
        defer { if dashboard.isRunning { dashboard.terminate() } }
        let port = try listeningPort(output2)
        let client = try KubeClient(ClusterConnection(server: "http://127.0.0.1:\(port)"))

        // The first answer waits until every watch has listed once.
        let first = try await client.sendRaw(KubeRequest(.get, "/api/applications"))
        let firstTime = ContinuousClock.now - started
        let rows = first.body.count
        print(String(format: "  first complete list after the dashboard's start: %.2f s (%d KiB of JSON)", firstTime.seconds, rows / 1024))

        var warm: [Double] = []
        for _ in 0..<runs {
            let start = ContinuousClock.now
            _ = try await client.sendRaw(KubeRequest(.get, "/api/applications"))
            warm.append((ContinuousClock.now - start).seconds * 1000)
        }
        warm.sort()
        print(String(format: "  /api/applications, watch cache warm: median %.1f ms, slowest %.1f ms of %d (target: the list of %d under 1 s)",
                     warm[warm.count / 2], warm.last ?? 0, runs, count))

        var loads: [Double] = []
        for _ in 0..<runs {
            let start = ContinuousClock.now
            for path in ["/", "/app.js", "/style.css", "/api/applications"] { _ = try await client.sendRaw(KubeRequest(.get, path)) }
            loads.append((ContinuousClock.now - start).seconds * 1000)
        }
        loads.sort()
        print(String(format: "  a page's first load (page, script, style, list): median %.1f ms", loads[loads.count / 2]))
        print(String(format: "  dashboard CPU %.1f s, peak resident memory %d MiB", ControllerBenchmark.cpuSeconds(of: dashboard.processIdentifier),
                     ControllerBenchmark.peakMemory(of: dashboard.processIdentifier) / 1024))
        dashboard.terminate()
        dashboard.waitUntilExit()
        print("  SIGTERM: exit status \(dashboard.terminationStatus)")
        await client.shutdown()
    }

    /// The port from the dashboard's first line, `Dashboard at http://127.0.0.1:PORT/`.
    static func listeningPort(_ pipe: Pipe) throws -> Int {
        var text = ""
        while !text.contains("\n") {
            // availableData returns what there is; read(upToCount:) would wait for all 256 bytes.
            let data = pipe.fileHandleForReading.availableData
            guard !data.isEmpty else { throw BenchmarkFailure("the dashboard did not start") }
            text += String(decoding: data, as: UTF8.self)
        }
        let line = text.prefix { $0 != "\n" }
        guard let port = Int(line.split(separator: ":").last?.filter(\.isNumber) ?? "") else {
            throw BenchmarkFailure("the dashboard's first line names no port: \(line)")
        }
        return port
    }
}
