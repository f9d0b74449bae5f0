import Foundation

/// `tandem up --local -d` on podman, from the command to "ready" (it returns once every pod is
/// ready), then `tandem down --local`: the log-shipping example (a worker and its sidecar, whose
/// readiness probe must pass) and an application of N workers, each with a sidecar. Needs podman
/// and the busybox image of scripts/busybox-image.sh; image import is not part of the figures.
enum LocalBenchmark {
    static func run(components: Int, runs: Int) throws {
        let tandem = try ChildProcess.tandemExecutable()
        guard ChildProcess.which("podman") != nil else {
            print("tandem-bench local: podman is not installed; run scripts/local-runtime-setup.sh first")
            throw POSIXError(.ENOENT)
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-bench-local-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let many = directory.appendingPathComponent("many.yaml").path
        try application(components: components).write(toFile: many, atomically: true, encoding: .utf8)
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/log-shipping.yaml").path

        print("tandem up --local -d until ready, then tandem down --local, on podman; best and median of \(runs)")
        for (label, file, name) in [("log-shipping example (1 pod, worker + sidecar)", example, "log-shipping"),
                                    ("\(components) workers, each with a sidecar (\(components) pods)", many, "bench-local")] {
            var up: [Double] = [], down: [Double] = []
            for _ in 0..<runs {
                up.append(try timed(tandem, ["up", "--local", file, "-d", "--timeout", "120s"]))
                down.append(try timed(tandem, ["down", "--local", name]))
            }
            print(String(format: "  %@\n    ready   best %.2f s  median %.2f s\n    down    best %.2f s  median %.2f s", label,
                         up.min() ?? 0, median(up), down.min() ?? 0, median(down)))
        }
        print("  target: the log-shipping example ready in under 3 s")
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    static func timed(_ tandem: String, _ arguments: [String]) throws -> Double {
        let start = Date()
        let (status, output) = try ChildProcess.run(tandem, arguments)
        guard status == 0 else {
            print(output)
            throw POSIXError(.EIO)
        }
        return Date().timeIntervalSince(start)
    }

    static func application(components: Int) -> String {
        var text = "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata:\n  name: bench-local\nspec:\n  components:\n"
        for index in 0..<components {
            text += """
                - name: worker-\(index)
                  type: worker
                  properties:
                    image: busybox:1.36
                    cmd: ["sh", "-c", "echo started; sleep 3600"]
                  traits:
                    - type: sidecar
                      properties:
                        name: helper
                        image: busybox:1.36
                        cmd: ["sh", "-c", "touch /tmp/ready; sleep 3600"]
                        readinessProbe:
                          exec: {command: ["test", "-f", "/tmp/ready"]}
                          periodSeconds: 1

            """
        }
        return text
    }
}
