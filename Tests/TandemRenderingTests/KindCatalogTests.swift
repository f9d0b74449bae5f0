import KubeModel
import TandemTestSupport
import Testing

/// The kind catalog knows every built-in kind Tandem renders, once each.
@Suite struct KindCatalogTests {
    @Test func everyGroupKindHasOneEntry() {
        let kinds = KindCatalog.entries.map(\.groupKind)
        #expect(Set(kinds).count == kinds.count)
    }

    @Test func everyRenderedBuiltInKindIsListed() throws {
        var rendered: Set<GroupKind> = []
        for fixture in GoldenTests.cases {
            for object in try fixture.render().result.objects { rendered.insert(object.gvk.groupKind) }
        }
        #expect(rendered.count > 10)
        let listed = Set(KindCatalog.entries.map(\.groupKind))
        let builtIn = rendered.filter { !$0.group.contains(".") || $0.group.hasSuffix(".k8s.io") }
        #expect(builtIn.subtracting(listed).sorted() == [], "a rendered built-in kind the catalog does not know")
    }

    @Test func clusterScopedKindsAreThoseKubernetesServesWithoutNamespace() {
        let cluster = Set(KindCatalog.entries.filter { $0.scope == .cluster }.map(\.groupKind.description))
        #expect(cluster.isSuperset(of: ["Namespace", "ClusterRole.rbac.authorization.k8s.io", "ClusterRoleBinding.rbac.authorization.k8s.io",
                                        "CustomResourceDefinition.apiextensions.k8s.io", "PersistentVolume", "StorageClass.storage.k8s.io"]))
        #expect(ResourceScope.builtIn(GroupKind(group: "rbac.authorization.k8s.io", kind: "RoleBinding")) == .namespaced)
        #expect(ResourceScope.builtIn(GroupKind(group: "example.com", kind: "Widget")) == .namespaced)
    }

    @Test func unlistedKindsAreJudgedByTheirGroup() {
        #expect(KindCatalog.entry(for: GroupKind(group: "cert-manager.io", kind: "Certificate")).health == .generic)
        #expect(KindCatalog.entry(for: GroupKind(group: "", kind: "Endpoints")).health == .alwaysReady)
        #expect(ApplyPhase(GroupKind(group: "cert-manager.io", kind: "Certificate")) == .rest)
        #expect(ApplyPhase(GroupKind(group: "rbac.authorization.k8s.io", kind: "ClusterRoleBinding")) == .accessControl)
    }
}
