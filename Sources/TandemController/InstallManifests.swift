import KubeModel
import TandemJSON

/// What `tandem install` prints: the Application CRD, KubeVela's four definition CRDs and its
/// ApplicationRevision CRD, the
/// controller's namespace and `vela-system` (where `tandem def apply` puts definitions), service
/// account, least-privilege RBAC and Deployment.
public enum InstallManifests {
    public struct Options: Sendable {
        public var namespace: String
        public var image: String
        /// Let applications create the kinds of `privilegedGroups`: Roles and bindings (the
        /// service-account trait's privileges), admission webhooks and policies, APIServices.
        /// The controller then needs `bind` and `escalate`, which only an administrator should grant.
        public var allowRBAC: Bool
        public var replicas: Int

        public init(namespace: String = "tandem-system", image: String, allowRBAC: Bool = false, replicas: Int = 2) {
            self.namespace = namespace
            self.image = image
            self.allowRBAC = allowRBAC
            self.replicas = replicas
        }
    }

    static let name = "tandem-controller"
    static let labels: JSONValue = ["app.kubernetes.io/name": "tandem", "app.kubernetes.io/component": "controller"]

    public static func objects(_ options: Options) -> [JSONValue] {
        [ApplicationDefinition.crd] + DefinitionCRDs.all + [ApplicationRevisionCRD.crd] + namespaces(options)
            + [serviceAccount(options), clusterRole(options), clusterRoleBinding(options),
               leaseRole(options), leaseRoleBinding(options), deployment(options)]
    }

    /// The namespace KubeVela keeps its shared definitions in.
    public static let definitionNamespace = "vela-system"

    static func metadata(_ name: String, namespace: String? = nil) -> JSONValue {
        var metadata: JSONObject = ["name": .string(name)]
        if let namespace { metadata.append("namespace", .string(namespace)) }
        metadata.append("labels", labels)
        return .object(metadata)
    }

    /// The controller's namespace, and `vela-system` unless the controller lives there.
    static func namespaces(_ options: Options) -> [JSONValue] {
        Array(Set([options.namespace, definitionNamespace])).sorted().map {
            ["apiVersion": "v1", "kind": "Namespace", "metadata": metadata($0)]
        }
    }

    static func serviceAccount(_ options: Options) -> JSONValue {
        ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": metadata(name, namespace: options.namespace)]
    }

    static func rule(_ group: String, _ resources: [String], _ verbs: [String]) -> JSONValue {
        ["apiGroups": [.string(group)], "resources": .array(resources.map { .string($0) }), "verbs": .array(verbs.map { .string($0) })]
    }

    /// The verbs on a kind the controller applies, watches and prunes.
    static let manage = ["get", "list", "watch", "create", "update", "patch", "delete"]
    static let read = ["get", "list", "watch"]

    /// Groups whose objects act with more rights than whoever creates them: RBAC (a binding
    /// grants, a role escalates), admission webhooks and policies (they see and change every
    /// request), APIServices (they answer for whole API groups). Read only unless `allowRBAC`.
    static let privilegedGroups: Set<String> = ["rbac.authorization.k8s.io", "admissionregistration.k8s.io", "apiregistration.k8s.io"]

    /// The verbs the controller gets on a kind of the catalog.
    static func verbs(for entry: KindEntry, _ options: Options) -> [String] {
        guard privilegedGroups.contains(entry.groupKind.group) else { return manage }
        guard options.allowRBAC else { return read }
        return entry.groupKind.group == "rbac.authorization.k8s.io" ? manage + ["bind", "escalate"] : manage
    }

    /// Exactly what reconciling needs: Applications and their status and finalizers, every kind
    /// of the catalog (what an application may render is what the controller may manage, so
    /// the two cannot drift apart), events to read (Warnings, for health) and write.
    static func clusterRole(_ options: Options) -> JSONValue {
        var rules: [JSONValue] = [
            rule("core.oam.dev", ["applications"], ["get", "list", "watch", "update", "patch"]),
            rule("core.oam.dev", ["applications/status"], ["get", "update", "patch"]),
            rule("core.oam.dev", ["applications/finalizers"], ["update"]),
            // Definitions are the catalog applications are rendered with: read only.
            rule("core.oam.dev", DefinitionCRDs.plurals, read),
            // Each Application's revisions, which it owns.
            rule("core.oam.dev", [ApplicationRevisionCRD.plural], manage),
            rule("", ["events"], ["get", "list", "watch", "create", "patch"]),
        ]
        // One rule per group and set of verbs, in the catalog's order.
        var groups: [(group: String, verbs: [String], resources: [String])] = []
        for entry in KindCatalog.entries {
            let verbs = verbs(for: entry, options)
            if let index = groups.firstIndex(where: { $0.group == entry.groupKind.group && $0.verbs == verbs }) {
                groups[index].resources.append(entry.resource)
            } else {
                groups.append((entry.groupKind.group, verbs, [entry.resource]))
            }
        }
        rules += groups.map { rule($0.group, $0.resources, $0.verbs) }
        return ["apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": metadata(name), "rules": .array(rules)]
    }

    static func clusterRoleBinding(_ options: Options) -> JSONValue {
        ["apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": metadata(name),
         "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": .string(name)],
         "subjects": [["kind": "ServiceAccount", "name": .string(name), "namespace": .string(options.namespace)]]]
    }

    /// Leader election, in the controller's own namespace only.
    static func leaseRole(_ options: Options) -> JSONValue {
        ["apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": metadata("\(name)-leader-election", namespace: options.namespace),
         "rules": [rule("coordination.k8s.io", ["leases"], ["get", "create", "update"])]]
    }

    static func leaseRoleBinding(_ options: Options) -> JSONValue {
        ["apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
         "metadata": metadata("\(name)-leader-election", namespace: options.namespace),
         "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": .string("\(name)-leader-election")],
         "subjects": [["kind": "ServiceAccount", "name": .string(name), "namespace": .string(options.namespace)]]]
    }

    static func deployment(_ options: Options) -> JSONValue {
        let probe: (String) -> JSONValue = { path in
            ["httpGet": ["path": .string(path), "port": "metrics"], "periodSeconds": 10, "timeoutSeconds": 2, "failureThreshold": 3]
        }
        let container: JSONValue = [
            "name": "controller", "image": .string(options.image), "imagePullPolicy": "IfNotPresent",
            "args": ["controller", "--leader-elect=true", .string("--lease-namespace=\(options.namespace)"), "--metrics-port=8080"],
            "env": [["name": "POD_NAME", "valueFrom": ["fieldRef": ["fieldPath": "metadata.name"]]]],
            "ports": [["name": "metrics", "containerPort": 8080, "protocol": "TCP"]],
            "livenessProbe": probe("/healthz"), "readinessProbe": probe("/readyz"),
            "resources": ["requests": ["cpu": "100m", "memory": "128Mi"], "limits": ["memory": "512Mi"]],
            "securityContext": ["allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "runAsNonRoot": true,
                                "capabilities": ["drop": ["ALL"]]],
        ]
        let selector: JSONValue = ["app.kubernetes.io/name": "tandem", "app.kubernetes.io/component": "controller"]
        return [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": metadata(name, namespace: options.namespace),
            "spec": [
                "replicas": .int(options.replicas), "selector": ["matchLabels": selector],
                "template": [
                    "metadata": ["labels": selector],
                    "spec": [
                        "serviceAccountName": .string(name),
                        "securityContext": ["runAsNonRoot": true, "runAsUser": 65532, "runAsGroup": 65532,
                                            "seccompProfile": ["type": "RuntimeDefault"]],
                        "containers": [container],
                    ],
                ],
            ],
        ]
    }
}
