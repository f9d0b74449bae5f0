import KubeModel
import TandemModel

/// `securitycontext`: the security settings of one container.
public struct SecurityContextTrait: TraitDefinition {
    public let name = "securitycontext"
    public let description = "Sets the security context of a container: capabilities, privileges, user and group."
    public let appliesTo = TraitTarget.podTemplate

    public init() {}

    public let parameters = Schema.object("Parameters of the securitycontext trait.", [
        .optional("containerName", ContainerTarget.schema),
        .optional("addCapabilities", .array(of: .string(format: .nonEmpty), "Linux capabilities to add, such as NET_ADMIN.")),
        .optional("dropCapabilities", .array(of: .string(format: .nonEmpty), "Linux capabilities to drop, such as ALL.")),
        .optional("allowPrivilegeEscalation", .boolean("Whether a process may gain more privileges than its parent.", default: false)),
        .optional("privileged", .boolean("Run as a privileged container.", default: false)),
        .optional("readOnlyRootFilesystem", .boolean("Mount the root file system read-only.", default: false)),
        .optional("runAsNonRoot", .boolean("Refuse to start as root (user 0).", default: true)),
        .optional("runAsUser", .integer("User ID to run as.", range: 0...Int(Int32.max))),
        .optional("runAsGroup", .integer("Group ID to run as.", range: 0...Int(Int32.max))),
    ])

    public let example = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: api
        spec:
          components:
            - name: server
              type: worker
              properties:
                image: example/api:3
              traits:
                - type: securitycontext
                  properties:
                    dropCapabilities: [ALL]
                    readOnlyRootFilesystem: true
                    runAsUser: 10001

        """

    public func apply(_ properties: JSONValue, to component: inout RenderedComponent, context: RenderContext) {
        var properties = properties
        let given = { (name: String) in context.scope.node(at: [.key(name)]) != nil }
        // The safe defaults give way to what the user asks for, instead of making an invalid pod.
        let privileged = properties["privileged"]?.bool == true || (properties["addCapabilities"]?.strings ?? []).contains("SYS_ADMIN")
        if privileged {
            if !given("allowPrivilegeEscalation") {
                properties["allowPrivilegeEscalation"] = true
            } else if properties["allowPrivilegeEscalation"]?.bool == false {
                context.scope.error("a privileged container (or one with SYS_ADMIN) cannot set allowPrivilegeEscalation: false",
                                    at: ["allowPrivilegeEscalation"], code: "conflicting-properties", hint: "remove one of them")
                return
            }
        }
        guard RunAsRoot.reconcile(&properties, given: given, scope: context.scope) else { return }
        var securityContext = JSONObject()
        var capabilities = JSONObject()
        if let add = properties["addCapabilities"] { capabilities.append("add", add) }
        if let drop = properties["dropCapabilities"] { capabilities.append("drop", drop) }
        if !capabilities.isEmpty { securityContext.append("capabilities", .object(capabilities)) }
        for field in ["allowPrivilegeEscalation", "privileged", "readOnlyRootFilesystem", "runAsNonRoot", "runAsUser", "runAsGroup"] {
            if let value = properties[field] { securityContext.append(field, value) }
        }
        ContainerTarget.edit(properties, &component, context) { container in
            container.setContainerField("securityContext", .object(securityContext))
        }
    }
}

/// `podsecuritycontext`: the security settings of the whole pod.
public struct PodSecurityContextTrait: TraitDefinition {
    public let name = "podsecuritycontext"
    public let description = "Sets the pod's security context: user, group, file system group, seccomp and AppArmor profiles."
    public let appliesTo = TraitTarget.podTemplate

    public init() {}

    static func profile(_ what: String, localhostOnly: String) -> Schema {
        .object("The \(what) profile.", [
            .required("type", .oneOf(["RuntimeDefault", "Unconfined", "Localhost"], "Which profile.")),
            .optional("localhostProfile", .string(localhostOnly, format: .nonEmpty)),
        ], checks: [{ profile, scope in
            if (profile["type"]?.string == "Localhost") != (profile["localhostProfile"] != nil) {
                scope.error("localhostProfile goes with type Localhost, and only with it", code: "invalid-profile")
            }
        }])
    }

    public let parameters = Schema.object("Parameters of the podsecuritycontext trait.", [
        .optional("appArmorProfile", PodSecurityContextTrait.profile("AppArmor", localhostOnly: "The profile loaded on the node (type Localhost).")),
        .optional("fsGroup", .integer("Group that owns mounted volumes.", range: 0...Int(Int32.max))),
        .optional("runAsGroup", .integer("Group ID of the containers' processes.", range: 0...Int(Int32.max))),
        .optional("runAsUser", .integer("User ID of the containers' processes.", range: 0...Int(Int32.max))),
        .optional("runAsNonRoot", .boolean("Refuse to start containers as root.", default: true)),
        .optional("seccompProfile", PodSecurityContextTrait.profile("seccomp", localhostOnly: "Path of the profile on the node (type Localhost).")),
    ])

    public let example = """
        apiVersion: core.oam.dev/v1beta1
        kind: Application
        metadata:
          name: api
        spec:
          components:
            - name: server
              type: worker
              properties:
                image: example/api:3
              traits:
                - type: podsecuritycontext
                  properties:
                    runAsUser: 10001
                    fsGroup: 10001
                    seccompProfile: {type: RuntimeDefault}

        """

    public func apply(_ properties: JSONValue, to component: inout RenderedComponent, context: RenderContext) {
        if properties["appArmorProfile"] != nil, context.kubeVersion < KubeVersion(minor: 30) {
            context.scope.error("appArmorProfile needs Kubernetes 1.30 or later; the target is \(context.kubeVersion)",
                                at: ["appArmorProfile"], code: "unsupported-version",
                                hint: "use the container.apparmor.security.beta.kubernetes.io annotation on older clusters")
            return
        }
        var properties = properties
        guard RunAsRoot.reconcile(&properties, given: { context.scope.node(at: [.key($0)]) != nil }, scope: context.scope) else { return }
        let securityContext = properties.object ?? JSONObject()
        component.editPodSpec { pod in
            pod.json["securityContext"] = .object(securityContext)
        }
    }
}

/// `runAsUser: 0` with the default `runAsNonRoot: true` makes a pod the kubelet never starts:
/// running as root, when asked for, turns the default off; asked for with runAsNonRoot: true it is an error.
enum RunAsRoot {
    static func reconcile(_ properties: inout JSONValue, given: (String) -> Bool, scope: DiagnosticScope) -> Bool {
        guard properties["runAsUser"]?.int == 0 else { return true }
        if !given("runAsNonRoot") {
            properties["runAsNonRoot"] = false
            return true
        }
        if properties["runAsNonRoot"]?.bool == true {
            scope.error("runAsUser 0 is root, which runAsNonRoot: true refuses", at: ["runAsUser"], code: "conflicting-properties",
                        hint: "remove one of them")
            return false
        }
        return true
    }
}
