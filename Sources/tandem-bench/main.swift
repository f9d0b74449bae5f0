import Foundation
import TandemJSON
import TandemModel
import TandemRendering

// Render throughput benchmark: N seed-sized Applications (the seed's full example, one probe
// handler kept) rendered to YAML, against PyYAML's libyaml-backed loader and dumper reading the
// same input and writing the same output.
//
//   swift run -c release tandem-bench [count] [--no-python]
//   swift run -c release tandem-bench hostile      (time and memory to refuse hostile inputs)

let arguments = CommandLine.arguments.dropFirst()
if arguments.first == "hostile" {
    try HostileInputs.run()
    exit(0)
}
if arguments.first == "measure" {
    try HostileInputs.measureAndPrint(Array(arguments.dropFirst()))
    exit(0)
}
let count = arguments.first.flatMap { Int($0) } ?? 10_000
let comparePython = !arguments.contains("--no-python")

func application(_ index: Int) -> String {
    """
    apiVersion: core.oam.dev/v1beta1
    kind: Application
    metadata:
      name: app-\(index)
    spec:
      components:
        - name: comp-\(index)
          type: worker
          properties:
            image: my-app-image:v1.0.\(index % 100)
          traits:
            - type: sidecar
              properties:
                name: log-shipper
                image: my-side-image:v1.0.0
                cmd: ["server", "run"]
                args: ["arg1", "arg2"]
                env:
                  - name: ENV_1
                    value: value1
                  - name: ENV_2
                    valueFrom:
                      secretKeyRef:
                        name: mysecret
                        key: username
                  - name: ENV_3
                    valueFrom:
                      configMapKeyRef:
                        name: game-demo
                        key: player_initial_lives
                volumes:
                  - name: varlog
                    path: /var/log
                livenessProbe:
                  exec:
                    command: ["cmd"]
                  failureThreshold: 1
                  periodSeconds: 5
                  initialDelaySeconds: 3
                readinessProbe:
                  httpGet:
                    path: /healthz
                    port: 8080
                  failureThreshold: 1
                  periodSeconds: 5
                  initialDelaySeconds: 3

    """
}

// One file per application, as a directory of Application files would be read.
let sources = (0..<count).map { SourceFile(name: "app-\($0).yaml", text: application($0)) }
let input = (0..<count).map { "---\n" + application($0) }.joined()
let pipeline = RenderPipeline()

var output = ""
var best = Duration.seconds(1_000)
for _ in 0..<5 {
    let start = ContinuousClock.now
    let result = pipeline.render(sources)
    if let problem = result.diagnostics.first(where: \.isError) {
        print("the benchmark input does not render: \(problem)")
        exit(1)
    }
    output = YAMLWriter.documents(result.objects.map(\.json))
    best = min(best, ContinuousClock.now - start)
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

let tandemSeconds = seconds(best)
print("applications:      \(count)")
print("input:             \(input.utf8.count / 1024) KiB, output: \(output.utf8.count / 1024) KiB")
print(String(format: "tandem render:     %.3f s  (%.0f applications/s, %.1f µs each; best of 5)",
             tandemSeconds, Double(count) / tandemSeconds, tandemSeconds / Double(count) * 1e6))

guard comparePython else { exit(0) }

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-bench-\(getpid())")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }
let inputURL = directory.appendingPathComponent("input.yaml")
let outputURL = directory.appendingPathComponent("output.yaml")
try input.write(to: inputURL, atomically: true, encoding: .utf8)
try output.write(to: outputURL, atomically: true, encoding: .utf8)

let script = """
import sys, time, yaml
source = open(sys.argv[1]).read()
objects = list(yaml.load_all(open(sys.argv[2]).read(), Loader=yaml.CLoader))
best = 1e9
for _ in range(5):
    start = time.perf_counter()
    list(yaml.load_all(source, Loader=yaml.CLoader))
    yaml.dump_all(objects, Dumper=yaml.CDumper, sort_keys=False)
    best = min(best, time.perf_counter() - start)
print(best)
"""
let python = Process()
python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
python.arguments = ["python3", "-c", script, inputURL.path, outputURL.path]
let pipe = Pipe()
python.standardOutput = pipe
try python.run()
let reply = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
python.waitUntilExit()
guard python.terminationStatus == 0, let pythonSeconds = Double(reply.trimmingCharacters(in: .whitespacesAndNewlines)) else {
    print("pyyaml:            unavailable (python3 with PyYAML built against libyaml is needed)")
    exit(0)
}
print(String(format: "pyyaml C load+dump: %.3f s  (load the input, dump the output; best of 5)", pythonSeconds))
print(String(format: "ratio tandem/pyyaml: %.2f  (target: at most 1.00)", tandemSeconds / pythonSeconds))
