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
    static func run(applications count: Int, workflow: Bool) async throws {
        let tandem = try ChildProcess.tandemExecutable()
        let serverBinary = try ChildProcess.executable("kube-test-server")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-bench-controller-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try TestServerProcess(binary: serverBinary, directory: directory, simulation: true)
        defer { server.stop() }
        let connection = try ClusterConnection.resolve(kubeconfig: server.kubeconfig, environment: ["HOME": directory.path])
        let client = try KubeClient(connection)

        print("tandem controller: \(count) applications (a worker with a sidecar each"
            + (workflow ? ", delivered by a workflow to staging, then production" : "")
            + ") against kube-test-server (simulated controllers and kubelet) on loopback")
        try await client.apply(KubeObject(json: ApplicationDefinition.crd))
        try await client.apply(KubeObject(json: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "tandem-system"]]))
        while (try? await client.resource(for: ApplicationKey.gvk)) == nil {
            await client.forgetDiscovery()
            try await Task.sleep(for: .milliseconds(100))
        }
        for namespace in workflow ? Self.environments : [] { try await client.apply(KubeObject(.namespace, name: namespace)) }
        let created = ContinuousClock.now
        try await createApplications(count, workflow: workflow, client: client)
        print(String(format: "  created %d Applications in %.1f s", count, (ContinuousClock.now - created).seconds))

        let controller = Process()
        controller.executableURL = URL(fileURLWithPath: tandem)
        controller.arguments = ["controller", "--kubeconfig", server.kubeconfig, "--leader-elect=false", "--metrics-port", "0",
                                "--concurrency", "16", "--resync", "20s"]
        // TANDEM_BENCH_LOG=FILE keeps the controller's log, with every request (-v), for a closer look.
        let logFile = ProcessInfo.processInfo.environment["TANDEM_BENCH_LOG"]
        if logFile != nil { controller.arguments?.append("-v") }
        let logs = Pipe()
        controller.standardError = logs
        controller.standardOutput = FileHandle.nullDevice
        let started = ContinuousClock.now
        try controller.run()
        let port = try metricsPort(from: logs, copyTo: logFile)

        // The controller's own gauge says how many are running: listing 10,000 Applications every
        // half second would load the server more than the controller does.
        var running = 0
        while running < count {
            try await Task.sleep(for: .milliseconds(250))
            running = Int(try await scrape(port: port).value("tandem_applications{status=\"running\"}"))
            if ContinuousClock.now - started > .seconds(600) { break }
        }
        let converged = ContinuousClock.now - started
        let confirmed = try await client.list(ApplicationKey.gvk, namespace: nil).items
            .filter { $0.json[path: ["status", "status"]]?.string == "running" }.count
        let metrics = try await scrape(port: port)
        let reconciles = metrics.sum("tandem_reconciles_total")
        let requests = metrics.sum("tandem_api_requests_total")
        let writes = metrics.writes()
        print(String(format: "  %d of %d running after %.1f s (target: all within 60 s); the API server's list agrees: %d",
                     running, count, converged.seconds, confirmed))
        print(String(format: "  CPU: controller %.1f s, API test server %.1f s", cpuSeconds(of: controller.processIdentifier),
                     cpuSeconds(of: server.process.processIdentifier)))
        print(String(format: "  %.0f reconciles, %.0f per second", reconciles, reconciles / converged.seconds))
        print(String(format: "  %.0f API requests, %.1f per application (%.0f writes): %@", requests, requests / Double(count), writes,
                     metrics.byVerb().map { "\($0.key) \(Int($0.value))" }.sorted().joined(separator: ", ")))

        // A resync of everything, unchanged: no write requests. An application is resynced once
        // it has not been reconciled for a whole period: two periods cover every one.
        try await Task.sleep(for: .seconds(45))
        let after = try await scrape(port: port)
        print(String(format: "  resync of %d unchanged applications: %.0f write requests, %.0f reconciles",
                     count, after.writes() - writes, after.sum("tandem_reconciles_total") - reconciles))
        print("  controller peak resident memory: \(peakMemory(of: controller.processIdentifier) / 1024) MiB (target: under 150 MiB)")
        controller.terminate()
        controller.waitUntilExit()
        print("  SIGTERM: exit status \(controller.terminationStatus)")
        await client.shutdown()
    }

    /// The namespaces of the two-environment workflow.
    static let environments = ["staging", "production"]

    static func createApplications(_ count: Int, workflow: Bool, client: KubeClient) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func add() {
                let index = next
                next += 1
                group.addTask {
                    var application: JSONValue = [
                        "apiVersion": "core.oam.dev/v1beta1", "kind": "Application",
                        "metadata": ["name": .string("app-\(index)"), "namespace": "default"],
                        "spec": ["components": [[
                            "name": .string("app-\(index)"), "type": "worker", "properties": ["image": "busybox:1.36"],
                            "traits": [["type": "sidecar", "properties": ["name": "shipper", "image": "busybox:1.36",
                                                                        "cmd": ["sh", "-c", "sleep 3600"]]]],
                        ]]],
                    ]
                    if workflow {
                        application[path: ["spec", "policies"]] = .array(environments.map { environment in
                            ["name": .string(environment), "type": "topology", "properties": ["clusters": ["local"], "namespace": .string(environment)]]
                        })
                        application[path: ["spec", "workflow"]] = ["steps": .array(environments.map { environment in
                            ["name": .string("deploy-\(environment)"), "type": "deploy", "properties": ["policies": [.string(environment)]]]
                        })]
                    }
                    try await client.managed(by: "kubectl").apply(KubeObject(json: application))
                }
            }
            for _ in 0..<min(32, count) { add() }
            while try await group.next() != nil { if next < count { add() } }
        }
    }

    /// The port the controller serves metrics on, from its log.
    static func metricsPort(from logs: Pipe, copyTo path: String? = nil) throws -> Int {
        let copy = path.flatMap { path -> FileHandle? in
            FileManager.default.createFile(atPath: path, contents: nil) ? FileHandle(forWritingAtPath: path) : nil
        }
        var text = ""
        while !text.contains("port=") {
            guard let data = try logs.fileHandleForReading.read(upToCount: 256), !data.isEmpty else { throw POSIXError(.EIO) }
            copy?.write(data)
            text += String(decoding: data, as: UTF8.self)
        }
        let digits = text.components(separatedBy: "port=").last?.prefix { $0.isNumber } ?? ""
        guard let port = Int(digits) else { throw POSIXError(.EIO) }
        // Keep reading the log so that the controller never blocks on a full pipe.
        Thread.detachNewThread {
            while let data = try? logs.fileHandleForReading.read(upToCount: 65536), !data.isEmpty { copy?.write(data) }
        }
        return port
    }

    struct Metrics {
        var lines: [String]
        func sum(_ name: String) -> Double {
            lines.filter { $0.hasPrefix(name + "{") || $0.hasPrefix(name + " ") }
                .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
        }
        func value(_ series: String) -> Double {
            lines.first { $0.hasPrefix(series + " ") }.flatMap { $0.split(separator: " ").last.flatMap { Double($0) } } ?? 0
        }
        func byVerb() -> [String: Double] {
            var counts: [String: Double] = [:]
            for line in lines where line.hasPrefix("tandem_api_requests_total{") {
                guard let verb = line.components(separatedBy: "verb=\"").dropFirst().first?.prefix(while: { $0 != "\"" }),
                      let value = line.split(separator: " ").last.flatMap({ Double($0) }) else { continue }
                counts[String(verb), default: 0] += value
            }
            return counts
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

    /// User and system CPU time of a process so far, from /proc/PID/stat.
    static func cpuSeconds(of pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let end = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        // After the command: state is field 3; utime and stime are fields 14 and 15.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// VmHWM: the most resident memory the process ever had, in KiB.
    static func peakMemory(of pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
}
