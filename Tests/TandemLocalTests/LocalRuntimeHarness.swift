import Foundation
import TandemJSON
import TandemTestSupport
import Testing

/// Runs `tandem ... --local` and podman for the end-to-end tests: each test gets its own
/// application name and state folder, and removes what it started.
struct LocalRuntimeHarness {
    static let podman: String? = ["/usr/bin/podman", "/usr/local/bin/podman", "/bin/podman"].first(where: FileManager.default.isExecutableFile(atPath:))

    /// podman and the busybox image the tests run (scripts/busybox-image.sh imports it).
    static let available: Bool = {
        guard let podman else { return false }
        return (try? runProcess([podman, "image", "exists", "docker.io/library/busybox:1.36"]).status) == 0
    }()

    static let skipReason: Comment = "podman or its busybox:1.36 image is missing: bash scripts/local-runtime-setup.sh installs both"

    let application: String
    let directory: URL

    init(_ application: String) throws {
        self.application = application
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-local-\(application)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    var environment: [String: String] { ["NO_COLOR": "1", "TANDEM_STATE_DIR": directory.appendingPathComponent("state").path] }

    /// The application's state folder.
    var stateDirectory: String { directory.appendingPathComponent("state").appendingPathComponent(application).path }

    /// The process ids of every `tandem local-supervise` of this test's state folders, found in
    /// /proc (not from any file tandem writes).
    func supervisors() -> [pid_t] {
        let root = directory.appendingPathComponent("state").path
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(pid_t.init).filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let words = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return words.contains("local-supervise") && words.contains { $0.hasPrefix(root + "/") }
        }
    }

    func tandem(_ arguments: [String]) throws -> ProcessResult {
        try Tandem.run(arguments, environment: environment)
    }

    /// Writes `text` to a file of this test's folder and returns its path.
    func file(_ name: String, _ text: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func podman(_ arguments: [String]) throws -> ProcessResult {
        guard let podman = Self.podman else { throw TestSupportError("podman is not installed") }
        return try runProcess([podman] + arguments)
    }

    /// Removes everything the test started, and its folder.
    func cleanUp() {
        _ = try? tandem(["down", "--local", application])
        try? FileManager.default.removeItem(at: directory)
    }

    /// `logs --local` of this application with `arguments`, waiting up to `seconds` until they
    /// hold `text`; the last output either way.
    func logs(_ arguments: [String], until text: String, seconds: Double = 20) throws -> String {
        var output = ""
        try eventually(seconds) {
            output = (try? tandem(["logs", "--local", application] + arguments).output) ?? ""
            return output.contains(text)
        }
        return output
    }

    /// `status --local -o json`.
    func status() throws -> JSONValue {
        let result = try tandem(["status", "--local", application, "-o", "json"])
        return try JSONReader().read(result.stdout)
    }

    /// A container of the status document, by name.
    static func container(_ status: JSONValue, _ name: String) -> JSONValue? {
        (status["components"]?.array ?? []).flatMap { $0["containers"]?.array ?? [] }.first { $0["name"]?.string == name }
    }

    /// Waits until `condition` holds, for at most `seconds`: checks it now, then each time
    /// something under the test's folder is written (the supervisor's status.json, a
    /// container's log), which is when its answer can change.
    @discardableResult
    func eventually(_ seconds: Double, _ condition: () throws -> Bool) throws -> Bool {
        let changes = try FileChanges(directory.path)
        let deadline = Date().addingTimeInterval(seconds)
        while try !condition() {
            guard changes.next(before: deadline) else { return try condition() }
        }
        return true
    }

    /// Everything podman holds that `down` must leave as it found it.
    func podmanInventory() throws -> [String] {
        try [["ps", "--all", "--format", "{{.Names}}"], ["pod", "ps", "--format", "{{.Name}}"], ["volume", "ls", "--format", "{{.Name}}"],
             ["secret", "ls", "--format", "{{.Name}}"], ["network", "ls", "--format", "{{.Name}}"]].map { try podman($0).stdout }
    }

    /// What podman holds of this application (by its label), which must be nothing after a failed up.
    func leftovers() throws -> String {
        let label = "label=io.tandem.local.app=\(application)"
        return try [["ps", "--all", "--filter", label, "--format", "{{.Names}}"], ["pod", "ps", "--filter", label, "--format", "{{.Name}}"],
                    ["volume", "ls", "--filter", label, "--format", "{{.Name}}"],
                    ["network", "ls", "--filter", label, "--format", "{{.Name}}"]].map { try podman($0).stdout }.joined()
            + (try podman(["secret", "ls", "--format", "{{.Name}}"]).stdout.split(separator: "\n").filter { $0.hasPrefix("\(application)_") }
                .joined(separator: "\n"))
    }
}
