import Foundation
import TandemJSON
import TandemKubeVela
import Testing

/// KubeVela's own workflow step definitions (from `TANDEM_KUBEVELA_DEFINITIONS`) run with the
/// properties of their documentation's examples (placeholders filled in) against in-memory
/// providers, and reach what the documentation says they do.
struct KubeVelaWorkflowStepTests {
    static func steps() throws -> [String: CUEStepRunner]? {
        guard let directory = KubeVelaDefinitionsTests.directory() else { return nil }
        let folder = directory.appendingPathComponent("internal/workflowstep")
        let loaded = DefinitionLoader().load(paths: [folder.path])
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        return Dictionary(loaded.definitions.map { ($0.name, CUEStepRunner(CUEWorkflowStepDefinition($0))) }, uniquingKeysWith: { first, _ in first })
    }

    /// One of KubeVela's step definitions; nil (after the skip or CI failure `steps()` reports)
    /// without the definitions, and a failure when they lack it.
    static func step(_ name: String) throws -> CUEStepRunner? {
        guard let steps = try steps() else { return nil }
        guard let runner = steps[name] else {
            Issue.record("KubeVela's definitions have no workflow step \(name)")
            return nil
        }
        return runner
    }

    static func context(_ step: String, app: String = "first-vela-workflow") -> JSONValue {
        ["name": .string(app), "namespace": "default", "appName": .string(app), "stepName": .string(step), "stepSessionID": "s1x2",
         "workflowName": .string(app), "appRevision": .string(app + "-v1")]
    }

    /// A controller that finishes what is applied: Deployments become ready, Jobs succeed,
    /// Applications run, terraform Configurations become available.
    static let finishing: @Sendable (JSONValue) -> JSONValue = { object in
        guard case .object(var root) = object else { return object }
        switch object["kind"]?.string {
        case "Deployment": root["status"] = ["readyReplicas": object[path: ["spec", "replicas"]] ?? 1]
        case "Job": root["status"] = ["succeeded": 1]
        case "Application": root["status"] = ["status": "running"]
        case "Configuration": root["status"] = ["apply": ["state": "Available"]]
        default: break
        }
        return .object(root)
    }

    static func configMap(_ name: String, data: JSONValue, namespace: String = "default") -> JSONValue {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": .string(namespace)], "data": data]
    }

    static func base64(_ text: String) -> JSONValue { .string(Data(text.utf8).base64EncodedString()) }

    @Test func everyWorkflowStepDefinitionLoads() throws {
        guard let steps = try Self.steps() else { return }
        #expect(steps.count >= 30, "\(steps.keys.sorted())")
    }

    /// Definitions whose actions need providers Tandem does not run are refused before any
    /// action runs, naming the provider.
    @Test func stepsNeedingOtherProvidersAreRefusedNamingThem() async throws {
        guard let steps = try Self.steps() else { return }
        let needs = [
            "apply-terraform-provider": "config", "create-config": "config", "delete-config": "config", "list-config": "config",
            "read-config": "config", "check-metrics": "metrics", "collect-service-endpoints": "query", "deploy": "multicluster",
            "export-data": "multicluster", "export-service": "multicluster", "deploy-cloud-resource": "terraform",
            "share-cloud-resource": "terraform",
        ]
        for (name, provider) in needs.sorted(by: { $0.key < $1.key }) {
            let runner = try #require(steps[name], "\(name)")
            let providers = InMemoryWorkflowProviders()
            let result = await runner.run(properties: [:], context: Self.context(name), providers: providers)
            guard case .failed(let message) = result else { Issue.record("\(name): \(result)"); continue }
            #expect(message.contains("needs KubeVela's \(provider) provider"), "\(name): \(message)")
            #expect(providers.recorded.applied.isEmpty && providers.recorded.requests.isEmpty, "\(name)")
        }
    }

    /// KubeVela's deprecated steps render and apply components in Go (its oam and multicluster providers).
    @Test func deprecatedStepsAreRefusedNamingTheirProvider() async throws {
        guard let directory = KubeVelaDefinitionsTests.directory() else { return }
        let needs = ["apply-application": "oam", "apply-application-in-parallel": "oam", "apply-remaining": "oam",
                     "deploy2env": "multicluster", "deploy2runtime": "oam"]
        for (name, provider) in needs.sorted(by: { $0.key < $1.key }) {
            let loaded = DefinitionLoader().load(paths: [directory.appendingPathComponent("deprecated/\(name).cue").path])
            let definition = try #require(loaded.definitions.first, "\(name): \(loaded.problems)")
            let result = await CUEStepRunner(CUEWorkflowStepDefinition(definition)).run(properties: [:], context: Self.context(name),
                                                                                         providers: InMemoryWorkflowProviders())
            guard case .failed(let message) = result else { Issue.record("\(name): \(result)"); continue }
            #expect(message.contains("needs KubeVela's \(provider) provider (vela/op)"), "\(name): \(message)")
        }
    }

    @Test func applyObjectAppliesTheObjectItIsGiven() async throws {
        guard let runner = try Self.step("apply-object") else { return }
        let pvc: JSONValue = ["apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ["name": "myclaim", "namespace": "default"],
                              "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "8Gi"]], "storageClassName": "standard"]]
        let providers = InMemoryWorkflowProviders()
        let result = await runner.run(properties: ["value": pvc], context: Self.context("apply-pvc"), providers: providers)
        guard case .succeeded(let value, _) = result else { Issue.record("\(result)"); return }
        #expect(providers.recorded.applied == [pvc])
        #expect(value[path: ["apply", "$returns", "value", "spec", "resources", "requests", "storage"]] == "8Gi")
    }

    @Test func readObjectReadsTheObjectForOutputs() async throws {
        guard let runner = try Self.step("read-object") else { return }
        let providers = InMemoryWorkflowProviders(objects: [Self.configMap("my-cm-name", data: ["cpu": "500m", "memory": "1Gi"])])
        let result = await runner.run(properties: ["apiVersion": "v1", "kind": "ConfigMap", "name": "my-cm-name"],
                                      context: Self.context("read-object"), providers: providers)
        guard case .succeeded(let value, _) = result else { Issue.record("\(result)"); return }
        #expect(value[path: ["output", "$returns", "value", "data", "cpu"]] == "500m")
        let elsewhere = await runner.run(properties: ["kind": "ConfigMap", "name": "x", "cluster": "hangzhou"],
                                         context: Self.context("read-object"), providers: providers)
        #expect(elsewhere == .failed("output: cluster \"hangzhou\": Tandem delivers to the application's own cluster (KubeVela's other clusters are not run)"))
    }

    @Test func applyDeploymentWaitsUntilTheReplicasAreReady() async throws {
        guard let runner = try Self.step("apply-deployment") else { return }
        let idle = InMemoryWorkflowProviders()
        let waiting = await runner.run(properties: ["image": "nginx"], context: Self.context("apply-deploy", app: "apply-deploy"), providers: idle)
        guard case .waiting = waiting else { Issue.record("\(waiting)"); return }
        let deployment = try #require(idle.object("apps/v1", "Deployment", "default", "apply-deploy"))
        #expect(deployment[path: ["spec", "template", "spec", "containers"]]?.array?.first?["image"] == "nginx")
        #expect(deployment[path: ["spec", "selector", "matchLabels", "workflow.oam.dev/step-name"]] == "apply-deploy-apply-deploy")

        let ready = InMemoryWorkflowProviders(afterApply: Self.finishing)
        let result = await runner.run(properties: ["image": "nginx"], context: Self.context("apply-deploy", app: "apply-deploy"), providers: ready)
        guard case .succeeded = result else { Issue.record("\(result)"); return }
    }

    @Test func dependsOnAppWaitsForTheOtherApplicationOrCreatesItFromItsConfigMap() async throws {
        guard let runner = try Self.step("depends-on-app") else { return }
        let properties: JSONValue = ["name": "another-app", "namespace": "default"]
        func application(_ status: String) -> JSONValue {
            ["apiVersion": "core.oam.dev/v1beta1", "kind": "Application", "metadata": ["name": "another-app", "namespace": "default"],
             "spec": ["components": []], "status": ["status": .string(status)]]
        }
        let running = InMemoryWorkflowProviders(objects: [application("running")])
        let done = await runner.run(properties: properties, context: Self.context("express-server"), providers: running)
        guard case .succeeded = done else { Issue.record("\(done)"); return }
        let starting = InMemoryWorkflowProviders(objects: [application("runningWorkflow")])
        let wait = await runner.run(properties: properties, context: Self.context("express-server"), providers: starting)
        guard case .waiting = wait else { Issue.record("\(wait)"); return }

        let yaml = "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata:\n  name: another-app\n  namespace: default\nspec:\n  components: []\n"
        let fromConfigMap = InMemoryWorkflowProviders(objects: [Self.configMap("another-app", data: ["application": .string(yaml)])],
                                                      afterApply: Self.finishing)
        let created = await runner.run(properties: properties, context: Self.context("express-server"), providers: fromConfigMap)
        guard case .succeeded = created else { Issue.record("\(created)"); return }
        #expect(fromConfigMap.object("core.oam.dev/v1beta1", "Application", "default", "another-app")?[path: ["status", "status"]] == "running")
    }

    @Test func export2configAndExport2secretWriteTheirData() async throws {
        guard let steps = try Self.steps() else { return }
        let data: JSONValue = ["testkey": "testvalue\nvalue-line-2\n", "serverstatus": "Ready: 1/1"]
        let providers = InMemoryWorkflowProviders()
        let config = await try #require(steps["export2config"]).run(properties: ["configName": "my-configmap", "data": data],
                                                                   context: Self.context("export-config"), providers: providers)
        guard case .succeeded = config else { Issue.record("\(config)"); return }
        #expect(providers.object("v1", "ConfigMap", "default", "my-configmap")?["data"] == data)

        let secret = try #require(steps["export2secret"])
        let plain = await secret.run(properties: ["secretName": "my-secret", "data": data], context: Self.context("export-secret"), providers: providers)
        guard case .succeeded = plain else { Issue.record("\(plain)"); return }
        #expect(providers.object("v1", "Secret", "default", "my-secret")?["stringData"] == data)

        let registry = await secret.run(properties: ["secretName": "pull", "kind": "docker-registry",
                                                     "dockerRegistry": ["username": "bot", "password": "s3cret"]],
                                        context: Self.context("export-secret"), providers: providers)
        guard case .succeeded = registry else { Issue.record("\(registry)"); return }
        let pull = try #require(providers.object("v1", "Secret", "default", "pull"))
        #expect(pull["type"] == "kubernetes.io/dockerconfigjson")
        let auths = try JSONReader().read(pull[path: ["stringData", ".dockerconfigjson"]]?.string ?? "")
        #expect(auths[path: ["auths", "https://index.docker.io/v1/", "auth"]] == Self.base64("bot:s3cret"))
    }

    @Test func cleanJobsDeletesTheWorkflowsJobs() async throws {
        guard let runner = try Self.step("clean-jobs") else { return }
        func job(_ name: String, _ labels: JSONValue) -> JSONValue {
            ["apiVersion": "batch/v1", "kind": "Job", "metadata": ["name": .string(name), "namespace": "default", "labels": labels]]
        }
        let providers = InMemoryWorkflowProviders(objects: [
            job("cli-1", ["workflow.oam.dev/name": "clean-jobs"]), job("cli-2", ["workflow.oam.dev/name": "clean-jobs"]),
            job("other", ["workflow.oam.dev/name": "elsewhere"]),
        ])
        // The documented example's `labelSelector` is not the parameter's name (`labelselector`): the default selector applies.
        let result = await runner.run(properties: ["labelSelector": ["my-label": "my-value"]], context: Self.context("clean-cli-jobs", app: "clean-jobs"),
                                      providers: providers)
        guard case .succeeded = result else { Issue.record("\(result)"); return }
        #expect(providers.recorded.deleted == ["batch/v1/Job/default/cli-1", "batch/v1/Job/default/cli-2"])
    }

    @Test func requestFillsInTheResponseAndFailsOnAnErrorStatus() async throws {
        guard let runner = try Self.step("request") else { return }
        let url = "https://api.github.com/repos/kubevela/workflow"
        let providers = InMemoryWorkflowProviders(responses: [
            url: WorkflowHTTPResponse(statusCode: 200, body: Array(#"{"stargazers_count": 321}"#.utf8)),
            url + "/missing": WorkflowHTTPResponse(statusCode: 404, body: Array("{}".utf8)),
        ])
        let result = await runner.run(properties: ["url": .string(url)], context: Self.context("request", app: "request-http"), providers: providers)
        guard case .succeeded(let value, _) = result else { Issue.record("\(result)"); return }
        #expect(value[path: ["response", "stargazers_count"]] == 321)
        #expect(providers.recorded.requests.first?.method == "GET")
        let missing = await runner.run(properties: ["url": .string(url + "/missing")], context: Self.context("request"), providers: providers)
        #expect(missing == .failed("request of \(url)/missing is fail: 404"))
    }

    @Test func webhookPostsTheApplicationOrItsData() async throws {
        guard let runner = try Self.step("webhook") else { return }
        let app: JSONValue = ["apiVersion": "core.oam.dev/v1beta1", "kind": "Application",
                              "metadata": ["name": "first-vela-workflow", "namespace": "default"], "spec": ["components": []]]
        let hook = "https://hooks.example.com/deployed"
        let secret: JSONValue = ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "hook", "namespace": "default"],
                                 "data": ["url": Self.base64(hook)]]
        let providers = InMemoryWorkflowProviders(objects: [app, secret], responses: [hook: WorkflowHTTPResponse(statusCode: 200)])
        let byValue = await runner.run(properties: ["url": ["value": .string(hook)]], context: Self.context("webhook"), providers: providers)
        guard case .succeeded = byValue else { Issue.record("\(byValue)"); return }
        let posted = try #require(providers.recorded.requests.first)
        #expect(posted.method == "POST" && posted.url == hook)
        #expect(try JSONReader().read(String(decoding: posted.body ?? [], as: UTF8.self)) == app)

        let bySecret = await runner.run(properties: ["url": ["secretRef": ["name": "hook", "key": "url"]], "data": ["done": true]],
                                        context: Self.context("webhook"), providers: providers)
        guard case .succeeded = bySecret else { Issue.record("\(bySecret)"); return }
        #expect(providers.recorded.requests.count == 2)
        #expect(providers.recorded.requests.last?.body == Array(#"{"done":true}"#.utf8))
    }

    @Test func notificationPostsToSlackAndLarkAndRefusesEmail() async throws {
        guard let runner = try Self.step("notification") else { return }
        let slack = "https://hooks.slack.com/services/T0/B0/x", lark = "https://open.feishu.cn/open-apis/bot/v2/hook/y"
        let secret: JSONValue = ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "slack", "namespace": "default"],
                                 "data": ["url": Self.base64(slack)]]
        let providers = InMemoryWorkflowProviders(objects: [secret], responses: [slack: WorkflowHTTPResponse(statusCode: 200),
                                                                                 lark: WorkflowHTTPResponse(statusCode: 200)])
        var properties: JSONValue = [
            "slack": ["url": ["secretRef": ["name": "slack", "key": "url"]], "message": ["text": "Workflow ended."]],
            "lark": ["url": ["value": .string(lark)], "message": ["msg_type": "text", "content": #"{"text":" Hello KubeVela"}"#]],
        ]
        let result = await runner.run(properties: properties, context: Self.context("slack-message"), providers: providers)
        guard case .succeeded = result else { Issue.record("\(result)"); return }
        let requests = providers.recorded.requests
        #expect(requests.map(\.url) == [lark, slack])
        #expect(requests.last?.body == Array(#"{"text":"Workflow ended."}"#.utf8))

        if case .object(var object) = properties {
            object["email"] = ["from": ["address": "ops@example.com", "password": ["value": "pw"], "host": "smtp.example.com"],
                               "to": ["kubevela1@gmail.com"], "content": ["subject": "test-subject", "body": "test-body"]]
            properties = .object(object)
        }
        let email = await runner.run(properties: properties, context: Self.context("slack-message"), providers: providers)
        #expect(email == .failed("email0.email1: SendEmail needs KubeVela's email provider (vela/email), which Tandem does not run"), "\(email)")
        #expect(providers.recorded.requests.count == 2)
    }

    @Test func printMessageAndSuspendReportAsKubeVelaDoes() async throws {
        guard let steps = try Self.steps() else { return }
        let providers = InMemoryWorkflowProviders()
        let message = await try #require(steps["print-message-in-status"]).run(properties: ["message": "All addons have been enabled successfully"],
                                                                               context: Self.context("message"), providers: providers)
        guard case .succeeded(_, let text) = message else { Issue.record("\(message)"); return }
        #expect(text == "All addons have been enabled successfully")
        let suspend = try #require(steps["suspend"])
        #expect(await suspend.run(properties: [:], context: Self.context("manual-approval"), providers: providers)
            == .suspended(duration: nil, message: "Suspended by field suspend"))
        #expect(await suspend.run(properties: ["duration": "30s"], context: Self.context("manual-approval"), providers: providers)
            == .suspended(duration: .seconds(30), message: "Suspended by field suspend"))
    }

    @Test func generateJDBCConnectionDecodesTheDatabaseSecret() async throws {
        guard let runner = try Self.step("generate-jdbc-connection") else { return }
        let secret: JSONValue = ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "db-conn", "namespace": "default"], "data": [
            "DB_HOST": Self.base64("db.internal"), "DB_PORT": Self.base64("3306"), "DB_NAME": Self.base64("db1"),
            "DB_USER": Self.base64("oamtest"), "DB_PASSWORD": Self.base64("U34rfwefwefffaked"),
        ]]
        let providers = InMemoryWorkflowProviders(objects: [secret])
        let result = await runner.run(properties: ["name": "db-conn", "namespace": "default"], context: Self.context("jdbc", app: "jdbc"), providers: providers)
        guard case .succeeded(let value, _) = result else { Issue.record("\(result)"); return }
        #expect(value["env"] == [
            ["name": "url", "value": "jdbc://db.internal:3306/db1?characterEncoding=utf8&useSSL=false"],
            ["name": "username", "value": "oamtest"], ["name": "password", "value": "U34rfwefwefffaked"],
        ])
    }

    @Test func jobStepsApplyTheirJobAndWaitForIt() async throws {
        guard let steps = try Self.steps() else { return }
        let restart = try #require(steps["restart-workflow"])
        let idle = InMemoryWorkflowProviders()
        let waiting = await restart.run(properties: ["after": "1h"], context: Self.context("schedule-restart-after", app: "delayed-restart-app"), providers: idle)
        guard case .waiting = waiting else { Issue.record("\(waiting)"); return }
        let job = try #require(idle.object("batch/v1", "Job", "vela-system", "delayed-restart-app-restart-workflow-s1x2"))
        let script = job[path: ["spec", "template", "spec", "containers"]]?.array?.first?["args"]?.array?.first?.string
        #expect(script?.contains("DURATION=\"1h\"") == true, "\(job)")
        let finished = await restart.run(properties: ["every": "24h"], context: Self.context("r", app: "periodic-sync-app"),
                                         providers: InMemoryWorkflowProviders(afterApply: Self.finishing))
        guard case .succeeded = finished else { Issue.record("\(finished)"); return }
        let twice = await restart.run(properties: ["every": "24h", "after": "1h"], context: Self.context("r"), providers: idle)
        #expect(twice == .failed("Exactly one of 'at', 'after', or 'every' parameters must be specified (found 2)"))

        let cli = try #require(steps["vela-cli"])
        let failing = InMemoryWorkflowProviders(afterApply: { object in
            guard case .object(var root) = object else { return object }
            root["status"] = ["failed": 3]
            return .object(root)
        })
        let failed = await cli.run(properties: ["command": ["vela", "ls"]], context: Self.context("list-app", app: "vela-cli"), providers: failing)
        #expect(failed == .failed("failed to execute vela command"))
        let listed = await cli.run(properties: ["command": ["vela", "ls"]], context: Self.context("list-app", app: "vela-cli"),
                                   providers: InMemoryWorkflowProviders(afterApply: Self.finishing))
        guard case .succeeded = listed else { Issue.record("\(listed)"); return }

        let terraform = try #require(steps["apply-terraform-config"])
        let available = InMemoryWorkflowProviders(afterApply: Self.finishing)
        let applied = await terraform.run(properties: ["source": ["path": "alibaba/oss"], "variable": ["bucket": "vela-website"]],
                                          context: Self.context("provision", app: "terraform"), providers: available)
        guard case .succeeded = applied else { Issue.record("\(applied)"); return }
        let configuration = try #require(available.object("terraform.core.oam.dev/v1beta2", "Configuration", "default", "terraform-provision"))
        #expect(configuration[path: ["spec", "remote"]] == "https://github.com/kubevela-contrib/terraform-modules.git")
    }
}
