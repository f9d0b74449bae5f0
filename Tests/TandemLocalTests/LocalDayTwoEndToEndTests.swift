import Foundation
import TandemJSON
import TandemTestSupport
import Testing

/// `ls`, `logs --component`, `exec`, `status --tree` and `status --endpoints` of an application
/// running locally, on the real podman.
@Suite(.serialized, .enabled(if: LocalRuntimeHarness.available, LocalRuntimeHarness.skipReason))
struct LocalDayTwoEndToEndTests {
    typealias Harness = LocalRuntimeHarness

    @Test func anApplicationRunningLocallyIsListedReadEnteredAndReached() throws {
        let harness = try Harness("e2e-daytwo")
        defer { harness.cleanUp() }
        let file = try harness.file("app.yaml", LocalEndToEndTests.application("e2e-daytwo", """
                - name: api
                  type: webservice
                  properties:
                    image: busybox:1.36
                    cmd: ["sh", "-c", "echo api started; exec httpd -f -p 8080"]
                    ports: [{port: 8080, expose: true}]
                  traits:
                    - type: sidecar
                      properties: {name: helper, image: busybox:1.36, cmd: ["sleep", "3600"]}
            """))
        let up = try harness.tandem(["up", "--local", file, "-d", "--timeout", "60s"])
        try #require(up.status == 0, "\(up.output)")

        let list = try harness.tandem(["ls", "--local"])
        #expect(list.status == 0, "\(list.output)")
        let row = list.stdout.split(separator: "\n").first { $0.hasPrefix("e2e-daytwo ") }.map { $0.split(separator: " ").map(String.init) }
        #expect(row.map { Array($0.prefix(5)) } == ["e2e-daytwo", "api", "healthy", "-", "local"], "\(list.stdout)")

        let logs = try harness.logs(["--component", "api", "-c", "api"], until: "api started")
        #expect(logs == "api started\n", "\(logs)")
        let recent = try harness.tandem(["logs", "--local", "e2e-daytwo", "-c", "api", "--since", "1h"])
        #expect(recent.stdout == "api started\n", "\(recent.output)")
        let tooRecent = try harness.tandem(["logs", "--local", "e2e-daytwo", "-c", "api", "--since", "1ms"])
        #expect(tooRecent.status == 0 && tooRecent.stdout.isEmpty, "older lines are left out: \(tooRecent.output)")
        let noComponent = try harness.tandem(["logs", "--local", "e2e-daytwo", "--component", "nope"])
        #expect(noComponent.status == 2 && noComponent.stderr.contains("has no component nope; its components: api"), "\(noComponent.output)")

        let exec = try harness.tandem(["exec", "--local", "e2e-daytwo", "--", "sh", "-c", "echo inside $(hostname); exit 3"])
        #expect(exec.status == 3, "the command's exit code: \(exec.output)")
        #expect(exec.stdout.hasPrefix("inside api-"), "\(exec.output)")
        let sidecar = try Tandem.run(["exec", "--local", "e2e-daytwo", "-c", "helper", "-i", "--", "cat"], stdin: "to the sidecar",
                                     environment: harness.environment)
        #expect(sidecar.status == 0 && sidecar.stdout == "to the sidecar", "\(sidecar.output)")
        let wrong = try harness.tandem(["exec", "--local", "e2e-daytwo", "-c", "nope", "--", "true"])
        #expect(wrong.status == 2 && wrong.stderr.contains("has no container nope; its containers: api, helper"), "\(wrong.output)")

        let tree = try harness.tandem(["status", "--local", "e2e-daytwo", "--tree"])
        #expect(tree.stdout.contains("└─ api (webservice): healthy"), "\(tree.output)")
        #expect(tree.stdout.contains("helper [sidecar]  ready"), "\(tree.output)")

        let endpoints = try harness.tandem(["status", "--local", "e2e-daytwo", "--endpoints", "-o", "json"])
        let found = try JSONReader().read(endpoints.stdout).array ?? []
        #expect(found.contains { $0["object"] == "service/api" && $0["scope"] == "application" && $0["address"] == "api:8080/TCP → 8080" },
                "\(endpoints.output)")
    }
}
