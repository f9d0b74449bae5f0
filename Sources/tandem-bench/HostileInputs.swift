import Foundation

/// Measures how `tandem render` treats inputs built to exhaust it: the time until it exits and the
/// peak resident memory of its process (from wait4's rusage).
enum HostileInputs {
    static func run() throws {
        let tandem = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tandem")
        guard FileManager.default.isExecutableFile(atPath: tandem.path) else {
            print("build the tandem executable first (swift build -c release)")
            exit(1)
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-hostile-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let cases: [(name: String, text: String)] = [
            ("alias bomb expanding to 1 GiB", aliasBomb()),
            ("50 MiB file", largeFile(bytes: 50 << 20, variables: 40)),
            ("15 MiB file (under the limits)", largeFile(bytes: 15 << 20, variables: 400)),
            ("200,000 labels in one mapping", manyLabels(200_000)),
        ]
        print("case                              input      exit  time      peak RSS")
        for (index, hostile) in cases.enumerated() {
            let file = directory.appendingPathComponent("hostile-\(index).yaml")
            try hostile.text.write(to: file, atomically: true, encoding: .utf8)
            let (status, seconds, peakKiB) = try measureFromHelper(tandem.path, ["render", file.path])
            print(String(format: "%@ %6.1f MiB  %4d  %6.3f s  %6.1f MiB",
                         hostile.name.padding(toLength: 33, withPad: " ", startingAt: 0),
                         Double(hostile.text.utf8.count) / 1_048_576, status, seconds, Double(peakKiB) / 1024))
        }
    }

    /// Seven levels of ten aliases over a 1,100-byte string: 10^6 copies, about 1.02 GiB expanded.
    static func aliasBomb() -> String {
        var text = "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata:\n  name: bomb\n  annotations:\n"
        text += "    l0: &l0 \"" + String(repeating: "lol", count: 366) + "ol\"\n"
        for level in 1...6 {
            text += "    l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        return text + "spec:\n  components:\n    - {name: c, type: worker, properties: {image: x}}\n"
    }

    /// One Application whose labels map is huge: lookups in it must not be quadratic.
    static func manyLabels(_ count: Int) -> String {
        "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata:\n  name: labels\n  labels:\n"
            + (0..<count).map { "    key-\($0): value\n" }.joined()
            + "spec:\n  components:\n    - {name: c, type: worker, properties: {image: x}}\n"
    }

    /// Application documents, each with `variables` environment variables, up to `bytes`.
    static func largeFile(bytes: Int, variables: Int) -> String {
        var text = ""
        var index = 0
        while text.utf8.count < bytes {
            text += "---\napiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata:\n  name: app-\(index)\nspec:\n  components:\n"
            text += "    - name: c\(index)\n      type: worker\n      properties:\n        image: example/app:1\n"
            text += "        env:\n" + (0..<variables).map { "          - {name: VAR_\($0), value: \"value \($0)\"}\n" }.joined()
            index += 1
        }
        return text
    }

    /// Measures in a fresh helper process (`tandem-bench measure ...`): Linux counts the memory of
    /// the process that spawned a program into the program's peak RSS, and this benchmark holds
    /// the hostile inputs in memory.
    static func measureFromHelper(_ executable: String, _ arguments: [String]) throws -> (Int32, Double, Int) {
        let helper = Process()
        helper.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        helper.arguments = ["measure", executable] + arguments
        let pipe = Pipe()
        helper.standardOutput = pipe
        try helper.run()
        let reply = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        helper.waitUntilExit()
        let fields = reply.split(separator: " ")
        guard fields.count == 3, let status = Int32(fields[0]), let seconds = Double(fields[1]),
              let peak = Int(fields[2].trimmingCharacters(in: .whitespacesAndNewlines))
        else { throw POSIXError(.EPROTO) }
        return (status, seconds, peak)
    }

    /// The helper's side: runs the command and prints "status seconds peak-KiB".
    static func measureAndPrint(_ command: [String]) throws {
        let (status, seconds, peak) = try measure(command[0], Array(command.dropFirst()))
        print("\(status) \(seconds) \(peak)")
    }

    /// Runs a command; returns its exit status, wall time and peak resident memory in KiB. It is
    /// spawned directly (not through Foundation's Process, which reaps children itself) so that
    /// wait4 reports the child's own resource usage.
    static func measure(_ executable: String, _ arguments: [String]) throws -> (Int32, Double, Int) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let start = Date()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        var status: Int32 = 0
        var usage = rusage()
        _ = wait4(pid, &status, 0, &usage)
        return ((status >> 8) & 0xFF, Date().timeIntervalSince(start), Int(usage.ru_maxrss))
    }
}
