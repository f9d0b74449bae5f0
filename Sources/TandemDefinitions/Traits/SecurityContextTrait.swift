import KubeModel
import TandemJSON
import TandemModel

/// `securitycontext`: the security settings of one container.
public struct SecurityContextTrait: TraitDefinition {
    public let name = "securitycontext"
    public let description = "Sets the security context of a container: capabilities, privileges, user and group."
    public let appliesTo = TraitTarget.podTemplate

    public init() {}

    static let patches: ContainerPatches = {
        var schema = Schema.object("Parameters of the securitycontext trait.", [
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
        schema.misplacedKeys = [
            "capabilities": "Kubernetes' capabilities.add and capabilities.drop are written addCapabilities and dropCapabilities here",
        ]
        return ContainerPatches(schema, listDescription: "The security contexts of several containers: one entry per container, each with its containerName.")
    }()

    public let parameters = SecurityContextTrait.patches.schema

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

    public func apply(_ properties: Parameters, to component: inout ComponentDraft, context: RenderContext) {
        Self.patches.forEach(properties, context: context) { properties, context in
            setSecurityContext(properties, &component, context)
        }
    }

    private func setSecurityContext(_ properties: Parameters, _ component: inout ComponentDraft, _ context: RenderContext) {
        var values = properties.values
        // The safe defaults give way to what the user asks for, instead of making an invalid pod.
        let privileged = properties.flag("privileged") || properties.texts("addCapabilities").contains("SYS_ADMIN")
        if privileged {
            if !properties.isGiven("allowPrivilegeEscalation") {
                values["allowPrivilegeEscalation"] = true
            } else if !properties.flag("allowPrivilegeEscalation") {
                context.scope.error("a privileged container (or one with SYS_ADMIN) cannot set allowPrivilegeEscalation: false",
                                    at: ["allowPrivilegeEscalation"], code: .conflictingProperties, hint: "remove one of them")
                return
            }
        }
        guard RunAsRoot.reconcile(&values, properties, scope: context.scope) else { return }
        var securityContext = JSONObject()
        var capabilities = JSONObject()
        if let add = values["addCapabilities"] { capabilities.append("add", add) }
        if let drop = values["dropCapabilities"] { capabilities.append("drop", drop) }
        if !capabilities.isEmpty { securityContext.append("capabilities", .object(capabilities)) }
        for field in ["allowPrivilegeEscalation", "privileged", "readOnlyRootFilesystem", "runAsNonRoot", "runAsUser", "runAsGroup"] {
            if let value = values[field] { securityContext.append(field, value) }
        }
        ContainerTarget.edit(properties, &component, context) { container in
            container.setContainerField("securityContext", .object(securityContext))
        }
    }
}
