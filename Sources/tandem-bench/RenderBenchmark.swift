import CYaml
import Foundation

/// `tandem render DIR` on the seed's full example exactly as written (comments included, one
/// probe handler kept), repeated with unique names in files of 1,000 documents: wall time, CPU
/// time and peak resident memory, on one core and on all, beside libyaml parsing the same files.
enum RenderBenchmark {
    /// The seed's full example, one handler per probe (exec kept).
    static let seedFull = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: my-app
        spec:
          components:
            - name: my-comp
              type: worker
              properties:
                image: my-app-image:v1.0.0
              traits:
                - type: sidecar # Set to sidecar
                  properties:
                    name: trait-name # (Required) name of the trait 
                    image: my-side-image:v1.0.0 # (Required) side car image
                    cmd: ["server", "run"] # (Optional) Commands to run in the container.
                    args: ["arg1", "arg2"] # (Optional) Args in the sidecar.
                    env: # (Optional) env in the sidecar
                      # Direct variable
                      - name: ENV_1 # Variable name
                        value: value1
                      # Variable from secret
                      - name: ENV_2 # Variable name
                        valueFrom:
                          secretKeyRef:
                            name: mysecret # Secret Name (existing one)
                            key: username # Secret Key 
                      # Variable from configMap
                      - name: ENV_3 # Variable name
                        valueFrom:
                          configMapKeyRef:
                            name: game-demo # ConfigMap Name (existing one)
                            key: player_initial_lives  # ConfigMap Key  
                    volumes:
                      - name: varlog
                        path: /var/log
                    livenessProbe: # (Optional) Definition of the liveness probe to determine the 
                                   # health status of a component rebooting it if needed
                      # Option 1
                      exec: # (Optional)
                        command: ["cmd"] # A command to be executed inside the container to evaluate container state. 
                      failureThreshold: 1 # Number of consecutive failures required to determine the container is not alive. Set to 3 by default
                      periodSeconds: 5 # How often, in seconds, to execute the probe. Set to 10 by default
                      initialDelaySeconds: 3 # Number of seconds after the container is started before the first
                    readinessProbe: # (Optional) Definition of the readiness probe to determine the 
                               # if the component can accept traffic.
                      # Option 1
                      exec: # (Optional)
                        command: ["cmd"] # A command to be executed inside the container to determine the if the component can accept traffic.
                      failureThreshold: 1 # Number of consecutive failures required to determine the container is not ready. Set to 3 by default
                      periodSeconds: 5 # How often, in seconds, to execute the probe. Set to 10 by default
                      initialDelaySeconds: 3 # Number of seconds after the container is started before the first

        """

    static func run(applications: Int, perFile: Int, runs: Int) throws {
        let tandem = try ChildProcess.tandemExecutable()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [URL] = []
        var inputBytes = 0
        for file in 0..<(applications + perFile - 1) / perFile {
            let range = (file * perFile)..<min(applications, (file + 1) * perFile)
            let text = range.map { index in
                "---\n" + seedFull.replacingOccurrences(of: "name: my-app\n", with: "name: my-app-\(index)\n")
                    .replacingOccurrences(of: "- name: my-comp\n", with: "- name: my-comp-\(index)\n")
            }.joined()
            let url = directory.appendingPathComponent(String(format: "apps-%03d.yaml", file))
            try text.write(to: url, atomically: true, encoding: .utf8)
            files.append(url)
            inputBytes += text.utf8.count
        }
        let seed = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-bench-example-\(getpid()).yaml")
        defer { try? FileManager.default.removeItem(at: seed) }
        try seedFull.write(to: seed, atomically: true, encoding: .utf8)
        let (status, output) = try ChildProcess.run(tandem, ["render", files[0].path])
        guard status == 0 else { print("the benchmark input does not render:\n\(output.prefix(2000))"); exit(1) }
        let outputBytes = try renderedBytes(tandem, directory: directory, files: files)

        let cores = ProcessInfo.processInfo.activeProcessorCount
        print("input:  \(applications) applications in \(files.count) files, \(megabytes(inputBytes)) MB; output \(megabytes(outputBytes)) MB of YAML")
        print("machine: \(cores) cores; each figure is the best of \(runs) runs, then the median")
        print("")
        print("                          wall         CPU          peak RSS")
        for jobs in [1, cores] {
            let results = try (0..<runs).map { _ in
                try ChildProcess.measureFromHelper(tandem, ["render", "--jobs", "\(jobs)", directory.path])
            }
            report(jobs == 1 ? "tandem render, 1 core " : "tandem render, \(jobs) cores", results)
        }
        let parse = (0..<runs).map { _ in libyamlParse(files) }
        print(String(format: "libyaml parse only (1 core)  %.3f s  (median %.3f s)", parse.min() ?? 0, median(parse)))
        let seedRuns = try (0..<runs).map { _ in try ChildProcess.measureFromHelper(tandem, ["render", seed.path]) }
        report("one full example       ", seedRuns)
        try instructions(tandem, file: files[0], applications: min(perFile, applications))
    }

    static func renderedBytes(_ tandem: String, directory: URL, files: [URL]) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tandem)
        process.arguments = ["render"] + files.map(\.path)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        var count = 0
        while let chunk = try pipe.fileHandleForReading.read(upToCount: 1 << 20), !chunk.isEmpty { count += chunk.count }
        process.waitUntilExit()
        return count
    }

    static func report(_ label: String, _ results: [Measurement]) {
        guard let best = results.min(by: { $0.wall < $1.wall }) else { return }
        let failed = results.contains { $0.status != 0 } ? "  (a run failed!)" : ""
        print(String(format: "%@    %.3f s      %.3f s      %.1f MB    (median %.3f s wall, %.3f s CPU)%@", label,
                     best.wall, best.cpu, Double(best.peakKiB) / 1024, median(results.map(\.wall)), median(results.map(\.cpu)), failed))
    }

    /// Parses every file with libyaml's event parser alone, as fast as it goes: the floor.
    static func libyamlParse(_ files: [URL]) -> Double {
        let contents = files.compactMap { try? Data(contentsOf: $0) }
        let start = Date()
        for data in contents {
            let bytes = [UInt8](data)
            bytes.withUnsafeBufferPointer { buffer in
                var parser = yaml_parser_t()
                guard yaml_parser_initialize(&parser) == 1 else { return }
                defer { yaml_parser_delete(&parser) }
                yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
                var event = yaml_event_t()
                while yaml_parser_parse(&parser, &event) == 1 {
                    let done = event.type == YAML_STREAM_END_EVENT
                    yaml_event_delete(&event)
                    if done { break }
                }
            }
        }
        return Date().timeIntervalSince(start)
    }

    /// Instructions per application, counted by valgrind (repeatable on a noisy machine), on a
    /// copy of tandem without debug information (valgrind cannot read the toolchain's). A run
    /// that cannot count fails: the figure never just goes missing.
    static func instructions(_ tandem: String, file: URL, applications: Int) throws {
        let count = try instructionCount(tandem, ["render", "--jobs", "1", file.path])
        print(String(format: "instructions per application: %.0f thousand (valgrind, %d applications, 1 core)", count / Double(applications) / 1000, applications))
    }

    /// The instructions `tandem ARGUMENTS` executes, counted by valgrind.
    static func instructionCount(_ tandem: String, _ arguments: [String]) throws -> Double {
        guard let valgrind = ChildProcess.which("valgrind"), let strip = ChildProcess.which("strip") else {
            throw BenchmarkFailure("cannot count instructions: valgrind or strip is not installed (apt-get install valgrind binutils)")
        }
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-stripped-\(getpid())").path
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: tandem, toPath: copy)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let (stripped, stripOutput) = try ChildProcess.run(strip, ["--strip-debug", copy])
        guard stripped == 0 else { throw BenchmarkFailure("cannot count instructions: strip failed: \(stripOutput)") }
        let (status, output) = try ChildProcess.run(valgrind, ["--tool=callgrind", "--callgrind-out-file=/dev/null", copy] + arguments)
        guard status == 0, let line = output.split(separator: "\n").first(where: { $0.contains("Collected") }),
              let count = Double(line.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "")
        else {
            let tail = output.split(separator: "\n").suffix(20).joined(separator: "\n")
            throw BenchmarkFailure("cannot count instructions: valgrind exited \(status) without a count:\n\(tail)")
        }
        return count
    }

    static func megabytes(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1_000_000) }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}
