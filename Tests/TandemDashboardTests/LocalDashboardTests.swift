import Foundation
import TandemJSON
import TandemTestSupport
import Testing

/// podman and the busybox image the local tests run (scripts/busybox-image.sh imports it).
enum LocalRuntime {
    static let podman = ["/usr/bin/podman", "/usr/local/bin/podman", "/bin/podman"].first(where: FileManager.default.isExecutableFile(atPath:))

    static let available: Bool = {
        guard let podman else { return false }
        return (try? runProcess([podman, "image", "exists", "docker.io/library/busybox:1.36"]).status) == 0
    }()

    static let skipReason = "podman or its busybox:1.36 image is missing: bash scripts/local-runtime-setup.sh installs both"
}

/// `tandem dashboard --local` over an application `tandem up --local` runs on the real podman.
@Suite(.serialized, Judges.needs(LocalRuntime.available, LocalRuntime.skipReason))
struct LocalDashboardTests {
    static let application = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: dash-local}
        spec:
          components:
            - name: api
              type: webservice
              properties:
                image: busybox:1.36
                cmd: ["sh", "-c", "echo api started; exec httpd -f -p 8080"]
                ports: [{port: 8080}]
              traits:
                - type: sidecar
                  properties: {name: helper, image: busybox:1.36, cmd: ["sleep", "3600"]}
        """

    @Test func theApplicationsRunningHereAreListedAndLeaveTheListWhenDown() async throws {
        try #require(LocalRuntime.available, "\(LocalRuntime.skipReason)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-dashboard-local-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let environment = ["NO_COLOR": "1", "TANDEM_STATE_DIR": directory.appendingPathComponent("state").path]
        defer {
            _ = try? Tandem.run(["down", "--local", "dash-local"], environment: environment)
            try? FileManager.default.removeItem(at: directory)
        }
        let file = directory.appendingPathComponent("app.yaml").path
        try Self.application.write(toFile: file, atomically: true, encoding: .utf8)
        let up = try await Tandem.run(["up", "--local", file, "-d", "--timeout", "60s"], environment: environment)
        try #require(up.status == 0, "\(up.output)")

        let dashboard = try await Dashboard.start(["--local"], home: directory)
        defer { Task { await dashboard.stop() } }
        let (_, list) = try await dashboard.json("/api/applications")
        let row = try #require(list.array?.first, "\(list)")
        #expect(row["name"] == "dash-local")
        #expect(row["namespace"] == "local", "the page of a local application is under /app/local/")
        #expect(row["health"] == "healthy", "\(row)")

        let (status, page) = try await dashboard.json("/api/apps/local/dash-local")
        #expect(status == 200, "\(page)")
        let containers = (page["components"]?.array ?? []).flatMap { $0["workloads"]?.array ?? [] }
            .flatMap { $0["pods"]?.array ?? [] }.flatMap { $0["containers"]?.array ?? [] }
        #expect(containers.map { $0["name"]?.string } == ["api", "helper"], "\(page)")
        #expect(containers.map { $0["sidecar"]?.bool } == [false, true])

        // A container's log, from the file podman writes.
        let pod = try #require((page["components"]?.array ?? []).first?["workloads"]?.array?.first?["pods"]?.array?.first?["name"]?.string)
        try await dashboard.events("/api/apps/local/dash-local/logs?pod=\(pod)&container=api") { event, line in
            #expect(event == "line", "\(line)")
            return line == "api started"
        }

        // Taken down: the open list drops it, without a reload.
        var seen: [Int] = []
        try await dashboard.events("/api/events") { _, applications in
            seen.append(applications.array?.count ?? -1)
            if seen.count == 1 {
                let down = try Tandem.run(["down", "--local", "dash-local"], environment: environment)
                #expect(down.status == 0, "\(down.output)")
            }
            return applications == []
        }
        #expect(seen.first == 1 && seen.last == 0, "\(seen)")
    }
}
