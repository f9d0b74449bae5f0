import TandemDefinitions
import TandemJSON
import TandemKubeVela
import TandemModel
import TandemRendering
import Testing

/// Traits patch as KubeVela patches: merge keys, strategies, patchOutputs, outputs, in order.
struct TraitPatchTests {
    /// A registry of the built-ins and traits written here, one `vela def` file each.
    static func registry(_ traits: [String: String]) throws -> DefinitionRegistry {
        var sources: [CUEDefinitionSource] = []
        for (name, body) in traits.sorted(by: { $0.key < $1.key }) {
            let text = "\"\(name)\": {type: \"trait\"\(name == "only-jobs" ? ", attributes: appliesToWorkloads: [\"jobs.batch\"]" : "")\(name == "grow" ? ", attributes: conflictsWith: [\"shrink\"]" : "")}\ntemplate: {\n\(body)\n}\n"
            let loaded = DefinitionLoader().load(bytes: Array(text.utf8), file: "\(name).cue")
            #expect(loaded.problems.isEmpty, "\(loaded.problems)")
            sources += loaded.definitions
        }
        return CustomDefinitions.registry(adding: sources).registry
    }

    static func render(_ traits: String, with registry: DefinitionRegistry) -> RenderResult {
        let text = """
            apiVersion: core.oam.dev/v1beta1
            kind: Application
            metadata: {name: shop}
            spec:
              components:
                - name: web
                  type: webservice
                  properties: {image: nginx, ports: [{port: 80, expose: true}], env: [{name: A, value: "1"}]}
                  traits:
            \(traits)
            """
        return RenderPipeline(registry: registry).render([SourceFile(name: "app.yaml", text: text)])
    }

    @Test func patchKeyRetainKeysReplaceAndOrder() throws {
        let registry = try Self.registry([
            "add-env": """
                patch: spec: template: spec: containers: [{
                \tname: "web"
                \t// +patchKey=name
                \tenv: [{name: "B", value: context.output.spec.template.spec.containers[0].env[0].value}]
                }]
                """,
            "swap-strategy": """
                patch: spec: {
                \t// +patchStrategy=retainKeys
                \tstrategy: {type: "Recreate"}
                \t// +patchStrategy=replace
                \tselector: matchLabels: {"app.oam.dev/component": "web", "app.oam.dev/name": "shop"}
                }
                """,
        ])
        let result = Self.render("        - {type: add-env}\n        - {type: swap-strategy}", with: registry)
        #expect(result.diagnostics.filter(\.isError).isEmpty, "\(result.diagnostics)")
        let deployment = try #require(result.objects.first { $0.kind == "Deployment" }).json
        // The second env var read the first through context.output: the earlier state.
        #expect(deployment[path: ["spec", "template", "spec", "containers"]]?.array?.first?["env"]
                == [["name": "A", "value": "1"], ["name": "B", "value": "1"]])
        #expect(deployment[path: ["spec", "strategy"]] == ["type": "Recreate"])
    }

    @Test func jsonPatchJsonMergePatchPatchOutputsAndOutputs() throws {
        let registry = try Self.registry([
            "ops": """
                // +patchStrategy=jsonPatch
                patch: operations: [{op: "add", path: "/spec/minReadySeconds", value: 5}]
                """,
            "merge": """
                // +patchStrategy=jsonMergePatch
                patch: spec: template: metadata: annotations: {"a": "b"}
                """,
            "svc-and-cm": """
                outputs: settings: {apiVersion: "v1", kind: "ConfigMap", metadata: name: "web-settings", data: mode: parameter.mode}
                parameter: mode: *"fast" | "slow"
                """,
            "tweak": "patchOutputs: settings: data: extra: context.outputs.settings.data.mode + \"-too\"",
        ])
        let result = Self.render("        - {type: ops}\n        - {type: merge}\n        - {type: svc-and-cm}\n        - {type: tweak}", with: registry)
        #expect(result.diagnostics.filter(\.isError).isEmpty, "\(result.diagnostics)")
        let deployment = try #require(result.objects.first { $0.kind == "Deployment" }).json
        #expect(deployment[path: ["spec", "minReadySeconds"]] == 5)
        #expect(deployment[path: ["spec", "template", "metadata", "annotations", "a"]] == "b")
        let settings = try #require(result.objects.first { $0.kind == "ConfigMap" }).json
        #expect(settings["data"] == ["mode": "fast", "extra": "fast-too"])  // an earlier trait's output, seen and patched
        #expect(settings[path: ["metadata", "labels", "trait.oam.dev/resource"]] == "settings")
        #expect(settings[path: ["metadata", "labels", "trait.oam.dev/type"]] == "svc-and-cm")
    }

    @Test func appliesToWorkloadsConflictsWithAndBrokenTemplatesAreLocated() throws {
        let registry = try Self.registry([
            "only-jobs": "patch: spec: backoffLimit: 1",
            "grow": "patch: spec: replicas: 5",
            "shrink": "patch: spec: replicas: 1",
            "broken": "patch: spec: replicas: \"many\" & 3",
        ])
        let misfit = Self.render("        - {type: only-jobs}", with: registry)
        #expect(misfit.diagnostics.map(\.code) == [.traitNotApplicable], "\(misfit.diagnostics)")
        #expect(misfit.diagnostics.first?.severity == .warning)  // as KubeVela without its webhook: applied anyway
        #expect(misfit.objects.first { $0.kind == "Deployment" }?.json[path: ["spec", "backoffLimit"]] == 1)
        let conflict = Self.render("        - {type: grow}\n        - {type: shrink}", with: registry)
        #expect(conflict.diagnostics.contains { $0.message.contains("conflicts with the shrink trait") }, "\(conflict.diagnostics)")
        let broken = Self.render("        - {type: broken}", with: registry)
        let problem = try #require(broken.diagnostics.first)
        #expect(problem.message.hasPrefix("the broken definition failed:"), "\(problem)")
        #expect(problem.location?.line == 10, "\(problem)")  // the trait's line in app.yaml
        #expect(problem.hint?.contains("broken.cue:3:") == true, "\(problem)")  // and the template's line
    }

    /// A comment above a shorthand (`patch: spec: replicas: ...`) speaks of its innermost field,
    /// as KubeVela's scaler and service-account traits rely on.
    @Test func directivesAboveAShorthandApplyToItsInnermostField() throws {
        let registry = try Self.registry([
            "scale": "// +patchStrategy=retainKeys\npatch: spec: replicas: 3",
            "extra-port": "// +patchKey=name\npatch: spec: template: spec: containers: [{name: \"web\", ports: [{containerPort: 9090, name: \"metrics\"}]}]",
            "limits": "patch: spec: template: spec: {\n// +patchKey=name\ncontainers: [{resources: limits: cpu: 1}]\n}",
        ])
        let result = Self.render("        - {type: scale}\n        - {type: extra-port}\n        - {type: limits}", with: registry)
        #expect(result.diagnostics.filter(\.isError).isEmpty, "\(result.diagnostics)")
        let deployment = try #require(result.objects.first { $0.kind == "Deployment" }).json
        #expect(deployment["apiVersion"] == "apps/v1" && deployment[path: ["spec", "replicas"]] == 3)
        #expect(deployment[path: ["spec", "template", "spec", "containers"]]?.array?.count == 1)
        #expect(deployment[path: ["spec", "template", "spec", "containers"]]?.array?.first?["image"] == "nginx")
        // An element without the merge key patches the element at its place.
        #expect(deployment[path: ["spec", "template", "spec", "containers"]]?.array?.first?[path: ["resources", "limits", "cpu"]] == 1)
    }

    /// Lists unify as CUE unifies them: `[...{x}]` reaches every element, and objects without a
    /// merge key patch by position (KubeVela's lifecycle and storage traits).
    @Test func openListConstraintsReachEveryElementAndUnkeyedObjectsMergeByPosition() throws {
        let registry = try Self.registry([
            "every": "patch: spec: template: spec: containers: [...{terminationMessagePath: \"/dev/log\"}]",
            "first": "patch: spec: template: spec: containers: [{workingDir: \"/srv\"}, ...]",
        ])
        let result = Self.render("        - {type: every}\n        - {type: first}", with: registry)
        #expect(result.diagnostics.filter(\.isError).isEmpty, "\(result.diagnostics)")
        let deployment = try #require(result.objects.first { $0.kind == "Deployment" }).json
        let container = try #require(deployment[path: ["spec", "template", "spec", "containers"]]?.array?.first)
        #expect(container["name"] == "web" && container["image"] == "nginx")
        #expect(container["terminationMessagePath"] == "/dev/log" && container["workingDir"] == "/srv")
        #expect(deployment[path: ["spec", "template", "spec", "containers"]]?.array?.count == 1)
    }
}
