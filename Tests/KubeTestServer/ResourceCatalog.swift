import Synchronization
import TandemJSON

/// A group and a resource (plural): what identifies a collection regardless of version.
struct GroupResource: Hashable, Sendable, CustomStringConvertible {
    var group: String
    var resource: String

    /// `deployments.apps`, `pods`.
    var description: String { group.isEmpty ? resource : "\(resource).\(group)" }
}

/// One served resource type: what discovery lists and what requests are checked against.
struct ResourceType: Hashable, Sendable {
    var group: String
    var version: String
    var plural: String
    var singular: String
    var kind: String
    var namespaced: Bool
    var shortNames: [String] = []
    var categories: [String] = []
    var verbs: [String] = ResourceType.allVerbs
    /// Served with a `/status` subresource: the main resource ignores status, `/status` changes only status.
    var hasStatus = false
    /// Served with a `/scale` subresource (autoscaling/v1 Scale).
    var hasScale = false
    /// Keeps `metadata.generation`, bumped when anything but metadata and status changes.
    var hasGeneration = false
    /// A custom resource (from a CRD): updates need a resourceVersion, deletes return the object.
    var isCustom = false
    /// A CRD version's `additionalPrinterColumns`: name, type and JSONPath.
    var printerColumns: [PrinterColumn] = []

    struct PrinterColumn: Hashable, Sendable {
        var name: String
        var type: String
        var jsonPath: String
    }

    static let allVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    var groupResource: GroupResource { GroupResource(group: group, resource: plural) }
    var listKind: String { kind + "List" }
}

/// The resource types the server serves: the built-in table plus those of established CRDs.
final class ResourceCatalog: Sendable {
    private let custom = Mutex<[ResourceType]>([])

    static let builtIn: [ResourceType] = {
        func type(_ group: String, _ version: String, _ plural: String, _ kind: String, namespaced: Bool = true,
                  short: [String] = [], all: Bool = false, status: Bool = false, scale: Bool = false,
                  generation: Bool = false, verbs: [String] = ResourceType.allVerbs) -> ResourceType {
            ResourceType(group: group, version: version, plural: plural, singular: kind.lowercased(), kind: kind,
                         namespaced: namespaced, shortNames: short, categories: all ? ["all"] : [], verbs: verbs,
                         hasStatus: status, hasScale: scale, hasGeneration: generation)
        }
        let namespaceVerbs = ["create", "delete", "get", "list", "patch", "update", "watch"]
        return [
            type("", "v1", "configmaps", "ConfigMap", short: ["cm"]),
            type("", "v1", "endpoints", "Endpoints", short: ["ep"]),
            type("", "v1", "events", "Event", short: ["ev"]),
            type("", "v1", "namespaces", "Namespace", namespaced: false, short: ["ns"], status: true, verbs: namespaceVerbs),
            type("", "v1", "nodes", "Node", namespaced: false, short: ["no"], status: true),
            type("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", short: ["pvc"], status: true),
            type("", "v1", "pods", "Pod", short: ["po"], all: true, status: true),
            type("", "v1", "secrets", "Secret"),
            type("", "v1", "serviceaccounts", "ServiceAccount", short: ["sa"]),
            type("", "v1", "services", "Service", short: ["svc"], all: true, status: true),
            type("apps", "v1", "daemonsets", "DaemonSet", short: ["ds"], all: true, status: true, generation: true),
            type("apps", "v1", "deployments", "Deployment", short: ["deploy"], all: true, status: true, scale: true, generation: true),
            type("apps", "v1", "replicasets", "ReplicaSet", short: ["rs"], all: true, status: true, scale: true, generation: true),
            type("apps", "v1", "statefulsets", "StatefulSet", short: ["sts"], all: true, status: true, scale: true, generation: true),
            type("batch", "v1", "cronjobs", "CronJob", short: ["cj"], all: true, status: true, generation: true),
            type("batch", "v1", "jobs", "Job", all: true, status: true, generation: true),
            type("networking.k8s.io", "v1", "ingressclasses", "IngressClass", namespaced: false, generation: true),
            type("networking.k8s.io", "v1", "ingresses", "Ingress", short: ["ing"], status: true, generation: true),
            type("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", short: ["netpol"], generation: true),
            type("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", namespaced: false),
            type("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", namespaced: false),
            type("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding"),
            type("rbac.authorization.k8s.io", "v1", "roles", "Role"),
            type("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", short: ["hpa"], all: true,
                 status: true, generation: true),
            type("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", short: ["pdb"], status: true, generation: true),
            type("coordination.k8s.io", "v1", "leases", "Lease"),
            type("storage.k8s.io", "v1", "storageclasses", "StorageClass", namespaced: false, short: ["sc"]),
            type("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", namespaced: false,
                 short: ["crd", "crds"], status: true, generation: true),
        ]
    }()

    /// Every served type, built-ins first, in a stable order.
    var all: [ResourceType] { Self.builtIn + custom.withLock { $0 } }

    /// The type served at `group/version` under `plural`.
    func find(group: String, version: String, plural: String) -> ResourceType? {
        all.first { $0.group == group && $0.version == version && $0.plural == plural }
    }

    /// The type of a kind at an apiVersion (`apps/v1`, `Deployment`).
    func find(apiVersion: String, kind: String) -> ResourceType? {
        all.first { $0.apiVersion == apiVersion && $0.kind == kind }
    }

    /// The stored form of a resource: objects are kept per group and resource, whatever version serves them.
    func preferred(_ resource: GroupResource) -> ResourceType? {
        all.first { $0.groupResource == resource }
    }

    /// Group versions in discovery order: the core group first, then groups in table order.
    var groupVersions: [(group: String, versions: [String])] {
        var result: [(group: String, versions: [String])] = []
        for type in all {
            if let index = result.firstIndex(where: { $0.group == type.group }) {
                if !result[index].versions.contains(type.version) { result[index].versions.append(type.version) }
            } else {
                result.append((type.group, [type.version]))
            }
        }
        return result
    }

    /// Replaces the custom resource types with those of the established CRDs.
    func setCustomTypes(_ types: [ResourceType]) {
        custom.withLock { $0 = types }
    }

    /// The resource types a CRD serves (one per served version), or nil when it is malformed.
    static func customTypes(of crd: JSONValue) -> [ResourceType]? {
        guard let spec = crd["spec"]?.object, let group = spec["group"]?.string,
              let names = spec["names"]?.object, let plural = names["plural"]?.string, let kind = names["kind"]?.string,
              let versions = spec["versions"]?.array
        else { return nil }
        let namespaced = spec["scope"]?.string != "Cluster"
        return versions.compactMap { version -> ResourceType? in
            guard let name = version["name"]?.string, version["served"]?.bool != false else { return nil }
            return ResourceType(group: group, version: name, plural: plural,
                                singular: names["singular"]?.string ?? kind.lowercased(), kind: kind,
                                namespaced: namespaced, shortNames: names["shortNames"]?.strings ?? [],
                                categories: names["categories"]?.strings ?? [],
                                hasStatus: version[path: ["subresources", "status"]] != nil,
                                hasScale: false, hasGeneration: true, isCustom: true,
                                printerColumns: (version["additionalPrinterColumns"]?.array ?? []).compactMap { column in
                                    guard let name = column["name"]?.string, let path = column["jsonPath"]?.string else { return nil as ResourceType.PrinterColumn? }
                                    return ResourceType.PrinterColumn(name: name, type: column["type"]?.string ?? "string", jsonPath: path)
                                })
        }
    }
}
