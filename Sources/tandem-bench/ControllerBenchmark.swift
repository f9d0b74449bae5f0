import Foundation
import KubeClient
import KubeModel
import TandemController
import TandemJSON

/// `tandem controller` converging N applications against the API test server in its own
/// process: the time until every Application is `running`, reconciles per second, API requests
/// per application, the controller's peak resident memory, and the write requests of a resync
/// of all of them unchanged.
enum ControllerBenchmark {
    static func run(applications count: Int) async throws {
        let tandem = try ChildProcess.tandemExecutable()
        let serverBinary = try ChildProcess.executable("kube-test-server")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-bench-controller-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try TestServerProcess(binary: serverBinary, directory: directory, simulation: true)
        defer { server.stop() }
        let connection = try ClusterConnection.resolve(kubeconfig: server.kubeconfig, environment: ["HOME": directory.path])
        let client = try KubeClient(connection)

        print("tandem controller: \(count) applications (a worker with a sidecar each) against kube-test-server (simulated "
            + "controllers and kubelet) on loopback")
        try await client.apply(KubeObject(json: ApplicationDefinition.crd))
        try await client.apply(KubeObject(json: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "tandem-system"]]))
        while (try? await client.resource(for: ApplicationKey.gvk)) == nil {
            await client.forgetDiscovery()
            try await Task.sleep(for: .milliseconds(100))
        }
        let created = ContinuousClock.now
        try await createApplications(count, client: client)
        print(String(format: "  created %d Applications in %.1f s", count, (ContinuousClock.now - created).seconds))

        let controller = Process()
        controller.executableURL = URL(fileURLWithPath: tandem)
        controller.arguments = ["controller", "--kubeconfig", server.kubeconfig, "--leader-elect=false", "--metrics-port", "0",
                                "--concurrency", "16", "--resync", "20s"]
        let logs = Pipe()
        controller.standardError = logs
        controller.standardOutput = FileHandle.nullDevice
        let started = ContinuousClock.now
        try controller.run()
        let port = try metricsPort(from: logs)

        var running = 0
        while running < count {
            try await Task.sleep(for: .milliseconds(500))
            running = try await client.list(ApplicationKey.gvk, namespace: nil).items
                .filter { $0.json[path: ["status", "status"]]?.string == "running" }.count
            if ContinuousClock.now - started > .seconds(600) { break }
        }
        let converged = ContinuousClock.now - started
        let metrics = try await scrape(port: port)
        let reconciles = metrics.sum("tandem_reconciles_total")
        let requests = metrics.sum("tandem_api_requests_total")
        let writes = metrics.writes()
        print(String(format: "  %d of %d running after %.1f s (target: all within 60 s)", running, count, converged.seconds))
        print(String(format: "  %.0f reconciles, %.0f per second", reconciles, reconciles / converged.seconds))
        print(String(format: "  %.0f API requests, %.1f per application (%.0f writes)", requests, requests / Double(count), writes))

        // A resync of everything, unchanged: no write requests.
        try await Task.sleep(for: .seconds(25))
        let after = try await scrape(port: port)
        print(String(format: "  resync of %d unchanged applications: %.0f write requests, %.0f reconciles",
                     count, after.writes() - writes, after.sum("tandem_reconciles_total") - reconciles))
        print("  controller peak resident memory: \(peakMemory(of: controller.processIdentifier) / 1024) MiB (target: under 150 MiB)")
        controller.terminate()
        controller.waitUntilExit()
        print("  SIGTERM: exit status \(controller.terminationStatus)")
        await client.shutdown()
    }

    static func createApplications(_ count: Int, client: KubeClient) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func add() {
                let index = next
                next += 1
                group.addTask {
                    let application: JSONValue = [
                        "apiVersion": "core.oam.dev/v1beta1", "kind": "Application",
                        "metadata": ["name": .string("app-\(index)"), "namespace": "default"],
                        "spec": ["components": [[
                            "name": .string("app-\(index)"), "type": "worker", "properties": ["image": "busybox:1.36"],
                            "traits": [["type": "sidecar", "properties": ["name": "shipper", "image": "busybox:1.36",
                                                                        "cmd": ["sh", "-c", "sleep 3600"]]]],
                        ]]],
                    ]
                    try await client.apply(KubeObject(json: application), options: ApplyOptions(fieldManager: "kubectl"))
                }
            }
            for _ in 0..<min(32, count) { add() }
            while try await group.next() != nil { if next < count { add() } }
        }
    }

    /// The port the controller serves metrics on, from its log.
    static func metricsPort(from logs: Pipe) throws -> Int {
        var text = ""
        while !text.contains("port=") {
            guard let data = try logs.fileHandleForReading.read(upToCount: 256), !data.isEmpty else { throw POSIXError(.EIO) }
            text += String(decoding: data, as: UTF8.self)
        }
        let digits = text.components(separatedBy: "port=").last?.prefix { $0.isNumber } ?? ""
        guard let port = Int(digits) else { throw POSIXError(.EIO) }
        // Keep reading the log so that the controller never blocks on a full pipe.
        Thread.detachNewThread { while (try? logs.fileHandleForReading.read(upToCount: 65536))?.isEmpty == false {} }
        return port
    }

    struct Metrics {
        var lines: [String]
        func sum(_ name: String) -> Double {
            lines.filter { $0.hasPrefix(name + "{") || $0.hasPrefix(name + " ") }
                .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
        }
        func writes() -> Double {
            lines.filter { $0.hasPrefix("tandem_api_requests_total{") && !$0.contains("verb=\"GET\"") && !$0.contains("verb=\"WATCH\"") }
                .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
        }
    }

    static func scrape(port: Int) async throws -> Metrics {
        let client = try KubeClient(ClusterConnection(server: "http://127.0.0.1:\(port)"))
        defer { Task { await client.shutdown() } }
        let response = try await client.sendRaw(KubeRequest(.get, "/metrics"))
        return Metrics(lines: String(decoding: response.body, as: UTF8.self).split(separator: "\n").map(String.init))
    }

    /// VmHWM: the most resident memory the process ever had, in KiB.
    static func peakMemory(of pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
}
