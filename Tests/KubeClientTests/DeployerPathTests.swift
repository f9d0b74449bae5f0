import KubeClient
import KubeModel
import KubeTestServer
import TandemDeploy
import TandemJSON
import TandemModel
import TandemRendering
import Synchronization
import Testing

/// The deployer's paths off the straight road, against the API test server: a failure part-way
/// through applying, a prune that fails, custom resources that wait for their definition.
@Suite struct DeployerPathTests {
    struct Setup {
        let server: KubeTestServer
        let client: KubeClient

        static func start() async throws -> Setup {
            let server = try await KubeTestServer.start(KubeTestServer.Options())
            let client = try KubeClient(ClusterConnection(server: server.url))
            try await client.apply(KubeObject(.namespace, name: "shop"))
            return Setup(server: server, client: client)
        }

        func finish() async {
            await client.shutdown()
            try? await server.shutdown()
        }

        func plan(_ components: String) throws -> DeployPlan {
            let text = """
                apiVersion: core.oam.dev/v1beta1
                kind: Application
                metadata: {name: shop}
                spec:
                  components:
                \(components)
                """
            let result = RenderPipeline().render([SourceFile(name: "app.yaml", text: text)])
            let application = try #require(result.outputs.first, "\(result.diagnostics)")
            return DeployPlan(application: application, namespace: "shop",
                              applySet: ApplySet(parent: ApplySet.commandLineParent(application: "shop", namespace: "shop"))) {
                ResourceScope.builtIn($0) == .namespaced
            }
        }

        var parent: SecretParent { SecretParent(application: "shop", namespace: "shop", tooling: "tandem/test") }

        func exists(_ apiVersion: String, _ kind: String, _ name: String, namespace: String? = "shop") async -> Bool {
            await server.object(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name) != nil
        }

        /// The kinds the ApplySet parent records.
        func recordedKinds() async -> String? {
            await server.object(apiVersion: "v1", kind: "Secret", namespace: "shop", name: parent.reference.name)?[
                path: ["metadata", "annotations", ApplySet.groupKindsAnnotation]]?.string
        }
    }

    static let settings = """
            - name: settings
              type: k8s-objects
              properties:
                objects:
                  - {apiVersion: v1, kind: ConfigMap, metadata: {name: settings}, data: {mode: fast}}
        """
    static let web = """
            - name: web
              type: webservice
              properties: {image: "nginx:1", ports: [{port: 80, expose: true}]}
        """

    /// A refusal the server's dry run does not give: the first PATCH (the dry run) passes, the next fails.
    static func refuseApplying(_ path: String, on server: KubeTestServer) async {
        await server.inject(.delay(.zero, method: "PATCH", path: path))
        await server.inject(.status(403, method: "PATCH", path: path))
    }

    @Test func aFailurePartWayReportsExactlyWhatWasChanged() async throws {
        let setup = try await Setup.start()
        let plan = try setup.plan(Self.settings + "\n" + Self.web)
        // Phases: the ConfigMap, then the Service, then the Deployment. The Service is refused.
        await Self.refuseApplying("/api/v1/namespaces/shop/services/web", on: setup.server)
        let reported = ReportedEvents()
        do {
            _ = try await Deployer(client: setup.client).deploy(plan, parent: setup.parent, events: reported.add)
            Issue.record("the deploy went through")
        } catch DeployError.partiallyApplied(let applied, let failed, let notAttempted) {
            #expect(applied.map(\.kubectlName) == ["configmap/settings"])
            #expect(failed.map(\.object) == ["app.yaml:11:13: component 'web' (service/web)"])
            #expect(failed.first?.error.status?.code == 403)
            #expect(notAttempted.map(\.kubectlName) == ["deployment.apps/web"])
        }
        #expect(reported.lines == ["created configmap/settings"])
        #expect(await setup.exists("v1", "ConfigMap", "settings"))
        #expect(!(await setup.exists("v1", "Service", "web")))
        #expect(!(await setup.exists("apps/v1", "Deployment", "web")))
        // The parent names every kind the set may hold, so that nothing applied is lost to a later prune.
        #expect(await setup.recordedKinds() == "ConfigMap,Deployment.apps,Service")

        // Once the cause is gone, the same deploy finishes the job.
        let outcome = try await Deployer(client: setup.client).deploy(plan, parent: setup.parent)
        #expect(outcome.actions.map { "\($0.action) \($0.reference.kubectlName)" }
            == ["unchanged configmap/settings", "created service/web", "created deployment.apps/web"])
        await setup.finish()
    }

    @Test func aPruneThatFailsKeepsTheObjectRecorded() async throws {
        let setup = try await Setup.start()
        _ = try await Deployer(client: setup.client).deploy(try setup.plan(Self.settings + "\n" + Self.web), parent: setup.parent)
        let smaller = try setup.plan(Self.web)
        await setup.server.inject(.status(403, method: "DELETE", path: "/api/v1/namespaces/shop/configmaps/settings"))
        do {
            _ = try await Deployer(client: setup.client).deploy(smaller, parent: setup.parent)
            Issue.record("the deploy went through")
        } catch DeployError.pruneFailed(let failures) {
            #expect(failures.map(\.reference.kubectlName) == ["configmap/settings"])
            #expect(failures.first?.error.status?.code == 403)
        }
        #expect(await setup.exists("v1", "ConfigMap", "settings"))
        #expect(await setup.recordedKinds() == "ConfigMap,Deployment.apps,Service", "the parent still names the ConfigMap's kind")

        let outcome = try await Deployer(client: setup.client).deploy(smaller, parent: setup.parent)
        #expect(outcome.actions.filter { $0.action == .pruned }.map(\.reference.kubectlName) == ["configmap/settings"])
        #expect(!(await setup.exists("v1", "ConfigMap", "settings")))
        #expect(await setup.recordedKinds() == "Deployment.apps,Service")
        await setup.finish()
    }

    static let widgets = """
                - name: widgets
                  type: k8s-objects
                  properties:
                    objects:
                      - apiVersion: example.com/v1
                        kind: Widget
                        metadata: {name: blue}
                        spec: {size: 3}
                      - apiVersion: apiextensions.k8s.io/v1
                        kind: CustomResourceDefinition
                        metadata: {name: widgets.example.com}
                        spec:
                          group: example.com
                          scope: Namespaced
                          names: {plural: widgets, singular: widget, kind: Widget}
                          versions:
                            - name: v1
                              served: true
                              storage: true
                              schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
        """

    @Test func aCustomResourceWaitsForItsDefinitionToBeEstablished() async throws {
        let setup = try await Setup.start()
        let plan = try setup.plan(Self.widgets)
        let outcome = try await Deployer(client: setup.client).deploy(plan, parent: setup.parent)
        #expect(outcome.actions.map { "\($0.action) \($0.reference.kubectlName)" }
            == ["created customresourcedefinition.apiextensions.k8s.io/widgets.example.com", "created widget.example.com/blue"])
        #expect(await setup.server.object(apiVersion: "example.com/v1", kind: "Widget", namespace: "shop", name: "blue")?[
            path: ["spec", "size"]] == 3)
        // The Widget was applied for real only after the definition was read back established.
        let requests = await setup.server.requests()
        let definition = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com"
        let widget = try #require(requests.firstIndex {
            $0.method == "PATCH" && $0.path == "/apis/example.com/v1/namespaces/shop/widgets/blue"
                && !$0.queryItems.contains { $0.name == "dryRun" } && $0.statusCode == 201
        })
        // Read back (listed, then watched, as every wait for health reads) after it was applied.
        let definitions = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
        let established = requests[..<widget].lastIndex { $0.method == "GET" && $0.path == definitions && $0.statusCode == 200 }
        let applied = requests[..<widget].lastIndex { $0.method == "PATCH" && $0.path == definition && !$0.queryItems.contains { $0.name == "dryRun" } }
        let order = try #require(applied.flatMap { applied in established.map { (applied, $0) } })
        #expect(order.0 < order.1)
        await setup.finish()
    }

    @Test func aDefinitionNeverSeenEstablishedStopsTheDeployAndSaysSo() async throws {
        let setup = try await Setup.start()
        let plan = try setup.plan(Self.widgets)
        // The definition is applied, but never read back: the set's members are listed before
        // (the first read), then every read of the definitions fails.
        await setup.server.inject(.delay(.zero, method: "GET", path: "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"))
        await setup.server.inject(.status(404, method: "GET", path: "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                                          times: nil))
        var options = DeployOptions()
        options.definitionTimeout = .milliseconds(300)
        do {
            _ = try await Deployer(client: setup.client, options: options).deploy(plan, parent: setup.parent)
            Issue.record("the deploy went through")
        } catch let error as DeployError {
            #expect(error.description == """
                a custom resource definition was applied but not established in time:
                  customresourcedefinition/widgets.example.com: not read back yet
                  applied: customresourcedefinition.apiextensions.k8s.io/widgets.example.com
                  not applied: widget.example.com/blue
                  nothing was pruned
                """)
        }
        #expect(await setup.server.object(apiVersion: "example.com/v1", kind: "Widget", namespace: "shop", name: "blue") == nil)
        await setup.finish()
    }
}

/// What a deploy reported, as `created configmap/settings` lines.
final class ReportedEvents: Sendable {
    private let recorded = Mutex<[String]>([])
    var lines: [String] { recorded.withLock { $0 } }

    func add(_ event: DeployEvent) {
        recorded.withLock { lines in
            switch event {
            case .applied(let reference, let action, _): lines.append("\(action) \(reference.kubectlName)")
            case .pruned(let reference, _): lines.append("pruned \(reference.kubectlName)")
            }
        }
    }
}
