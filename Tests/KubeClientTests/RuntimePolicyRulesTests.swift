import KubeModel
import TandemJSON
import TandemModel
import Testing
@testable import TandemDeploy
@testable import TandemRendering

/// The runtime policies' rules without a cluster: field paths as KubeVela writes them, the
/// dependency ranks of garbage-collect's order, and which apply-once paths hold when.
struct RuntimePolicyRulesTests {
    @Test func fieldPathsReadAndWriteKeysAndListIndexes() throws {
        var json: JSONValue = ["spec": ["replicas": 1, "template": ["spec": ["containers": [["name": "a", "image": "x:1"]]]]],
                               "metadata": ["labels": ["app.kubernetes.io/name": "shop"]]]
        let image = try #require(PolicyFieldPath("spec.template.spec.containers[0].image"))
        #expect(image.value(in: json) == "x:1")
        image.set("x:2", in: &json)
        #expect(image.value(in: json) == "x:2")
        #expect(PolicyFieldPath("metadata.labels[app.kubernetes.io/name]")?.value(in: json) == "shop")
        #expect(PolicyFieldPath("spec.template.spec.containers[3].image")?.value(in: json) == nil)
        // An index past the end sets nothing; a missing object is made.
        PolicyFieldPath("spec.template.spec.containers[3].image")?.set("y", in: &json)
        #expect(json[path: ["spec", "template", "spec", "containers"]]?.array?.count == 1)
        PolicyFieldPath("spec.strategy.type")?.set("Recreate", in: &json)
        #expect(json[path: ["spec", "strategy", "type"]] == "Recreate")
        #expect(PolicyFieldPath("") == nil)
        #expect(PolicyFieldPath("spec.ports[0") == nil)
    }

    @Test func dependencyRanksCountTheLongestChain() {
        func component(_ name: String, _ dependsOn: [String]) -> Application.Component {
            Application.Component(name: name, type: "worker", properties: Parameters([:]), traits: [], dependsOn: dependsOn, index: 0)
        }
        let ranks = GarbageCollectRules.ranks([component("db", []), component("api", ["db"]), component("web", ["api", "db"]),
                                               component("loop", ["loop"])])
        #expect(ranks == ["db": 0, "api": 1, "web": 2, "loop": 1])
    }

    @Test func applyOnceAffectDecidesWhenTheLivePathsAreKept() {
        func rules(_ affect: String?) -> ApplyOnceRules {
            var strategy: JSONObject = ["path": ["spec.replicas"]]
            if let affect { strategy.append("affect", .string(affect)) }
            return ApplyOnceRules([["enable": true, "rules": [["strategy": .object(strategy)]]]])
        }
        let item = DeployPlan.Item(object: KubeObject(.deployment, name: "web", namespace: "shop"),
                                   origin: ObjectOrigin(component: "web", componentType: "worker", trait: nil, isWorkload: true),
                                   phase: .workloads, component: 0)
        #expect(rules(nil).paths(for: item, renderingChanged: false) == ["spec.replicas"])
        #expect(rules(nil).paths(for: item, renderingChanged: true) == nil)
        #expect(rules("onUpdate").paths(for: item, renderingChanged: false) == nil)
        #expect(rules("onUpdate").paths(for: item, renderingChanged: true) == ["spec.replicas"])
        #expect(rules("always").paths(for: item, renderingChanged: true) == ["spec.replicas"])
        // enable: false turns the rules off; enable: true without rules keeps whole objects.
        #expect(ApplyOnceRules([["enable": false, "rules": [["strategy": ["path": ["*"]]]]]]).paths(for: item, renderingChanged: false) == nil)
        #expect(ApplyOnceRules([["enable": true]]).paths(for: item, renderingChanged: false) == ["*"])
    }
}
