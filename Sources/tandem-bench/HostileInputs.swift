import Foundation

/// Measures how `tandem render` treats inputs built to exhaust it: the time until it exits and the
/// peak resident memory of its process (from wait4's rusage).
enum HostileInputs {
    static func run() throws {
        let tandem = try ChildProcess.tandemExecutable()
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
            let result = try ChildProcess.measureFromHelper(tandem, ["render", file.path])
            let (status, seconds, peakKiB) = (result.status, result.wall, result.peakKiB)
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
}
