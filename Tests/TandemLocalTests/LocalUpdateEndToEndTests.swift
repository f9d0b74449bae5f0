import Foundation
import TandemTestSupport
import Testing

/// A second `up --local` of a running application updates it in place: the pod whose template
/// changed is replaced, the other keeps running the same container, and the Service sends to
/// the new pod. podman is the judge: container ids and pods as `podman inspect` and
/// `podman pod exists` see them, and an answer fetched inside a pod with `podman exec`.
@Suite(.serialized, .enabled(if: LocalRuntimeHarness.available, LocalRuntimeHarness.skipReason))
struct LocalUpdateEndToEndTests {
    typealias Harness = LocalRuntimeHarness

    static func components(_ version: String) -> String {
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
                    cmd: ["sh", "-c", "mkdir -p /www && echo \(version) > /www/index.html && httpd -f -p 80 -h /www"]
                    ports: [{port: 80, expose: true}]
        """
    }

    @Test func anUpdateReplacesOnlyThePodWhoseTemplateChanged() throws {
        let harness = try Harness("e2e-update")
        defer { harness.cleanUp() }
        let first = try harness.file("v1.yaml", LocalEndToEndTests.application("e2e-update", Self.components("v1")))
        let up = try harness.tandem(["up", "--local", first, "-d", "--timeout", "60s"])
        try #require(up.status == 0, "\(up.output)")
        func id(_ container: String) throws -> String {
            try harness.podman(["inspect", "--format", "{{.Id}}", container]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let client = try id("e2e-update_client-0_client")
        let api = try id("e2e-update_api-0_api")
        try #require(!client.isEmpty && !api.isEmpty)

        let second = try harness.file("v2.yaml", LocalEndToEndTests.application("e2e-update", Self.components("v2")))
        let update = try harness.tandem(["up", "--local", second, "-d", "--timeout", "60s"])
        try #require(update.status == 0, "\(update.output)")
        #expect(update.stdout.contains("updating it in place: 1 pod replaced, 1 pod unchanged"), "\(update.stdout)")
        #expect(try id("e2e-update_client-0_client") == client, "the unchanged pod keeps its container")
        #expect(try harness.podman(["pod", "exists", "e2e-update_api-0"]).status != 0, "the replaced pod is gone")
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
