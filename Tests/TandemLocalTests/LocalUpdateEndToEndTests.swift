import Foundation
import TandemTestSupport
import Testing

/// A second `up --local` of a running application updates it in place: the pods whose template
/// changed are replaced one at a time, the other keeps running the same container, and the
/// Service sends to the new pods. podman is the judge: container ids and pods as `podman
/// inspect` and `podman pod exists` see them, and an answer fetched inside a pod with `podman
/// exec`; the order of starts and stops is what the api containers themselves wrote down.
@Suite(.serialized, .enabled(if: LocalRuntimeHarness.available, LocalRuntimeHarness.skipReason))
struct LocalUpdateEndToEndTests {
    typealias Harness = LocalRuntimeHarness

    /// The api's containers note when they start and when they are told to stop, in `events`.
    static func components(_ version: String, events: String) -> String {
        """
                - name: client
                  type: worker
                  properties:
                    image: busybox:1.36
                    cmd: ["sleep", "3600"]
                - name: api
                  type: webservice
                  properties:
                    image: busybox:1.36
                    cmd: ["sh", "-c", "echo start \(version) $(hostname) | tee -a /shared/events; trap 'echo stop \(version) $(hostname) >> /shared/events; exit 0' TERM; mkdir -p /www && echo \(version) > /www/index.html; httpd -f -p 80 -h /www & wait"]
                    ports: [{port: 80, expose: true}]
                    volumeMounts:
                      hostPath: [{name: shared, path: \(events), mountPath: /shared}]
                  traits:
                    - type: scaler
                      properties: {replicas: 2}
                - name: db
                  type: statefulset
                  properties:
                    image: busybox:1.36
                    cmd: ["sh", "-c", "echo start \(version) $(hostname) >> /shared/events; trap 'echo stop \(version) $(hostname) >> /shared/events; exit 0' TERM; sleep 3600 & wait"]
                    volumeMounts:
                      hostPath: [{name: shared, path: \(events), mountPath: /shared}]
        """
    }

    @Test func anUpdateReplacesTheChangedPodsOneAtATimeAndLeavesTheOtherRunning() throws {
        let harness = try Harness("e2e-update")
        defer { harness.cleanUp() }
        let events = harness.directory.appendingPathComponent("shared").path
        let first = try harness.file("v1.yaml", LocalEndToEndTests.application("e2e-update", Self.components("v1", events: events)))
        let up = try harness.tandem(["up", "--local", first, "-d", "--timeout", "60s"])
        try #require(up.status == 0, "\(up.output)")
        func id(_ container: String) throws -> String {
            try harness.podman(["inspect", "--format", "{{.Id}}", container]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let client = try id("e2e-update_client-0_client")
        let api = try id("e2e-update_api-0_api")
        try #require(!client.isEmpty && !api.isEmpty)

        // `logs -f` follows the update's new pods: it is following once it has printed the last v1 line.
        let follower = try OutputWatcher([Tandem.executable.path, "logs", "--local", "e2e-update", "-c", "api", "-f", "--tail", "1"],
                                         environment: harness.environment)
        defer { follower.stop() }
        try #require(follower.wait(for: "start v1", seconds: 20), "\(follower.output)")
        let second = try harness.file("v2.yaml", LocalEndToEndTests.application("e2e-update", Self.components("v2", events: events)))
        let update = try harness.tandem(["up", "--local", second, "-d", "--timeout", "60s"])
        try #require(update.status == 0, "\(update.output)")
        #expect(update.stdout.contains("updating it in place: 3 pods replaced, 1 pod unchanged"), "\(update.stdout)")
        #expect(try id("e2e-update_client-0_client") == client, "the unchanged pod keeps its container")
        #expect(try harness.podman(["pod", "exists", "e2e-update_api-0"]).status != 0, "the replaced pods are gone")
        #expect(try harness.podman(["pod", "exists", "e2e-update_api-1"]).status != 0)
        #expect(try harness.podman(["pod", "exists", "e2e-update_api-1.1"]).status == 0)
        // One at a time: the second new pod started only after the first old one was stopped.
        let lines = try String(contentsOfFile: events + "/events", encoding: .utf8).split(separator: "\n").map(String.init)
        let newStarts = lines.indices.filter { lines[$0].hasPrefix("start v2 api") }
        let firstStop = lines.firstIndex { $0.hasPrefix("stop v1 api") }
        #expect(newStarts.count == 2 && lines.filter { $0.hasPrefix("stop v1 api") }.count == 2, "\(lines)")
        if let firstStop, newStarts.count == 2 { #expect(newStarts[0] < firstStop && firstStop < newStarts[1], "\(lines)") }
        // A StatefulSet's pod goes before its successor, which takes its name and volumes, starts.
        let dbStop = lines.firstIndex(of: "stop v1 db-0"), dbStart = lines.firstIndex(of: "start v2 db-0")
        if let dbStop, let dbStart {
            #expect(dbStop < dbStart, "\(lines)")
        } else {
            Issue.record("db-0 was not replaced: \(lines)")
        }
        let successor = try id("e2e-update_api-0.1_api")
        #expect(!successor.isEmpty && successor != api)
        let running = try harness.podman(["inspect", "--format", "{{.State.Running}}", "e2e-update_api-0.1_api"]).stdout
        #expect(running.hasPrefix("true"), "\(running)")
        let answer = try harness.podman(["exec", "e2e-update_client-0_client", "wget", "-q", "-O", "-", "http://api/"])
        #expect(answer.stdout == "v2\n", "service/api sends to the new pod: \(answer.output)")
        #expect(follower.wait(for: "start v2 api-1", seconds: 20) && follower.output.contains("start v2 api-0"),
                "logs -f shows the new pods' lines: \(follower.output)")
        let status = try harness.status()
        #expect(status["healthy"] == true, "\(status)")
    }
}

/// A program that runs on (`logs -f`), its output gathered as it comes, to wait on.
final class OutputWatcher: @unchecked Sendable {
    private let process = Process()
    private let condition = NSCondition()
    private var text = ""

    init(_ arguments: [String], environment: [String: String]) throws {
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        Thread.detachNewThread { [self] in
            while true {
                let chunk = pipe.fileHandleForReading.availableDataRetryingInterrupts()  // empty at the end of the output
                condition.lock()
                text += String(decoding: chunk, as: UTF8.self)
                condition.broadcast()
                condition.unlock()
                if chunk.isEmpty { return }
            }
        }
    }

    var output: String { condition.withLock { text } }

    /// Waits until the output holds `expected`, for at most `seconds`, woken by each new chunk.
    func wait(for expected: String, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        defer { condition.unlock() }
        while !text.contains(expected) {
            guard condition.wait(until: deadline) else { return text.contains(expected) }
        }
        return true
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
