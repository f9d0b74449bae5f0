import Foundation
import KubeModel
import TandemJSON
import TandemKubeVela
import Testing
@testable import TandemWorkflow

/// Each step type the engine runs itself, against the API test server and a local HTTP receiver.
@Suite struct WorkflowStepTests {
    static func application(_ steps: String, components: [String] = ["web"]) -> String {
        WorkflowEngineTests.application(components: components, workflow: "    steps:\n" + steps)
    }

    static func secret(_ name: String, _ data: [String: String]) -> JSONValue {
        var encoded = JSONObject()
        for (key, value) in data.sorted(by: { $0.key < $1.key }) { encoded.append(key, .string(Data(value.utf8).base64EncodedString())) }
        return ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": .string(name), "namespace": "default"], "data": .object(encoded)]
    }

    @Test func notificationsReachSlackDingTalkAndLarkAndTheSecretURLIsNeverShown() async throws {
        let receiver = try await HTTPReceiver.start()
        defer { Task { try? await receiver.shutdown() } }
        let secretURL = "\(receiver.url)/services/T0/B0/s3cr3t-token"
        let yaml = Self.application("""
                  - {name: deploy, type: apply-component, properties: {component: web}}
                  - name: tell
                    type: notification
                    properties:
                      slack:
                        url: {secretRef: {name: hooks, key: slack}}
                        message: {text: "web is deployed"}
                      dingding:
                        url: {value: "\(receiver.url)/robot/send"}
                        message: {msgtype: text, text: {content: "web is deployed"}}
                      lark:
                        url: {value: "\(receiver.url)/open-apis/bot"}
                        message: {msg_type: text, content: '{"text": "web is deployed"}'}
            """)
        let run = try await WorkflowHarness(yaml) { client in _ = try await client.apply(KubeObject(json: Self.secret("hooks", ["slack": secretURL]))) }
        defer { Task { await run.shutdown() } }
        let status = try await run.advance(WorkflowStatus(), at: start)
        #expect(status.phase == .succeeded, "\(status.json)")
        let received = receiver.received
        #expect(received.map(\.path) == ["/services/T0/B0/s3cr3t-token", "/robot/send", "/open-apis/bot"])
        #expect(received.allSatisfy { $0.method == "POST" && $0.headers["content-type"] == "application/json" })
        #expect(try JSONReader().read(received[0].body)["text"] == "web is deployed")
        #expect(try JSONReader().read(received[1].body)[path: ["text", "content"]] == "web is deployed")
        #expect(try JSONReader().read(received[2].body)["msg_type"] == "text")
        #expect(!run.shown(status).contains("s3cr3t"))
    }

    @Test func anUnreachableOrRefusingReceiverFailsTheStepWhichIsRetriedAndTheSecretStaysHidden() async throws {
        let port = try await HTTPReceiver.unusedPort()
        let yaml = Self.application("""
                  - name: tell
                    type: notification
                    properties:
                      slack:
                        url: {secretRef: {name: hooks, key: slack}}
                        message: {text: "hello"}
                  - {name: deploy, type: apply-component, properties: {component: web}}
            """)
        let run = try await WorkflowHarness(yaml) { client in
            _ = try await client.apply(KubeObject(json: Self.secret("hooks", ["slack": "http://127.0.0.1:\(port)/services/s3cr3t-token"])))
        }
        defer { Task { await run.shutdown() } }
        var status = try await run.advance(WorkflowStatus(), at: start)
        #expect(status.step("tell")?.phase == .failed)
        #expect(status.step("tell")?.reason == "Execute")
        #expect(status.step("tell")?.message?.hasPrefix("cannot post to Slack:") == true, "\(status.step("tell")?.message ?? "")")
        #expect(status.phase == .executing)
        #expect(status.nextCheck == start.addingTimeInterval(1))
        #expect(status.step("deploy")?.phase == .pending)
        #expect(!run.shown(status).contains("s3cr3t"))
        #expect(!run.shown(status).contains("\(port)"))

        // The receiver comes up, refusing: still failing, with its answer.
        let receiver = try await HTTPReceiver.start()
        defer { Task { try? await receiver.shutdown() } }
        receiver.answer(status: 500)
        _ = try await run.host.providers.apply(Self.secret("hooks", ["slack": "\(receiver.url)/services/s3cr3t-token"]))
        status = try await run.advance(status, at: start.addingTimeInterval(1))
        #expect(status.step("tell")?.message == "Slack answered 500")
        #expect(status.nextCheck == start.addingTimeInterval(3))
        receiver.answer(status: 200)
        status = try await run.advance(status, at: start.addingTimeInterval(3))
        #expect(status.phase == .succeeded)
        #expect(!run.shown(status).contains("s3cr3t"))
    }

    @Test func aWebhookPostsTheApplication() async throws {
        let receiver = try await HTTPReceiver.start()
        defer { Task { try? await receiver.shutdown() } }
        let yaml = Self.application("""
                  - {name: deploy, type: apply-component, properties: {component: web}}
                  - {name: hook, type: webhook, properties: {url: {value: "\(receiver.url)/hook"}}}
                  - {name: data, type: webhook, properties: {url: {value: "\(receiver.url)/data"}, data: {release: "5"}}}
            """)
        let run = try await WorkflowHarness(yaml)
        defer { Task { await run.shutdown() } }
        let status = try await run.advance(WorkflowStatus(), at: start)
        #expect(status.phase == .succeeded)
        let posted = try JSONReader().read(try #require(receiver.received.first).body)
        #expect(posted["kind"] == "Application")
        #expect(posted[path: ["metadata", "name"]] == "shop")
        #expect(posted[path: ["spec", "components"]]?.array?.first?["name"] == "web")
        #expect(try JSONReader().read(receiver.received[1].body) == ["release": "5"])
    }

    @Test func aRequestsResponseIsAnOutputThatLaterStepsTakeAsInputs() async throws {
        let receiver = try await HTTPReceiver.start()
        defer { Task { try? await receiver.shutdown() } }
        receiver.answer(status: 200, body: #"{"image": "shop/web:7", "replicas": 3}"#)
        let yaml = Self.application("""
                  - name: ask
                    type: request
                    properties: {url: "\(receiver.url)/release", method: POST, body: {app: shop}, header: {X-Team: shop}}
                    outputs:
                      - {name: image, valueFrom: response.image}
                      - {name: code, valueFrom: req.$returns.statusCode}
                  - name: show
                    type: print-message-in-status
                    properties: {message: unknown}
                    inputs:
                      - {from: image, parameterKey: message}
                  - name: only-for-7
                    type: print-message-in-status
                    if: 'inputs.image == "shop/web:7" && status.ask.succeeded'
                    properties: {message: seven}
                    inputs:
                      - {from: image}
            """)
        let run = try await WorkflowHarness(yaml)
        defer { Task { await run.shutdown() } }
        let status = try await run.advance(WorkflowStatus(), at: start)
        #expect(status.phase == .succeeded, "\(status.json)")
        #expect(status.outputs[path: ["ask", "image"]] == "shop/web:7")
        #expect(status.outputs[path: ["ask", "code"]] == 200)
        #expect(status.step("show")?.message == "shop/web:7")
        #expect(status.step("only-for-7")?.message == "seven")
        let request = try #require(receiver.received.first)
        #expect(request.method == "POST")
        #expect(request.headers["x-team"] == "shop")
        #expect(try JSONReader().read(request.body) == ["app": "shop"])
    }

    @Test func aRequestAnsweredAbove400FailsTheWorkflowAndAnOutputWithoutAValueFailsTheStep() async throws {
        let receiver = try await HTTPReceiver.start()
        defer { Task { try? await receiver.shutdown() } }
        receiver.answer(status: 404)
        let failing = try await WorkflowHarness(Self.application("""
                  - {name: ask, type: request, properties: {url: "\(receiver.url)/missing"}}
            """))
        defer { Task { await failing.shutdown() } }
        let failed = try await failing.advance(WorkflowStatus(), at: start)
        #expect(failed.phase == .terminated)
        #expect(failed.step("ask")?.message == "request of \(receiver.url)/missing is fail: 404")

        receiver.answer(status: 200, body: #"{"other": 1}"#)
        let missing = try await WorkflowHarness(Self.application("""
                  - name: ask
                    type: request
                    properties: {url: "\(receiver.url)/release"}
                    outputs: [{name: image, valueFrom: response.image}]
            """))
        defer { Task { await missing.shutdown() } }
        let status = try await missing.advance(WorkflowStatus(), at: start)
        #expect(status.step("ask")?.reason == "Output")
        #expect(status.step("ask")?.message?.hasPrefix("output 'image': valueFrom 'response.image' has no value") == true)
    }

    @Test func objectsAreAppliedReadAndExported() async throws {
        let yaml = Self.application("""
                  - name: settings
                    type: apply-object
                    properties:
                      value: {apiVersion: v1, kind: ConfigMap, metadata: {name: settings}, data: {theme: dark}}
                  - name: read
                    type: read-object
                    properties: {apiVersion: v1, kind: ConfigMap, name: settings}
                    outputs: [{name: theme, valueFrom: output.value.data.theme}]
                  - name: export
                    type: export2config
                    properties: {configName: release, data: {version: 5}}
                    inputs: [{from: theme, parameterKey: data.theme}]
                  - name: token
                    type: export2secret
                    properties: {secretName: token, data: {token: abc}}
                  - name: registry
                    type: export2secret
                    properties: {secretName: pull, kind: docker-registry, dockerRegistry: {username: me, password: pw}}
            """)
        let run = try await WorkflowHarness(yaml)
        defer { Task { await run.shutdown() } }
        let status = try await run.advance(WorkflowStatus(), at: start)
        #expect(status.phase == .succeeded, "\(status.json)")
        #expect(await run.object("v1", "ConfigMap", "settings")?[path: ["data", "theme"]] == "dark")
        let release = await run.object("v1", "ConfigMap", "release")
        #expect(release?["data"] == ["version": "5", "theme": "dark"])
        let token = await run.object("v1", "Secret", "token")
        #expect(token?[path: ["data", "token"]] == .string(Data("abc".utf8).base64EncodedString()) || token?[path: ["stringData", "token"]] == "abc")
        #expect(await run.object("v1", "Secret", "pull")?["type"] == "kubernetes.io/dockerconfigjson")
    }

    static let applicationCRD: JSONValue = [
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": ["name": "applications.core.oam.dev"],
        "spec": [
            "group": "core.oam.dev", "scope": "Namespaced",
            "names": ["kind": "Application", "plural": "applications", "singular": "application", "listKind": "ApplicationList"],
            "versions": [[
                "name": "v1beta1", "served": true, "storage": true,
                "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]],
            ]],
        ],
    ]

    @Test func dependsOnAppWaitsUntilTheOtherApplicationIsRunning() async throws {
        let yaml = Self.application("""
                  - {name: database, type: depends-on-app, properties: {name: database, namespace: default}}
                  - {name: deploy, type: apply-component, properties: {component: web}}
            """)
        let run = try await WorkflowHarness(yaml) { client in try await client.establish(Self.applicationCRD) }
        defer { Task { await run.shutdown() } }
        var status = try await run.advance(WorkflowStatus(), at: start)
        #expect(status.step("database")?.phase == .running)
        #expect(status.step("database")?.message == "waiting for Application 'database' (namespace default) to exist")
        try await run.server.insert(["apiVersion": "core.oam.dev/v1beta1", "kind": "Application",
                                     "metadata": ["name": "database", "namespace": "default"], "status": ["status": "runningWorkflow"]])
        status = try await run.advance(status, at: start.addingTimeInterval(1))
        #expect(status.step("database")?.message == "waiting for Application 'database' (namespace default) to be running (it is runningWorkflow)")
        try await run.server.insert(["apiVersion": "core.oam.dev/v1beta1", "kind": "Application",
                                     "metadata": ["name": "database", "namespace": "default"], "status": ["status": "running"]])
        status = try await run.advance(status, at: start.addingTimeInterval(2))
        #expect(status.phase == .succeeded)
        #expect(run.board.delivered == ["deploy"])
    }

    @Test func aStepTypeWrittenInCUERunsWithItsProviders() async throws {
        let definition = """
            import ("vela/kube")
            "record-release": {type: "workflow-step", description: "Records a release in a ConfigMap."}
            template: {
                apply: kube.#Apply & {$params: value: {
                    apiVersion: "v1", kind: "ConfigMap"
                    metadata: {name: "release-\\(context.stepName)", namespace: context.namespace}
                    data: version: parameter.version
                }}
                recorded: apply.$returns.value.data.version
                parameter: {version: string}
            }
            """
        let loaded = DefinitionLoader().load(bytes: Array(definition.utf8), file: "record-release.cue")
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        let registry = CustomDefinitions.registry(adding: loaded.definitions).registry
        let yaml = Self.application("""
                  - name: record
                    type: record-release
                    properties: {version: "5"}
                    outputs: [{name: recorded, valueFrom: recorded}]
            """)
        let run = try await WorkflowHarness(yaml, registry: registry)
        defer { Task { await run.shutdown() } }
        let status = try await run.advance(WorkflowStatus(), at: start)
        #expect(status.phase == .succeeded, "\(status.json)")
        #expect(await run.object("v1", "ConfigMap", "release-record")?[path: ["data", "version"]] == "5")
        #expect(status.outputs[path: ["record", "recorded"]] == "5")
    }
}
