import Foundation

/// `tandem up --no-wait` of one application of 50 components, each with a sidecar, against the
/// Kubernetes API test server on loopback: the time of a first deploy (everything created) and
/// of a second (nothing changed), and the requests each sends (counted from `tandem -v`).
enum UpBenchmark {
    static func run(components: Int, runs: Int) throws {
        let tandem = try ChildProcess.tandemExecutable()
        let serverBinary = try ChildProcess.executable("kube-test-server")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-bench-up-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let application = directory.appendingPathComponent("app.yaml").path
        try Self.application(components: components).write(toFile: application, atomically: true, encoding: .utf8)
        let objects = components  // one Deployment per worker component

        print("tandem up --no-wait: \(components) worker components, each with a sidecar (\(objects) objects), "
            + "against kube-test-server on loopback; best and median of \(runs)")
        var first: [Double] = [], second: [Double] = []
        var firstRequests = 0, secondRequests = 0
        for _ in 0..<runs {
            let server = try TestServerProcess(binary: serverBinary, directory: directory)
            defer { server.stop() }
            let arguments = ["up", application, "--kubeconfig", server.kubeconfig, "--no-wait", "-v"]
            let one = try timed(tandem, arguments)
            let two = try timed(tandem, arguments)
            first.append(one.seconds)
            second.append(two.seconds)
            firstRequests = one.requests
            secondRequests = two.requests
        }
        func report(_ label: String, _ times: [Double], _ requests: Int) {
            let sorted = times.sorted()
            print(String(format: "  %@  best %.3f s  median %.3f s  %d requests (%.2f per object)", label, sorted[0],
                         sorted[sorted.count / 2], requests, Double(requests) / Double(objects)))
        }
        report("first deploy (creates) ", first, firstRequests)
        report("second deploy (no-op)  ", second, secondRequests)
        print("  target: two requests per object (dry run, apply) plus discovery, under 1 s")
    }

    static func timed(_ tandem: String, _ arguments: [String]) throws -> (seconds: Double, requests: Int) {
        let start = Date()
        let (status, output) = try ChildProcess.run(tandem, arguments)
        let seconds = Date().timeIntervalSince(start)
        guard status == 0 else {
            print(output)
            throw POSIXError(.EIO)
        }
        let requests = output.split(separator: "\n").filter { $0.hasPrefix("tandem: GET ") || $0.hasPrefix("tandem: PATCH ")
            || $0.hasPrefix("tandem: DELETE ") || $0.hasPrefix("tandem: POST ") || $0.hasPrefix("tandem: PUT ") }.count
        return (seconds, requests)
    }

    static func application(components: Int) -> String {
        var text = "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata:\n  name: bench\nspec:\n  components:\n"
        for index in 0..<components {
            text += """
                - name: worker-\(index)
                  type: worker
                  properties:
                    image: busybox:1.36
                    cmd: ["sh", "-c", "sleep 3600"]
                  traits:
                    - type: sidecar
                      properties:
                        name: shipper
                        image: busybox:1.36
                        cmd: ["sh", "-c", "sleep 3600"]
                        cpu: 50m
                        memory: 32Mi

            """
        }
        return text
    }
}

/// The test server as a child process, with a kubeconfig pointing at it.
final class TestServerProcess {
    let process = Process()
    let kubeconfig: String

    init(binary: String, directory: URL, simulation: Bool = false) throws {
        kubeconfig = directory.appendingPathComponent("kubeconfig-\(UUID().uuidString)").path
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--port", "0", "--kubeconfig-out", kubeconfig] + (simulation ? [] : ["--no-simulation"])
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line says where it listens; the kubeconfig is written by then.
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line += byte }
        guard String(decoding: line, as: UTF8.self).hasPrefix("listening on") else { throw POSIXError(.EIO) }
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
