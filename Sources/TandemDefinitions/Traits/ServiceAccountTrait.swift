import KubeModel
import TandemJSON
import TandemModel

/// `service-account`: the identity the pods run as, optionally created with RBAC privileges.
public struct ServiceAccountTrait: TraitDefinition {
    public let name = "service-account"
    public let description = "Runs the pods as a ServiceAccount, optionally creating it and granting it privileges."
    public let appliesTo = TraitTarget.podTemplate

    public init() {}

    public let parameters = Schema.object("Parameters of the service-account trait.", [
        .required("name", .string("Name of the ServiceAccount.", format: .dns1123Subdomain)),
        .optional("create", .boolean("Create the ServiceAccount (otherwise it must exist).", default: false)),
        .optional("privileges", .array(of: .object("A rule of what the account may do.", [
            .required("verbs", .array(of: .string(format: .nonEmpty), "Verbs such as get, list, watch.", minItems: 1)),
            .optional("apiGroups", .array(of: .string(), "API groups (\"\" is the core group).")),
            .optional("resources", .array(of: .string(format: .nonEmpty), "Resources such as pods or deployments.")),
            .optional("resourceNames", .array(of: .string(format: .nonEmpty), "Only these objects.")),
            .optional("nonResourceURLs", .array(of: .string(format: .nonEmpty), "URLs such as /healthz (cluster scope only).")),
            .optional("scope", .oneOf(["namespace", "cluster"], "Where the rule holds.", default: "namespace")),
        ]), "Privileges to grant: a Role and RoleBinding for namespace rules, a ClusterRole and ClusterRoleBinding for cluster rules.")),
    ], checks: [{ properties, scope in
        for (index, privilege) in (properties["privileges"]?.array ?? []).enumerated() {
            if privilege["nonResourceURLs"] != nil, privilege["scope"]?.string != "cluster" {
                scope.error("nonResourceURLs need scope: cluster", at: ["privileges", .index(index), "nonResourceURLs"], code: .invalidPrivilege)
            }
            if privilege["resources"] != nil, privilege["apiGroups"] == nil {
                scope.error("a privilege on resources needs apiGroups (\"\" is the core group)", at: ["privileges", .index(index)],
                            code: .invalidPrivilege, hint: "add apiGroups: [\"\"] for pods, services and the like")
            }
            if privilege["resources"] == nil, privilege["nonResourceURLs"] == nil {
                scope.error("a privilege needs resources or nonResourceURLs", at: ["privileges", .index(index)], code: .invalidPrivilege)
            }
        }
    }])

    public let example = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: operator
          namespace: ops
        spec:
          components:
            - name: controller
              type: worker
              properties:
                image: example/operator:1
              traits:
                - type: service-account
                  properties:
                    name: operator
                    create: true
                    privileges:
                      - {verbs: [get, list, watch], apiGroups: [""], resources: [pods]}
                      - {verbs: [get, list], apiGroups: [""], resources: [nodes], scope: cluster}

        """

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        let account = properties.text("name")
        let alreadySet = component.editPodSpec { pod -> Bool in
            if pod.json["serviceAccountName"] != nil { return true }
            pod.json.insert("serviceAccountName", .string(account), following: PodSpec.fieldOrder)
            return false
        } ?? false
        if alreadySet {
            context.scope.error("the pods' service account is already set by an earlier trait", code: .conflictingTraits,
                                hint: "keep one service-account trait per component")
            return
        }
        if properties.flag("create") {
            component.addObject(context.object(.serviceAccount, name: account))
        }
        let privileges = properties.list("privileges")
        let rules = { (scope: String) -> [JSONValue] in
            privileges.filter { $0.text("scope") == scope }.map { privilege in
                var rule = privilege.object ?? JSONObject()
                rule["scope"] = nil
                return .object(rule)
            }
        }
        var subject: JSONObject = ["kind": "ServiceAccount", "name": .string(account)]
        if let namespace = context.namespace { subject.append("namespace", .string(namespace)) }
        let namespaced = rules("namespace")
        if !namespaced.isEmpty {
            var role = context.object(.role, name: account)
            role.json["rules"] = .array(namespaced)
            var binding = context.object(.roleBinding, name: account)
            binding.json["roleRef"] = ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": .string(account)]
            binding.json["subjects"] = [.object(subject)]
            component.addObject(role)
            component.addObject(binding)
        }
        let clusterWide = rules("cluster")
        if !clusterWide.isEmpty {
            guard let namespace = context.namespace else {
                context.scope.error("cluster-wide privileges need the application's metadata.namespace, to name the account's namespace",
                                    at: ["privileges"], code: .missingNamespace)
                return
            }
            let clusterName = "\(namespace):\(account)"
            var role = context.object(.clusterRole, name: clusterName)
            role.json["rules"] = .array(clusterWide)
            var binding = context.object(.clusterRoleBinding, name: clusterName)
            binding.json["roleRef"] = ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": .string(clusterName)]
            binding.json["subjects"] = [.object(subject)]
            component.addObject(role)
            component.addObject(binding)
        }
    }
}
