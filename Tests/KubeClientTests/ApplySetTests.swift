import KubeModel
import TandemDeploy
import Testing

@Suite struct ApplySetTests {
    /// Ids kubectl itself computed for the same parents (KEP-3659's formula).
    @Test func idsAreKubectls() {
        #expect(ApplySet.id(for: ObjectReference(gvk: .secret, namespace: "default", name: "tandem-shop"))
            == "applyset-Opok0AqrgTHrN5_oSWTu3zGfyKuwb7Mq5iKNAQ4C704-v1")
        let application = GroupVersionKind(group: "core.oam.dev", version: "v1beta1", kind: "Application")
        #expect(ApplySet.id(for: ObjectReference(gvk: application, namespace: "default", name: "shop"))
            == "applyset-swR1e0xy0M8IOx9M4kii9amh-pcwvQwqhQdlxe0efEE-v1")
    }

    @Test func theParentRecordsKindsAsKubectlWritesThem() {
        let set = ApplySet(parent: ApplySet.commandLineParent(application: "shop", namespace: "default"))
        let record = ApplySetRecord(groupKinds: [GroupKind(group: "apps", kind: "Deployment"), GroupKind(group: "", kind: "Service"),
                                                 GroupKind(group: "", kind: "ConfigMap")],
                                    additionalNamespaces: [], tooling: "tandem/v0.2.0")
        let (labels, annotations) = record.metadata(for: set)
        #expect(labels.map(\.key) == [ApplySet.idLabel])
        let byKey = Dictionary(uniqueKeysWithValues: annotations.map { ($0.key, $0.value) })
        #expect(byKey[ApplySet.groupKindsAnnotation] == "ConfigMap,Deployment.apps,Service")
        #expect(byKey[ApplySet.additionalNamespacesAnnotation] == "")
        #expect(byKey[ApplySet.toolingAnnotation] == "tandem/v0.2.0")
    }

    @Test func aParentIsReadBack() {
        var parent = KubeObject(.secret, name: "tandem-shop", namespace: "default")
        parent.addLabels([(ApplySet.idLabel, "applyset-x-v1")])
        parent.addAnnotations([(ApplySet.toolingAnnotation, "kubectl/v1.32.5"),
                               (ApplySet.groupKindsAnnotation, "ConfigMap,Deployment.apps"),
                               (ApplySet.additionalNamespacesAnnotation, "alpha,zeta")])
        let record = ApplySetRecord(parent: parent)
        #expect(record.toolName == "kubectl")
        #expect(record.id == "applyset-x-v1")
        #expect(record.groupKinds == [GroupKind(group: "", kind: "ConfigMap"), GroupKind(group: "apps", kind: "Deployment")])
        #expect(record.additionalNamespaces == ["alpha", "zeta"])
    }
}
