import TandemJSON
import TandemKubeVela
import TandemTestSupport
import Testing

/// The repository's custom workflow step, examples/definitions/wait-ready-and-annotate.cue.
struct ExampleStepTests {
    static func runner() throws -> CUEStepRunner {
        let path = PackagePaths.root.appendingPathComponent("examples/definitions/wait-ready-and-annotate.cue").path
        let loaded = DefinitionLoader().load(paths: [path])
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        return CUEStepRunner(CUEWorkflowStepDefinition(try #require(loaded.definitions.first)))
    }

    static let context: JSONValue = ["name": "shop", "namespace": "prod", "stepName": "annotate-web", "stepSessionID": "a1"]
    static let properties: JSONValue = ["name": "web", "annotations": ["example.com/released-by": "pipeline-42"]]

    static func deployment(available: Bool?) -> JSONValue {
        var object: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": "web", "namespace": "prod", "labels": ["app": "web"], "annotations": ["team": "shop"],
                         "resourceVersion": "12", "uid": "u-1", "managedFields": [["manager": "tandem"]]],
            "spec": ["replicas": 2, "selector": ["matchLabels": ["app": "web"]]],
        ]
        if let available {
            object["status"] = ["conditions": [["type": "Available", "status": available ? "True" : "False"]]]
        }
        return object
    }

    @Test func waitsForTheDeploymentThenMergesTheAnnotationsIntoIt() async throws {
        let runner = try Self.runner()
        let none = InMemoryWorkflowProviders()
        #expect(await runner.run(properties: Self.properties, context: Self.context, providers: none) == .waiting("Deployment prod/web does not exist yet"))

        let starting = InMemoryWorkflowProviders(objects: [Self.deployment(available: false)])
        #expect(await runner.run(properties: Self.properties, context: Self.context, providers: starting)
            == .waiting("Waiting for Deployment prod/web to be available"))
        #expect(starting.recorded.applied.isEmpty)

        let ready = InMemoryWorkflowProviders(objects: [Self.deployment(available: true)])
        let result = await runner.run(properties: Self.properties, context: Self.context, providers: ready)
        guard case .succeeded(let value, _) = result else { Issue.record("\(result)"); return }
        #expect(value["available"] == true)
        let applied = try #require(ready.recorded.applied.first)
        #expect(applied[path: ["metadata", "annotations"]] == ["team": "shop", "example.com/released-by": "pipeline-42"])
        #expect(applied["spec"] == Self.deployment(available: nil)["spec"] && applied[path: ["metadata", "labels"]] == ["app": "web"])
        // What the server keeps for itself is not applied back.
        #expect(applied["status"] == nil && applied[path: ["metadata", "resourceVersion"]] == nil && applied[path: ["metadata", "managedFields"]] == nil)
    }

    @Test func anotherNamespaceIsHonoured() async throws {
        let other = InMemoryWorkflowProviders()
        var properties = Self.properties
        properties["namespace"] = "staging"
        #expect(await try Self.runner().run(properties: properties, context: Self.context, providers: other)
            == .waiting("Deployment staging/web does not exist yet"))
    }
}

/// `tandem def init --type workflow-step` gives a step that runs.
struct StepScaffoldTests {
    @Test func theWorkflowStepScaffoldWaitsForItsConfigMap() async throws {
        let text = DefinitionScaffold.text(name: "my-step", kind: .workflowStep, description: "")
        let loaded = DefinitionLoader().load(bytes: Array(text.utf8), file: "my-step.cue")
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        let runner = CUEStepRunner(CUEWorkflowStepDefinition(try #require(loaded.definitions.first)))
        let context: JSONValue = ["name": "shop", "namespace": "prod", "stepName": "s", "stepSessionID": "1"]
        #expect(await runner.run(properties: [:], context: context, providers: InMemoryWorkflowProviders())
            == .waiting("Waiting for the ConfigMap settings"))
        let present = InMemoryWorkflowProviders(objects: [["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "settings", "namespace": "prod"]]])
        guard case .succeeded = await runner.run(properties: [:], context: context, providers: present) else {
            Issue.record("the scaffold does not finish once its ConfigMap exists"); return
        }
    }
}

/// `tandem def vet` on workflow steps: actions are checked against the providers' packages.
struct StepVetTests {
    @Test func aMisspelledActionAndAConflictAreReportedAtTheirLines() throws {
        let text = """
            import (
            \t"vela/kube"
            )
            "my-step": {type: "workflow-step"}
            template: {
            \tread: kube.#Raed & {$params: value: {apiVersion: "v1", kind: "ConfigMap", metadata: name: parameter.name}}
            \tapply: kube.#Apply & {$params: {cluster: 3, value: {}}}
            \tparameter: name: *"settings" | string
            }

            """
        let definition = try #require(DefinitionLoader().load(bytes: Array(text.utf8), file: "my-step.cue").definitions.first)
        let problems = DefinitionVet.check(definition)
        #expect(problems.map { $0.location?.line ?? 0 }.sorted() == [6, 7], "\(problems)")
        #expect(problems.contains { $0.message.contains("undefined field: #Raed") }, "\(problems)")

        let example = PackagePaths.root.appendingPathComponent("examples/definitions/wait-ready-and-annotate.cue").path
        let loaded = try #require(DefinitionLoader().load(paths: [example]).definitions.first)
        #expect(DefinitionVet.check(loaded).isEmpty)
    }
}
