import AsyncHTTPClient
import Foundation
import KubeTestServer
import NIOCore
import NIOHTTP1
import TandemJSON
import TandemTestSupport
import Testing

/// `tandem dashboard` as a user starts it, against the API test server: the list, an
/// application's page, its event stream following a pod until it is ready, the editor, the
/// actions' token and the headers every answer carries.
@Suite(.serialized) struct DashboardEndToEndTests {
    static let web = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: web}
        spec:
          components:
            - name: front
              type: webservice
              properties: {image: shop/web:1, ports: [{port: 8080, expose: true}], readinessProbe: {httpGet: {path: /ready, port: 8080}}}
              traits:
                - type: sidecar
                  properties: {name: proxy, image: shop/proxy:1}
                # The test server fails the readiness probe of pods annotated so, until the test removes it.
                - type: annotations
                  properties: {kube-test-server/unready: "true"}
        """

    static let gated = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: gated}
        spec:
          components:
            - name: api
              type: webservice
              properties: {image: shop/api:1}
          workflow:
            steps:
              - name: approve
                type: suspend
              - name: deploy
                type: deploy
                properties: {policies: []}
        """

    static let typo = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata: {name: typo}
        spec:
          components:
            - name: web
              type: webservize
              properties: {image: nginx}
        """

    /// The API test server, and a dashboard started against it.
    struct Setup {
        let server: KubeTestServer
        let directory: URL
        let dashboard: Dashboard
        var kubeconfig: String { directory.appendingPathComponent("kubeconfig").path }

        static func start() async throws -> Setup {
            let server = try await KubeTestServer.start()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-dashboard-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let kubeconfig = directory.appendingPathComponent("kubeconfig").path
            try server.writeKubeconfig(to: kubeconfig)
            let dashboard = try await Dashboard.start(["--kubeconfig", kubeconfig, "--allow-actions", "--max-input-bytes", "4096"],
                                                      home: directory)
            return Setup(server: server, directory: directory, dashboard: dashboard)
        }

        func tandem(_ arguments: [String]) async throws -> ProcessResult {
            try await Tandem.run(arguments + ["--kubeconfig", kubeconfig], environment: ["NO_COLOR": "1", "HOME": directory.path])
        }

        func file(_ name: String, _ text: String) throws -> String {
            let path = directory.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        func finish() async {
            await dashboard.stop()
            try? await server.shutdown()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// Removes the annotation that holds the test server's pods unready.
    static func releaseUnreadyPods(_ server: KubeTestServer) async throws {
        let held = await server.objects(apiVersion: "v1", kind: "Pod", namespace: "default")
            .filter { $0[path: ["metadata", "annotations", "kube-test-server/unready"]] == "true" }
        try #require(!held.isEmpty, "a pod carries kube-test-server/unready")
        for pod in held {
            let name = pod[path: ["metadata", "name"]]?.string ?? ""
            var patch = HTTPClientRequest(url: server.url + "/api/v1/namespaces/default/pods/\(name)")
            patch.method = .PATCH
            patch.headers.add(name: "Content-Type", value: "application/merge-patch+json")
            patch.body = .bytes(ByteBuffer(string: #"{"metadata":{"annotations":{"kube-test-server/unready":null}}}"#))
            let answer = try await HTTPClient.shared.execute(patch, timeout: .seconds(30))
            try #require(answer.status == .ok)
        }
    }

    @Test func thePageOfAnApplicationFollowsItsPodUntilReady() async throws {
        let setup = try await Setup.start()
        defer { Task { await setup.finish() } }
        let up = try await setup.tandem(["up", try setup.file("web.yaml", Self.web), "--no-wait"])
        try #require(up.status == 0, "\(up.output)")

        // The stream starts with the main container held unready...
        var states: [(health: String, ready: [Bool])] = []
        func record(_ event: String, _ data: JSONValue) {
            #expect(event == "application")
            let containers = (data["components"]?.array ?? []).flatMap { $0["workloads"]?.array ?? [] }
                .flatMap { $0["pods"]?.array ?? [] }.flatMap { $0["containers"]?.array ?? [] }
            states.append((data["health"]?.string ?? "", containers.map { $0["ready"]?.bool == true }))
        }
        try await setup.dashboard.events("/api/apps/default/web/events") { event, data in
            record(event, data)
            return states.last?.ready.isEmpty == false  // its pod is there
        }
        #expect(states.allSatisfy { $0.health == "progressing" }, "\(states)")
        #expect(states.last?.ready.first == false, "the main container is held unready: \(states)")
        // ...and delivers the change once the test server lets the pod turn ready.
        try await Self.releaseUnreadyPods(setup.server)
        try await setup.dashboard.events("/api/apps/default/web/events") { event, data in
            record(event, data)
            return data["health"]?.string == "healthy"
        }
        #expect(states.last?.health == "healthy")
        #expect(states.last?.ready == [true, true], "the main container and the sidecar: \(states)")

        // The list answers from the same watches: both kinds of the inventory (its Deployment
        // and its Service) are held, so the application is healthy there too.
        let (status, list) = try await setup.dashboard.json("/api/applications")
        #expect(status == 200)
        let row = try #require(list.array?.first { $0["name"]?.string == "web" })
        #expect(row["health"]?.string == "healthy")
        #expect(row["namespace"]?.string == "default")
        #expect(row["components"] == ["front"])

        let (_, page) = try await setup.dashboard.json("/api/apps/default/web")
        let workloads = page["components"]?.array?.first?["workloads"]?.array ?? []
        #expect(workloads.map { $0["kind"]?.string } == ["Deployment", "Service"])
        let containers = workloads.first?["pods"]?.array?.first?["containers"]?.array ?? []
        #expect(containers.map { $0["name"]?.string } == ["front", "proxy"])
        #expect(containers.map { $0["sidecar"]?.bool } == [false, true])
        #expect(page["events"]?.array?.contains { $0["reason"]?.string == "Started" } == true)

        // A container's log, followed: what is there, then what comes.
        let pod = try #require(workloads.first?["pods"]?.array?.first?["name"]?.string)
        setup.server.appendLog(namespace: "default", pod: pod, container: "proxy", "proxy up")
        var lines: [String] = []
        try await setup.dashboard.events("/api/apps/default/web/logs?pod=\(pod)&container=proxy") { event, data in
            #expect(event == "line", "\(data)")
            lines.append(data.string ?? "")
            if lines.count == 1 { setup.server.appendLog(namespace: "default", pod: pod, container: "proxy", "GET /") }
            return lines.count == 2
        }
        #expect(lines == ["proxy up", "GET /"])
        // Only the application's own pods.
        try await setup.dashboard.events("/api/apps/default/web/logs?pod=kube-apiserver&container=x") { event, data in
            #expect(event == "end")
            #expect(data.string == "application web has no pod kube-apiserver in namespace default")
            return true
        }

        // The current revision rendered again, and the live objects as tandem diff sees them.
        let (rendered, objects) = try await setup.dashboard.json("/api/apps/default/web/objects")
        #expect(rendered == 200, "\(objects)")
        #expect(objects["revision"]?.string == "web-v1")
        #expect(objects["rendered"]?.string?.contains("kind: Deployment") == true)
        #expect(objects["diff"]?.string == "", "nothing changed since up: \(objects)")
        // Someone changes the live Deployment's image by hand: the diff shows it going back.
        var patch = HTTPClientRequest(url: setup.server.url + "/apis/apps/v1/namespaces/default/deployments/front")
        patch.method = .PATCH
        patch.headers.add(name: "Content-Type", value: "application/strategic-merge-patch+json")
        patch.body = .bytes(ByteBuffer(string: #"{"spec":{"template":{"spec":{"containers":[{"name":"front","image":"shop/web:9"}]}}}}"#))
        let patched = try await HTTPClient.shared.execute(patch, timeout: .seconds(30))
        try #require(patched.status == .ok)
        let (_, drifted) = try await setup.dashboard.json("/api/apps/default/web/objects")
        #expect(drifted["diff"]?.string?.contains("-        - image: shop/web:9") == true, "\(drifted)")
        #expect(drifted["diff"]?.string?.contains("+        - image: shop/web:1") == true, "\(drifted)")
        #expect(drifted["note"]?.string?.contains("--force-conflicts") == true, "\(drifted)")

        let (missing, refusal) = try await setup.dashboard.json("/api/apps/default/nosuch")
        #expect(missing == 404)
        #expect(refusal["error"]?.string == "there is no application nosuch in namespace default")
    }

    @Test func resumeWithTheTokenContinuesTheWorkflow() async throws {
        let setup = try await Setup.start()
        defer { Task { await setup.finish() } }
        let up = try await setup.tandem(["up", try setup.file("gated.yaml", Self.gated)])
        try #require(up.status == 0, "\(up.output)")

        // The list reads the phase from the record tandem up keeps (KubeVela's `status` field).
        let (_, list) = try await setup.dashboard.json("/api/applications")
        #expect(list.array?.first { $0["name"]?.string == "gated" }?["workflowPhase"] == "suspending", "\(list)")

        let resume = "/api/apps/default/gated/workflow/resume"
        let (status, answer) = try await setup.dashboard.post(resume, body: "", headers: ["X-Tandem-Token": setup.dashboard.token ?? ""])
        #expect(status == 200, "\(answer)")
        var phases: [[String: String]] = []
        try await setup.dashboard.events("/api/apps/default/gated/events") { _, page in
            let steps = page[path: ["workflow", "steps"]]?.array ?? []
            phases.append(Dictionary(steps.map { ($0["name"]?.string ?? "", $0["phase"]?.string ?? "") }, uniquingKeysWith: { $1 }))
            return page[path: ["workflow", "status"]]?.string == "succeeded"
        }
        #expect(phases.last == ["approve": "succeeded", "deploy": "succeeded"], "\(phases)")
    }

    @Test func theEditorShowsWhatValidatePrints() async throws {
        let setup = try await Setup.start()
        defer { Task { await setup.finish() } }
        let body = JSONWriter.compact(.object(["text": .string(Self.typo)]))
        let (status, answer) = try await setup.dashboard.post("/api/validate", body: body, headers: ["Content-Type": "application/json"])
        #expect(status == 200)
        let diagnostics = answer["diagnostics"]?.array ?? []
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?["line"] == 7)
        #expect(diagnostics.first?["column"] == 13)
        // The very line `tandem validate` prints for the same text in a file of the same name.
        let file = try setup.file("application.yaml", Self.typo)
        let validate = try await Tandem.run(["validate", "application.yaml"], directory: URL(fileURLWithPath: file).deletingLastPathComponent())
        #expect(validate.stderr.split(separator: "\n").first.map(String.init) == diagnostics.first?["text"]?.string)

        let fixed = JSONWriter.compact(.object(["text": .string(Self.typo.replacingOccurrences(of: "webservize", with: "webservice"))]))
        let (_, valid) = try await setup.dashboard.post("/api/validate", body: fixed, headers: ["Content-Type": "application/json"])
        #expect(valid["diagnostics"] == [])
        #expect(valid["rendered"]?.string?.contains("kind: Deployment") == true)
    }

    @Test func malformedRequestsAreRefusedWithAReason() async throws {
        let setup = try await Setup.start()
        defer { Task { await setup.finish() } }
        let json = ["Content-Type": "application/json"]
        let (notJSON, reason) = try await setup.dashboard.post("/api/validate", body: "{\"text\": ", headers: json)
        #expect(notJSON == 400)
        #expect(reason["error"]?.string?.hasPrefix("the request body is not valid JSON") == true)
        let (noText, _) = try await setup.dashboard.post("/api/validate", body: "[1, 2]", headers: json)
        #expect(noText == 400)
        let (deep, _) = try await setup.dashboard.post("/api/validate", body: String(repeating: "[", count: 1000), headers: json)
        #expect(deep == 400)
        let (form, _) = try await setup.dashboard.post("/api/validate", body: "text=x", headers: ["Content-Type": "application/x-www-form-urlencoded"])
        #expect(form == 415)
        // Over the limit given with --max-input-bytes (4096), with room for JSON's escapes.
        let (large, tooLarge) = try await setup.dashboard.post("/api/validate", body: String(repeating: " ", count: 40_000), headers: json)
        #expect(large == 413)
        #expect(tooLarge["error"]?.string?.contains("4096 bytes") == true)
        // Text within the body's bound but over the input limit: the CLI's own diagnostic.
        let long = JSONWriter.compact(.object(["text": .string(String(repeating: "#", count: 5000))]))
        let (_, limited) = try await setup.dashboard.post("/api/validate", body: long, headers: json)
        #expect(limited["diagnostics"]?.array?.first?["code"]?.string == "input-too-large")
        // And the server still answers.
        let (alive, _) = try await setup.dashboard.json("/api/applications")
        #expect(alive == 200)
    }

    @Test func actionsNeedTheTokenAndEveryAnswerCarriesTheHeaders() async throws {
        let setup = try await Setup.start()
        defer { Task { await setup.finish() } }
        let path = "/api/apps/default/web/workflow/resume"
        let (missing, noToken) = try await setup.dashboard.post(path, body: "", headers: [:])
        #expect(missing == 403)
        #expect(noToken["error"]?.string == "missing or wrong actions token")
        let (wrong, _) = try await setup.dashboard.post(path, body: "", headers: ["X-Tandem-Token": "guess"])
        #expect(wrong == 403)
        // The right token gets past the gate: the application is not deployed, which is said.
        let (right, answer) = try await setup.dashboard.post(path, body: "", headers: ["X-Tandem-Token": setup.dashboard.token ?? ""])
        #expect(right == 409)
        #expect(answer["error"]?.string?.contains("application web is not deployed in namespace default") == true)

        let (put, _) = try await setup.dashboard.request("/api/applications", method: .PUT)
        #expect(put.status.code == 403)
        for page in ["/", "/app/default/web", "/editor", "/app.js", "/style.css", "/api/applications"] {
            let (response, _) = try await setup.dashboard.request(page)
            #expect(response.status.code == 200, "\(page)")
            #expect(response.headers["Content-Security-Policy"].first?.hasPrefix("default-src 'self'") == true, "\(page)")
            #expect(response.headers["X-Content-Type-Options"].first == "nosniff", "\(page)")
            #expect(response.headers["Referrer-Policy"].first == "no-referrer", "\(page)")
        }
        let (script, _) = try await setup.dashboard.request("/app.js")
        #expect(script.headers["Content-Type"].first?.hasPrefix("text/javascript") == true)
        // Another site's name in Host (a DNS-rebinding page) is refused.
        let (rebound, _) = try await setup.dashboard.request("/api/applications", headers: ["Host": "attacker.example:80"])
        #expect(rebound.status.code == 403)
    }

    /// An Application object the tandem controller manages: its row and page from the object's
    /// status, as the controller writes it.
    @Test func aControllerManagedApplicationIsShownFromItsStatus() async throws {
        let server = try await KubeTestServer.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-dashboard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await ControllerApplications.install(server)
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path
        try server.writeKubeconfig(to: kubeconfig)
        let dashboard = try await Dashboard.start(["--kubeconfig", kubeconfig], home: directory)
        defer { Task { await dashboard.stop(); try? await server.shutdown() } }

        let (_, list) = try await dashboard.json("/api/applications")
        let row = try #require(list.array?.first { $0["name"]?.string == "billing" }, "\(list)")
        #expect(row["managedBy"] == "controller")
        #expect(row["health"] == "progressing", "\(row)")
        #expect(row["workflowPhase"] == "executing")
        let (_, page) = try await dashboard.json("/api/apps/default/billing")
        #expect(page["components"]?.array?.map { $0["name"]?.string } == ["api", "worker"], "\(page)")
        #expect(page[path: ["workflow", "steps"]]?.array?.first?["phase"] == "running")
    }

    /// A controller-managed application's workloads, pods and containers, found as `status
    /// --tree` finds them (its spec rendered with the cluster's definitions), drawn as an
    /// `up`-deployed application's are.
    @Test func aControllerManagedApplicationShowsItsWorkloadsAndPods() async throws {
        let server = try await KubeTestServer.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-dashboard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await ControllerApplications.install(server)
        // What the controller would have applied for the component `api`.
        let labels: JSONValue = ["app.oam.dev/name": "billing", "app.oam.dev/component": "api"]
        try await server.insert([
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "api", "namespace": "default", "labels": labels],
            "spec": ["replicas": 1, "selector": ["matchLabels": labels],
                     "template": ["metadata": ["labels": labels], "spec": ["containers": [["name": "api", "image": "billing/api:1"]]]]],
        ])
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path
        try server.writeKubeconfig(to: kubeconfig)
        let dashboard = try await Dashboard.start(["--kubeconfig", kubeconfig], home: directory)
        defer { Task { await dashboard.stop(); try? await server.shutdown() } }

        var seen: JSONValue = .null
        try await dashboard.events("/api/apps/default/billing/events") { event, page in
            seen = page
            guard event == "application", let api = page["components"]?.array?.first(where: { $0["name"] == "api" }),
                  let workload = api["workloads"]?.array?.first, let pod = workload["pods"]?.array?.first else { return false }
            #expect(workload["kind"] == "Deployment")
            #expect(workload["name"] == "api")
            #expect(pod["containers"]?.array?.map { $0["name"]?.string } == ["api"])
            // Until the Deployment is available, as the simulated cluster makes it.
            guard pod["ready"] == "1/1", api["health"] == "healthy" else { return false }
            #expect(pod["phase"] == "Running")
            return true
        }
        // The component the controller has not delivered yet is said to be missing.
        let worker = seen["components"]?.array?.first { $0["name"] == "worker" }
        #expect(worker?["health"] == "unhealthy", "\(seen)")
    }

    @Test func anUnreachableClusterIsSaidAtStart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-dashboard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // A server that has just shut down: nothing listens at its address any more.
        let server = try await KubeTestServer.start()
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path
        try server.writeKubeconfig(to: kubeconfig)
        try await server.shutdown()
        let run = try await Tandem.run(["dashboard", "--port", "0", "--kubeconfig", kubeconfig], environment: ["HOME": directory.path])
        #expect(run.status == 2, "\(run.output)")
        #expect(!run.stdout.contains("Dashboard at"))
        #expect(run.stderr.contains(server.url.replacingOccurrences(of: "http://", with: "")), "\(run.output)")
    }

    @Test func withoutAllowActionsEveryActionIsRefused() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-dashboard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let dashboard = try await Dashboard.start(["--local"], home: directory)
        defer { Task { await dashboard.stop() } }
        #expect(dashboard.token == nil)
        let (status, answer) = try await dashboard.post("/api/apps/local/web/workflow/terminate", body: "", headers: ["X-Tandem-Token": "x"])
        #expect(status == 403)
        #expect(answer["error"]?.string == "actions are disabled; start tandem dashboard with --allow-actions")
        let (listed, list) = try await dashboard.json("/api/applications")
        #expect(listed == 200)
        #expect(list == [])
    }
}
