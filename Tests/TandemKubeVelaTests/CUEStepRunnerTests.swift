import TandemJSON
import TandemKubeVela
import Testing

/// Workflow steps written in CUE, run against in-memory providers.
struct CUEStepRunnerTests {
    static func step(_ template: String, imports: [String] = ["vela/kube", "vela/builtin"], file: String = "step.cue") throws -> CUEStepRunner {
        let text = "import (\n" + imports.map { "\t\"\($0)\"\n" }.joined() + ")\n\"my-step\": {type: \"workflow-step\"}\ntemplate: {\n" + template + "\n}\n"
        let loaded = DefinitionLoader().load(bytes: Array(text.utf8), file: file)
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        return CUEStepRunner(CUEWorkflowStepDefinition(try #require(loaded.definitions.first)))
    }

    static let context: JSONValue = ["name": "shop", "namespace": "prod", "stepName": "roll", "stepSessionID": "s1"]

    static let applyAndWait = """
        apply: kube.#Apply & {
            $params: value: {
                apiVersion: "apps/v1", kind: "Deployment"
                metadata: {name: parameter.name, namespace: context.namespace}
                spec: replicas: parameter.replicas
            }
        }
        wait: builtin.#ConditionalWait & {
            $params: continue: apply.$returns.value.status.readyReplicas == parameter.replicas
        }
        ready: apply.$returns.value.status.readyReplicas
        parameter: {name: string, replicas: *1 | int}
        """

    @Test func anApplyIsFilledInAndAWaitHoldsUntilItsConditionIsTrue() async throws {
        let runner = try Self.step(Self.applyAndWait)
        let idle = InMemoryWorkflowProviders()
        #expect(await runner.run(properties: ["name": "web", "replicas": 2], context: Self.context, providers: idle)
            == .waiting("wait: waiting until its condition holds"))
        #expect(idle.recorded.applied.count == 1)
        #expect(idle.object("apps/v1", "Deployment", "prod", "web")?[path: ["spec", "replicas"]] == 2)

        let ready = InMemoryWorkflowProviders(afterApply: { object in
            guard case .object(var root) = object else { return object }
            root["status"] = ["readyReplicas": object[path: ["spec", "replicas"]] ?? 0]
            return .object(root)
        })
        let result = await runner.run(properties: ["name": "web", "replicas": 2], context: Self.context, providers: ready)
        guard case .succeeded(let value, let message) = result else { Issue.record("\(result)"); return }
        #expect(value["ready"] == 2)
        #expect(value[path: ["apply", "$returns", "value", "metadata", "namespace"]] == "prod")
        #expect(message == nil)
    }

    @Test func aReadThatFindsNothingFillsInItsErrorAndTheTemplateChoosesOnIt() async throws {
        let runner = try Self.step("""
            app: kube.#Read & {$params: value: {apiVersion: "v1", kind: "ConfigMap", metadata: {name: "settings", namespace: "prod"}}}
            found: {
                if app.$returns.err != _|_ {
                    create: kube.#Apply & {$params: value: {apiVersion: "v1", kind: "ConfigMap", metadata: {name: "settings", namespace: "prod"}, data: a: "1"}}
                }
                if app.$returns.err == _|_ {
                    note: builtin.#Message & {$params: message: "settings exist: \\(app.$returns.value.data.a)"}
                }
            }
            """)
        let empty = InMemoryWorkflowProviders()
        guard case .succeeded(let value, nil) = await runner.run(properties: [:], context: Self.context, providers: empty) else {
            Issue.record("not succeeded"); return
        }
        #expect(value[path: ["app", "$returns", "err"]] == "ConfigMap prod/settings not found")
        #expect(empty.object("v1", "ConfigMap", "prod", "settings")?[path: ["data", "a"]] == "1")

        let existing = InMemoryWorkflowProviders(objects: [["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "settings", "namespace": "prod"], "data": ["a": "7"]]])
        let result = await runner.run(properties: [:], context: Self.context, providers: existing)
        guard case .succeeded(_, let message) = result else { Issue.record("\(result)"); return }
        #expect(message == "settings exist: 7")
        #expect(existing.recorded.applied.isEmpty)
    }

    @Test func anHTTPRequestsResponseIsFilledIn() async throws {
        let runner = try Self.step("""
            req: http.#HTTPDo & {
                $params: {method: "POST", url: parameter.url, request: {body: json.Marshal({hello: context.name}), header: "Content-Type": "application/json", timeout: "5s"}}
            }
            stars: json.Unmarshal(req.$returns.body).stars
            check: {
                if req.$returns.statusCode >= 400 { fail: builtin.#Fail & {$params: message: "status \\(req.$returns.statusCode)"} }
            }
            parameter: url: string
            """, imports: ["vela/http", "vela/builtin", "encoding/json"])
        let providers = InMemoryWorkflowProviders(responses: [
            "https://api.example.com/ok": WorkflowHTTPResponse(statusCode: 200, headers: ["Content-Type": ["application/json"]], body: Array(#"{"stars": 42}"#.utf8)),
            "https://api.example.com/down": WorkflowHTTPResponse(statusCode: 503, body: Array("{}".utf8)),
        ])
        let result = await runner.run(properties: ["url": "https://api.example.com/ok"], context: Self.context, providers: providers)
        guard case .succeeded(let value, _) = result else { Issue.record("\(result)"); return }
        #expect(value["stars"] == 42)
        #expect(value[path: ["req", "$returns", "header", "Content-Type"]] == ["application/json"])
        let request = try #require(providers.recorded.requests.first)
        #expect(request.method == "POST" && request.body == Array(#"{"hello":"shop"}"#.utf8) && request.timeout == .seconds(5))
        #expect(request.headers.map(\.name) == ["Content-Type"])

        #expect(await runner.run(properties: ["url": "https://api.example.com/down"], context: Self.context, providers: providers) == .failed("status 503"))
        let unreachable = await runner.run(properties: ["url": "https://secret.example.com/hook?token=x"], context: Self.context, providers: providers)
        #expect(unreachable == .failed("req: the POST request failed: connection refused"))
    }

    @Test func theOlderOpFormRunsItsActionsInOrder() async throws {
        let runner = try Self.step("""
            read: op.#Read & {value: {apiVersion: "v1", kind: "Secret", metadata: {name: "hook", namespace: context.namespace}}}
            address: op.#ConvertString & {bt: base64.Decode(null, read.value.data.url)}
            get: op.#HTTPGet & {url: address.str}
            steps: op.#Steps & {
                if get.response.statusCode != 200 { failed: op.#Fail & {message: "got \\(get.response.statusCode)"} }
                done: op.#Log & {data: "answered \\(get.response.body)"}
            }
            """, imports: ["vela/op", "encoding/base64"])
        let secret: JSONValue = ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "hook", "namespace": "prod"],
                                 "data": ["url": "aHR0cHM6Ly9ob29rcy5leGFtcGxlLmNvbS94"]]
        let providers = InMemoryWorkflowProviders(objects: [secret], responses: [
            "https://hooks.example.com/x": WorkflowHTTPResponse(statusCode: 200, body: Array("pong".utf8)),
        ])
        let result = await runner.run(properties: [:], context: Self.context, providers: providers)
        guard case .succeeded(let value, _) = result else { Issue.record("\(result)"); return }
        #expect(value[path: ["get", "response", "body"]] == "pong")
        #expect(providers.recorded.logs == ["roll: answered pong"])
    }

    @Test func theOlderOpChatMessagesPostTheirMessage() async throws {
        let runner = try Self.step("""
            notify: op.#Slack & {message: text: "deployed \\(context.name)", slackUrl: parameter.url}
            parameter: url: string
            """, imports: ["vela/op"])
        let url = "https://hooks.slack.com/services/T/B/z"
        let providers = InMemoryWorkflowProviders(responses: [url: WorkflowHTTPResponse(statusCode: 200)])
        let result = await runner.run(properties: ["url": .string(url)], context: Self.context, providers: providers)
        guard case .succeeded = result else { Issue.record("\(result)"); return }
        let request = try #require(providers.recorded.requests.first)
        #expect(request.method == "POST" && request.url == url && request.body == Array(#"{"text":"deployed shop"}"#.utf8))
        #expect(request.headers.map(\.value) == ["application/json"])
    }

    @Test func suspendFailAndMessageEndTheStepAsKubeVelaDoes() async throws {
        let suspend = try Self.step("""
            hold: builtin.#Suspend & {$params: parameter}
            parameter: {duration?: string, message?: string}
            """)
        let providers = InMemoryWorkflowProviders()
        #expect(await suspend.run(properties: [:], context: Self.context, providers: providers) == .suspended(duration: nil, message: "Suspended by field hold"))
        #expect(await suspend.run(properties: ["duration": "1m30s", "message": "approve"], context: Self.context, providers: providers)
            == .suspended(duration: .seconds(90), message: "approve"))
        let bad = await suspend.run(properties: ["duration": "soon"], context: Self.context, providers: providers)
        #expect(bad == .failed("hold: duration \"soon\" is not a duration (such as 30s, 5m or 1h30m)"))
        let huge = await suspend.run(properties: ["duration": "99999999999999h"], context: Self.context, providers: providers)
        #expect(huge == .failed("hold: duration \"99999999999999h\" is not a duration (such as 30s, 5m or 1h30m)"))

        let failing = try Self.step("""
            first: builtin.#Message & {$params: message: "checked"}
            stop: builtin.#Fail & {$params: message: "not today"}
            never: kube.#Apply & {$params: value: {apiVersion: "v1", kind: "ConfigMap", metadata: name: "x"}}
            """)
        #expect(await failing.run(properties: [:], context: Self.context, providers: providers) == .failed("not today"))
        #expect(providers.recorded.applied.isEmpty)

        // A wait without a message of its own leaves the step's message as it was.
        let waiting = try Self.step("""
            note: builtin.#Message & {$params: message: "rolling out"}
            hold: builtin.#ConditionalWait & {$params: continue: parameter.ready}
            parameter: ready: bool
            """)
        #expect(await waiting.run(properties: ["ready": false], context: Self.context, providers: providers) == .waiting("rolling out"))
        #expect(await waiting.run(properties: ["ready": true], context: Self.context, providers: providers)
            == .succeeded(value: ["note": ["$params": ["message": "rolling out"]], "hold": ["$params": ["continue": true]],
                                  "parameter": ["ready": true], "context": Self.context], message: "rolling out"))
    }

    @Test func anActionOfAProviderTandemDoesNotRunRefusesTheStepNamingIt() async throws {
        let runner = try Self.step("""
            message: builtin.#Message & {$params: message: "start"}
            if parameter.store {
                save: config.#CreateConfig & {$params: {name: "x", config: {}}}
            }
            parameter: store: bool
            """, imports: ["vela/builtin", "vela/config"])
        let providers = InMemoryWorkflowProviders()
        let refused = await runner.run(properties: ["store": true], context: Self.context, providers: providers)
        #expect(refused == .failed("save: CreateConfig needs KubeVela's config provider (vela/config), which Tandem does not run"), "\(refused)")
        #expect(await runner.run(properties: ["store": false], context: Self.context, providers: providers) == .succeeded(
            value: ["message": ["$params": ["message": "start"]], "parameter": ["store": false], "context": Self.context], message: "start"))
    }

    @Test func badPropertiesAndBrokenTemplatesFailWithALocatedMessage() async throws {
        let runner = try Self.step(Self.applyAndWait, file: "rollout.cue")
        let providers = InMemoryWorkflowProviders()
        let missing = await runner.run(properties: [:], context: Self.context, providers: providers)
        guard case .failed(let text) = missing else { Issue.record("\(missing)"); return }
        #expect(text.hasPrefix("property name: "), "\(text)")
        #expect(text.contains("rollout.cue:"), "\(text)")

        let conflict = try Self.step("""
            apply: kube.#Apply & {$params: value: {apiVersion: "v1", kind: "ConfigMap", metadata: name: "x"}}
            count: 1
            count: parameter.n
            parameter: n: int
            """, file: "broken.cue")
        let result = await conflict.run(properties: ["n": 2], context: Self.context, providers: providers)
        guard case .failed(let conflictText) = result else { Issue.record("\(result)"); return }
        #expect(conflictText.hasPrefix("count: conflicting values 1 and 2 (broken.cue:"), "\(conflictText)")
        #expect(providers.recorded.applied.isEmpty)

        // An action a provider does not have is no action to skip.
        let misspelled = try Self.step("read: kube.#Raed & {$params: value: {apiVersion: \"v1\", kind: \"Secret\", metadata: name: \"x\"}}", file: "typo.cue")
        let typo = await misspelled.run(properties: [:], context: Self.context, providers: providers)
        #expect(typo == .failed("read: undefined field: #Raed (typo.cue:7:12)"), "\(typo)")

        // A conflict with a provider's schema is shown at the template's line, not in the schema.
        let typed = try Self.step("apply: kube.#Apply & {$params: {cluster: 3, value: {}}}", file: "typed.cue")
        let typedResult = await typed.run(properties: [:], context: Self.context, providers: providers)
        guard case .failed(let typedText) = typedResult else { Issue.record("\(typedResult)"); return }
        #expect(typedText.hasPrefix("apply.$params.cluster: ") && typedText.hasSuffix("(typed.cue:7:1)"), "\(typedText)")

        let stuck = try Self.step("""
            read: kube.#Read & {$params: value: {apiVersion: "v1", kind: "Secret", metadata: name: "gone"}}
            apply: kube.#Apply & {$params: value: {apiVersion: "v1", kind: "ConfigMap", metadata: name: "copy", data: read.$returns.value.data}}
            """, file: "copy.cue")
        let stuckResult = await stuck.run(properties: [:], context: Self.context, providers: providers)
        guard case .failed(let stuckText) = stuckResult else { Issue.record("\(stuckResult)"); return }
        #expect(stuckText.hasPrefix("apply cannot run: "), "\(stuckText)")
        #expect(stuckText.contains("copy.cue:8:"), "\(stuckText)")
        #expect(stuckText.hasSuffix("(after read: Secret gone not found)"), "\(stuckText)")
    }

    @Test func actionsThatBegetActionsAreBounded() async throws {
        var runner = try Self.step("""
            reads: [for i in list.Range(0, 50, 1) {kube.#Read & {$params: value: {apiVersion: "v1", kind: "ConfigMap", metadata: name: "c\\(i)"}}}]
            """, imports: ["vela/kube", "list"])
        runner.maxActions = 10
        let result = await runner.run(properties: [:], context: Self.context, providers: InMemoryWorkflowProviders())
        #expect(result == .failed("the my-step step takes more than 10 actions"), "\(result)")

        // The evaluations after each action share one budget of work.
        runner.maxActions = 200
        runner.maxTotalSteps = 20_000
        let costly = await runner.run(properties: [:], context: Self.context, providers: InMemoryWorkflowProviders())
        guard case .failed(let text) = costly else { Issue.record("\(costly)"); return }
        #expect(text.contains("20000 steps") || text.contains("exceeds the limit of"), "\(text)")
        runner.maxTotalSteps = 100_000_000
        guard case .succeeded = await runner.run(properties: [:], context: Self.context, providers: InMemoryWorkflowProviders()) else {
            Issue.record("50 reads within a large budget do not finish"); return
        }
    }
}
