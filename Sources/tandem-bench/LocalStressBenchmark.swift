import Foundation

/// `tandem up --local -d` then `tandem down --local`, N times, while `yes > /dev/null` keeps
/// every core busy: how many cycles failed, what was left behind after each `down` (podman
/// pods and containers of the application, supervisor processes, its state folder), and the
/// time per cycle. Needs podman and the busybox image of scripts/busybox-image.sh.
enum LocalStressBenchmark {
    static let application = "bench-stress"

    static func run(cycles: Int, loaders: Int) throws {
        let tandem = try ChildProcess.tandemExecutable()
        guard let podman = ChildProcess.which("podman") else {
            print("tandem-bench local-stress: podman is not installed; run scripts/local-runtime-setup.sh first")
            throw POSIXError(.ENOENT)
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-bench-stress-\(getpid())")
        let stateRoot = directory.appendingPathComponent("state").path
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("app.yaml").path
        try manifest.write(toFile: file, atomically: true, encoding: .utf8)
        setenv("TANDEM_STATE_DIR", stateRoot, 1)

        let load = try (0..<loaders).map { _ in try busyProcess() }
        defer { for pid in load { kill(pid, SIGKILL); var status: Int32 = 0; waitpid(pid, &status, 0) } }

        print("tandem up --local -d, then tandem down --local, \(cycles) times, with \(loaders) busy processes (yes > /dev/null)")
        var failures = 0, leftovers = 0
        var times: [Double] = []
        for cycle in 1...cycles {
            let start = Date()
            let (upStatus, upOutput) = try ChildProcess.run(tandem, ["up", "--local", file, "-d", "--timeout", "120s"])
            let (downStatus, downOutput) = try ChildProcess.run(tandem, ["down", "--local", application])
            times.append(Date().timeIntervalSince(start))
            if upStatus != 0 || downStatus != 0 {
                failures += 1
                print("  cycle \(cycle) failed:\n" + (upOutput + downOutput).split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            }
            let left = try leftBehind(podman: podman, stateRoot: stateRoot)
            if !left.isEmpty {
                leftovers += 1
                print("  cycle \(cycle) left behind: \(left.joined(separator: ", "))")
                _ = try ChildProcess.run(tandem, ["down", "--local", application])
            }
        }
        let sorted = times.sorted()
        print(String(format: "  cycles %d  failures %d  cycles with leftovers %d\n  time per cycle (up until ready + down)  "
                + "median %.2f s  best %.2f s  worst %.2f s", cycles, failures, leftovers,
                     sorted[sorted.count / 2], sorted.first ?? 0, sorted.last ?? 0))
        if failures > 0 || leftovers > 0 { throw POSIXError(.EIO) }
    }

    /// podman objects labelled with the application, supervisor and Service forwarder processes of the state folder, the folder itself.
    static func leftBehind(podman: String, stateRoot: String) throws -> [String] {
        let label = "label=io.tandem.local.app=\(application)"
        var left: [String] = []
        for (what, arguments) in [("pod", ["pod", "ps", "--filter", label, "--format", "{{.Name}}"]),
                                  ("container", ["ps", "--all", "--filter", label, "--format", "{{.Names}}"]),
                                  ("network", ["network", "ls", "--filter", label, "--format", "{{.Name}}"])] {
            let (_, output) = try ChildProcess.run(podman, arguments)
            left += output.split(whereSeparator: \.isNewline).map { "\(what) \($0)" }
        }
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { continue }
            let words = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            if words.contains("local-supervise"), words.contains(where: { $0.hasPrefix(stateRoot + "/") }) { left.append("supervisor \(pid)") }
            if words.contains("local-forward"), words.contains(where: { $0.hasPrefix(stateRoot + "/") }) { left.append("forwarder \(pid)") }
        }
        if FileManager.default.fileExists(atPath: "\(stateRoot)/\(application)") { left.append("state folder") }
        return left
    }

    static func busyProcess() throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("yes"), nil]
        defer { argv.forEach { free($0) } }
        let status = posix_spawnp(&pid, "yes", &actions, nil, argv, environ)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .ENOENT) }
        return pid
    }

    static let manifest = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: \(application)
        spec:
          components:
            - name: app
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
