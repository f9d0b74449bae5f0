@testable import KubeTestServer
import KubeModel
import TandemJSON
@testable import TandemController
import Testing

/// `tandem install`'s ClusterRole comes from the kind catalog: a kind an application may render
/// is a kind the controller may apply, watch and prune.
@Suite struct InstallManifestsTests {
    static let manage: Set<String> = ["get", "list", "watch", "create", "update", "patch", "delete"]
    static let read: Set<String> = ["get", "list", "watch"]
    static let privilegedGroups: Set<String> = ["rbac.authorization.k8s.io", "admissionregistration.k8s.io", "apiregistration.k8s.io"]

    /// The verbs the ClusterRole grants on `resource` of `group`, over all its rules.
    static func verbs(_ role: JSONValue, group: String, resource: String) -> Set<String> {
        var verbs: Set<String> = []
        for rule in role["rules"]?.array ?? [] {
            let groups = (rule["apiGroups"]?.array ?? []).compactMap(\.string)
            let resources = (rule["resources"]?.array ?? []).compactMap(\.string)
            if groups.contains(group), resources.contains(resource) {
                verbs.formUnion((rule["verbs"]?.array ?? []).compactMap(\.string))
            }
        }
        return verbs
    }

    static func clusterRole(allowRBAC: Bool) throws -> JSONValue {
        let objects = InstallManifests.objects(InstallManifests.Options(image: "tandem:test", allowRBAC: allowRBAC))
        return try #require(objects.first { $0["kind"]?.string == "ClusterRole" })
    }

    /// The Applications' revisions: KubeVela's ApplicationRevision kind, which the controller manages.
    @Test func theApplicationRevisionKindIsInstalledAndManaged() throws {
        let objects = InstallManifests.objects(InstallManifests.Options(image: "tandem:test"))
        let crd = try #require(objects.first { $0[path: ["metadata", "name"]] == "applicationrevisions.core.oam.dev" })
        #expect(crd[path: ["spec", "names", "kind"]] == "ApplicationRevision" && crd[path: ["spec", "scope"]] == "Namespaced")
        #expect(crd[path: ["spec", "names", "shortNames"]] == ["apprev"])
        let role = try Self.clusterRole(allowRBAC: false)
        #expect(Self.verbs(role, group: "core.oam.dev", resource: "applicationrevisions") == Self.manage)
    }

    @Test(arguments: [false, true])
    func everyKindOfTheCatalogHasARule(allowRBAC: Bool) throws {
        let role = try Self.clusterRole(allowRBAC: allowRBAC)
        for entry in KindCatalog.entries {
            let granted = Self.verbs(role, group: entry.groupKind.group, resource: entry.resource)
            let privileged = Self.privilegedGroups.contains(entry.groupKind.group)
            let expected = privileged && !allowRBAC ? Self.read : Self.manage
            #expect(granted.isSuperset(of: expected), "\(entry.resource).\(entry.groupKind.group): \(granted.sorted())")
            if privileged && !allowRBAC {
                #expect(granted.isDisjoint(with: ["create", "update", "patch", "delete", "bind", "escalate"]),
                        "\(entry.resource).\(entry.groupKind.group) is writable without --allow-rbac")
            }
        }
        // The service-account trait's kinds, which the issue found missing, are watched at least.
        #expect(Self.verbs(role, group: "rbac.authorization.k8s.io", resource: "clusterroles").isSuperset(of: Self.read))
        #expect(Self.verbs(role, group: "rbac.authorization.k8s.io", resource: "clusterrolebindings").isSuperset(of: Self.read))
    }

    @Test func bindAndEscalateOnlyWithAllowRBAC() throws {
        let rbac = "rbac.authorization.k8s.io"
        #expect(Self.verbs(try Self.clusterRole(allowRBAC: true), group: rbac, resource: "clusterroles").isSuperset(of: ["bind", "escalate"]))
        #expect(!Self.verbs(try Self.clusterRole(allowRBAC: false), group: rbac, resource: "roles").contains("bind"))
    }

    /// The catalog's plurals are the ones the API serves (the test server's discovery, which
    /// copies a real API server's).
    @Test func theCatalogsPluralsAreTheServedOnes() {
        var compared = 0
        for entry in KindCatalog.entries {
            guard let served = ResourceCatalog.builtIn.first(where: { $0.group == entry.groupKind.group && $0.kind == entry.groupKind.kind })
            else { continue }
            #expect(served.plural == entry.resource, "\(entry.groupKind.kind)")
            compared += 1
        }
        #expect(compared >= 15, "the test server serves too few of the catalog's kinds to judge")
        // RESTMapper's guess, where it is not just an added s.
        #expect(KindEntry.guessedResource("NetworkPolicy") == "networkpolicies")
        #expect(KindEntry.guessedResource("Ingress") == "ingresses")
        #expect(KindEntry.guessedResource("StorageClass") == "storageclasses")
    }

    /// KubeVela's four definition CRDs, with its names, and a controller that may read (never
    /// write) definitions; `vela-system` exists for `tandem def apply`.
    @Test func definitionCRDsAreKubeVelasAndReadable() throws {
        let objects = InstallManifests.objects(InstallManifests.Options(image: "tandem:test"))
        let crds = objects.filter { $0["kind"]?.string == "CustomResourceDefinition" }
        let expected: [(String, String, String)] = [("componentdefinitions", "ComponentDefinition", "comp"),
                                                    ("traitdefinitions", "TraitDefinition", "trait"),
                                                    ("policydefinitions", "PolicyDefinition", "def-policy"),
                                                    ("workflowstepdefinitions", "WorkflowStepDefinition", "workflowstep")]
        for (plural, kind, shortName) in expected {
            let crd = try #require(crds.first { $0["metadata"]?["name"]?.string == "\(plural).core.oam.dev" }, "\(plural)")
            #expect(crd["spec"]?["group"]?.string == "core.oam.dev")
            #expect(crd["spec"]?["scope"]?.string == "Namespaced")
            #expect(crd["spec"]?["names"]?["kind"]?.string == kind)
            #expect(crd["spec"]?["names"]?["shortNames"]?.array?.compactMap(\.string) == [shortName])
            #expect(crd["spec"]?["versions"]?.array?.first?["name"]?.string == "v1beta1")
            let granted = Self.verbs(try Self.clusterRole(allowRBAC: false), group: "core.oam.dev", resource: plural)
            #expect(granted == Self.read, "\(plural): \(granted.sorted())")
        }
        let namespaces = objects.filter { $0["kind"]?.string == "Namespace" }.compactMap { $0["metadata"]?["name"]?.string }
        #expect(namespaces == ["tandem-system", "vela-system"])
        let inVelaSystem = InstallManifests.objects(InstallManifests.Options(namespace: "vela-system", image: "tandem:test"))
        #expect(inVelaSystem.filter { $0["kind"]?.string == "Namespace" }.count == 1)
    }
}
