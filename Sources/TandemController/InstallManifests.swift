import KubeModel
import TandemJSON

/// What `tandem install` prints: the Application CRD, the controller's namespace, service
/// account, least-privilege RBAC and Deployment.
public enum InstallManifests {
    public struct Options: Sendable {
        public var namespace: String
        public var image: String
        /// Let applications create Roles and RoleBindings (the service-account trait's
        /// privileges): the controller then needs `bind` and `escalate`, which only an
        /// administrator should grant.
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
        [ApplicationDefinition.crd, namespace(options), serviceAccount(options), clusterRole(options), clusterRoleBinding(options),
         leaseRole(options), leaseRoleBinding(options), deployment(options)]
    }

    static func metadata(_ name: String, namespace: String? = nil) -> JSONValue {
        var metadata: JSONObject = ["name": .string(name)]
        if let namespace { metadata.append("namespace", .string(namespace)) }
        metadata.append("labels", labels)
        return .object(metadata)
    }

    static func namespace(_ options: Options) -> JSONValue {
        ["apiVersion": "v1", "kind": "Namespace", "metadata": metadata(options.namespace)]
    }

    static func serviceAccount(_ options: Options) -> JSONValue {
        ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": metadata(name, namespace: options.namespace)]
    }

    static func rule(_ group: String, _ resources: [String], _ verbs: [String]) -> JSONValue {
        ["apiGroups": [.string(group)], "resources": .array(resources.map { .string($0) }), "verbs": .array(verbs.map { .string($0) })]
    }

    /// Exactly what reconciling needs: Applications and their status and finalizers, the kinds
    /// the catalog renders, pods to read, events to read (Warnings, for health) and write.
    static func clusterRole(_ options: Options) -> JSONValue {
        let manage = ["get", "list", "watch", "create", "update", "patch", "delete"]
        var rules: [JSONValue] = [
            rule("core.oam.dev", ["applications"], ["get", "list", "watch", "update", "patch"]),
            rule("core.oam.dev", ["applications/status"], ["get", "update", "patch"]),
            rule("core.oam.dev", ["applications/finalizers"], ["update"]),
            rule("", ["configmaps", "secrets", "services", "serviceaccounts", "persistentvolumeclaims"], manage),
            rule("", ["pods"], ["get", "list", "watch"]),
            rule("", ["events"], ["get", "list", "watch", "create", "patch"]),
            rule("apps", ["deployments", "statefulsets", "daemonsets"], manage),
            rule("batch", ["jobs", "cronjobs"], manage),
            rule("networking.k8s.io", ["ingresses", "networkpolicies"], manage),
            rule("autoscaling", ["horizontalpodautoscalers"], manage),
            rule("policy", ["poddisruptionbudgets"], manage),
        ]
        if options.allowRBAC {
            rules.append(rule("rbac.authorization.k8s.io", ["roles", "rolebindings", "clusterroles", "clusterrolebindings"],
                              manage + ["bind", "escalate"]))
        } else {
            // Read only: the controller watches what it may own, and says why it cannot apply.
            rules.append(rule("rbac.authorization.k8s.io", ["roles", "rolebindings"], ["get", "list", "watch"]))
        }
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
