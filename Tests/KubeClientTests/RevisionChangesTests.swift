import TandemDeploy
import TandemJSON
import Testing

/// What `tandem revisions` says a revision changed.
struct RevisionChangesTests {
    static func revision(_ number: Int, components: [JSONValue], policies: JSONValue? = nil, restores: Int? = nil) -> ApplicationRevision {
        var spec: JSONObject = ["components": .array(components)]
        if let policies { spec.append("policies", policies) }
        let application: JSONValue = ["apiVersion": "core.oam.dev/v1beta1", "kind": "Application",
                                      "metadata": ["name": "shop"], "spec": .object(spec)]
        return ApplicationRevision(application: "shop", number: number,
                                   content: RevisionContent(application: application, definitions: []), restores: restores)
    }

    static func component(_ name: String, image: String = "web:1") -> JSONValue {
        ["name": .string(name), "type": "worker", "properties": ["image": .string(image)]]
    }

    @Test func componentsAddedRemovedAndChangedAreNamed() {
        let first = Self.revision(1, components: [Self.component("web"), Self.component("jobs")])
        let second = Self.revision(2, components: [Self.component("web", image: "web:2"), Self.component("cache")],
                                   policies: [["name": "gc", "type": "garbage-collect"]])
        #expect(RevisionChanges.summary(of: first, previous: nil) == "first revision")
        #expect(RevisionChanges.summary(of: second, previous: first)
            == "component web changed; component cache added; component jobs removed; policies changed")
    }

    @Test func keyOrderIsNoChangeAndARestoreSaysSo() {
        let first = Self.revision(1, components: [["type": "worker", "name": "web", "properties": ["image": "web:1"]]])
        let second = Self.revision(2, components: [Self.component("web")])
        #expect(first.content.digest == second.content.digest)
        #expect(RevisionChanges.summary(of: second, previous: first) == "no change in the spec")
        let third = Self.revision(3, components: [Self.component("web")], restores: 1)
        #expect(RevisionChanges.summary(of: third, previous: second) == "restores v1")
        #expect(RevisionChanges.summary(of: Self.revision(5, components: []), previous: nil) == "(the revision before it is no longer kept)")
    }
}
