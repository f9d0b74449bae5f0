@testable import KubeTestServer
import TandemJSON
import Testing

/// The pieces with rules of their own: selectors, field sets, container behaviour.
struct UnitTests {
    @Test func labelSelectorSyntax() throws {
        let labels = ["app": "web", "tier": "front"]
        #expect(try LabelSelector(parsing: "app=web,tier in (front, back)").matches(labels))
        #expect(try LabelSelector(parsing: "app==web,!missing,tier").matches(labels))
        #expect(try !LabelSelector(parsing: "app notin (web)").matches(labels))
        #expect(try LabelSelector(parsing: "version!=2").matches(labels))
        #expect(throws: APIError.self) { try LabelSelector(parsing: "app in web") }
        #expect(throws: APIError.self) { try LabelSelector(parsing: "=web") }
    }

    @Test func fieldSetsReadAndWriteFieldsV1() {
        let text = #"{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{}}},"f:finalizers":{"v:\"a\"":{}}}}"#
        let value = (try? JSONReader().read(text)) ?? .null
        let set = FieldSet(fieldsV1: value)
        #expect(set.fieldsV1 == value)
        #expect(set.contains(["f:metadata", "f:labels"]))
        #expect(!set.contains(["f:metadata"]))
        let paths = set.paths().map(FieldSet.describe)
        #expect(paths == [".metadata.labels", ".metadata.labels.app", ".spec.containers[name=\"web\"]",
                          ".spec.containers[name=\"web\"].image", ".spec.finalizers[=\"a\"]"])
    }

    @Test func containerBehaviourFromTheSpec() {
        func behaviour(_ text: String, completes: Bool = false, first: Bool = true, isInit: Bool = false) -> ContainerBehaviour {
            ContainerBehaviour((try? JSONReader().read(text)) ?? .null, isInit: isInit, runsToCompletion: completes, isFirstMain: first)
        }
        #expect(behaviour(#"{"name":"a","image":"x","command":["sh","-c","sleep 1; exit 42"]}"#).outcome == .exits(42))
        #expect(behaviour(#"{"name":"a","image":"x","args":["--exit-code"]}"#).outcome == .runsForever)
        #expect(behaviour(#"{"name":"a","image":"x"}"#, completes: true).outcome == .exits(0))
        #expect(behaviour(#"{"name":"a","image":"x","command":["sleep","infinity"]}"#, completes: true).outcome == .runsForever)
        #expect(behaviour(#"{"name":"b","image":"x"}"#, completes: true, first: false).outcome == .runsForever)
        #expect(behaviour(#"{"name":"s","image":"x","restartPolicy":"Always"}"#, isInit: true).isSidecar)
        #expect(behaviour(#"{"name":"a","image":"unpullable.invalid/app:1"}"#).pullFails)
        #expect(behaviour(#"{"name":"a","image":"x","readinessProbe":{"exec":{"command":["false"]}}}"#).readinessFailure != nil)
        #expect(Kubelet.goDuration(80) == "1m20s" && Kubelet.goDuration(300) == "5m0s")
    }
}
