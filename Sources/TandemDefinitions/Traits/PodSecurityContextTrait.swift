import KubeModel
import TandemJSON
import TandemModel

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
                scope.error("localhostProfile goes with type Localhost, and only with it", code: .invalidProfile)
            }
        }], editorConstraints: [
            "if": ["properties": ["type": ["const": "Localhost"]]],
            "then": ["required": ["localhostProfile"]],
            "else": ["not": ["required": ["localhostProfile"]]],
        ])
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

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        if properties["appArmorProfile"] != nil, context.kubeVersion < KubeVersion(minor: 30) {
            context.scope.error("appArmorProfile needs Kubernetes 1.30 or later; the target is \(context.kubeVersion)",
                                at: ["appArmorProfile"], code: .unsupportedVersion,
                                hint: "use the container.apparmor.security.beta.kubernetes.io annotation on older clusters")
            return
        }
        var values = properties.values
        guard RunAsRoot.reconcile(&values, properties, scope: context.scope) else { return }
        let securityContext = values.object ?? JSONObject()
        component.editPodSpec { pod in
            pod.json["securityContext"] = .object(securityContext)
        }
    }
}
