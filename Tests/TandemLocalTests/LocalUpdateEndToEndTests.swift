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
                    cmd: ["sh", "-c", "echo start \(version) $(hostname) >> /shared/events; trap 'echo stop \(version) $(hostname) >> /shared/events; exit 0' TERM; mkdir -p /www && echo \(version) > /www/index.html; httpd -f -p 80 -h /www & wait"]
                    ports: [{port: 80, expose: true}]
                    volumeMounts:
                      hostPath: [{name: shared, path: \(events), mountPath: /shared}]
                  traits:
                    - type: scaler
                      properties: {replicas: 2}
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

        let second = try harness.file("v2.yaml", LocalEndToEndTests.application("e2e-update", Self.components("v2", events: events)))
        let update = try harness.tandem(["up", "--local", second, "-d", "--timeout", "60s"])
        try #require(update.status == 0, "\(update.output)")
        #expect(update.stdout.contains("updating it in place: 2 pods replaced, 1 pod unchanged"), "\(update.stdout)")
        #expect(try id("e2e-update_client-0_client") == client, "the unchanged pod keeps its container")
        #expect(try harness.podman(["pod", "exists", "e2e-update_api-0"]).status != 0, "the replaced pods are gone")
        #expect(try harness.podman(["pod", "exists", "e2e-update_api-1"]).status != 0)
        #expect(try harness.podman(["pod", "exists", "e2e-update_api-1.1"]).status == 0)
        // One at a time: the second new pod started only after the first old one was stopped.
        let lines = try String(contentsOfFile: events + "/events", encoding: .utf8).split(separator: "\n").map(String.init)
        let newStarts = lines.indices.filter { lines[$0].hasPrefix("start v2") }
        let firstStop = lines.firstIndex { $0.hasPrefix("stop v1") }
        #expect(newStarts.count == 2 && lines.filter { $0.hasPrefix("stop v1") }.count == 2, "\(lines)")
        if let firstStop, newStarts.count == 2 { #expect(newStarts[0] < firstStop && firstStop < newStarts[1], "\(lines)") }
        let successor = try id("e2e-update_api-0.1_api")
        #expect(!successor.isEmpty && successor != api)
        let running = try harness.podman(["inspect", "--format", "{{.State.Running}}", "e2e-update_api-0.1_api"]).stdout
        #expect(running.hasPrefix("true"), "\(running)")
        let answer = try harness.podman(["exec", "e2e-update_client-0_client", "wget", "-q", "-O", "-", "http://api/"])
        #expect(answer.stdout == "v2\n", "service/api sends to the new pod: \(answer.output)")
        let status = try harness.status()
        #expect(status["healthy"] == true, "\(status)")
    }
}
