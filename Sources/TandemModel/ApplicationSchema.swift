import TandemJSON

/// The shape of an Application document. Component and trait `properties` are left open here:
/// their schema depends on the `type` beside them.
public enum ApplicationSchema {
    public static let apiVersion = "core.oam.dev/v1beta1"
    public static let kind = "Application"

    public static let document: Schema = .object("An OAM Application.", [
        .required("apiVersion", .oneOf([apiVersion], "The API version of the Application.")),
        .required("kind", .oneOf([kind], "The kind: always Application.")),
        .required("metadata", metadata),
        .required("spec", spec),
        .optional("status", .any("Set by the controller; ignored in input.")),
    ])

    static let metadata: Schema = .object("Name, namespace, labels and annotations of the Application.", [
        .required("name", .string("The Application's name (at most 63 characters: it is a label value too).", format: .dns1123Subdomain)),
        .optional("namespace", .string("The namespace of the Application and of every object it renders.", format: .dns1123Label)),
        .optional("labels", .map(of: .string("A label value.", format: .labelValue), "Labels, copied onto every rendered object.", keyFormat: .labelKey)),
        .optional("annotations", .map(of: .string(), "Annotations, copied onto every rendered object.", keyFormat: .labelKey)),
    ] + serverFields, checks: [{ metadata, scope in
        if let name = metadata["name"]?.string, name.utf8.count > 63 {
            scope.error("the name is \(name.utf8.count) characters long; an Application name may have at most 63",
                        at: ["name"], code: .nameTooLong,
                        hint: "it becomes the value of the app.oam.dev/name label, which Kubernetes limits to 63 characters")
        }
    }])

    /// Metadata the API server sets on the objects it stores, accepted so that an Application
    /// read back from a cluster (`kubectl get app -o yaml`) validates as it is.
    static let serverFields: [Property] = [
        "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
        "finalizers", "ownerReferences", "managedFields", "generateName", "selfLink",
    ].map { .optional($0, .any("Set by the API server.")) }

    static let spec: Schema = .object("The components, policies and workflow of the Application.", [
        .required("components", .array(of: component, "The parts of the application.", uniqueKey: "name", minItems: 1)),
        .optional("policies", .array(of: policy, "Policies (none are implemented yet).")),
        .optional("workflow", workflow),
    ])

    static let component: Schema = .object("A component: a workload of some type, with traits.", [
        .required("name", .string("The component's name, unique in the Application.", format: .dns1123Label)),
        .required("type", .string("The component type, such as worker.", format: .nonEmpty)),
        .optional("properties", .deferred("The parameters of the component type.")),
        .optional("traits", .array(of: trait, "Traits that add to or change the workload, applied in order.")),
        .optional("dependsOn", .array(of: .string(format: .dns1123Label), "Components to deploy before this one.")),
    ])

    static let trait: Schema = .object("A trait attached to a component.", [
        .required("type", .string("The trait type, such as sidecar.", format: .nonEmpty)),
        .optional("properties", .deferred("The parameters of the trait type.")),
    ])

    static let policy: Schema = .object("A policy.", [
        .required("name", .string(format: .nonEmpty)),
        .required("type", .string(format: .nonEmpty)),
        .optional("properties", .any()),
    ])

    static let workflowStep: Schema = .object("A workflow step.", [
        .required("name", .string(format: .nonEmpty)),
        .required("type", .string(format: .nonEmpty)),
        .optional("properties", .any()),
        .optional("dependsOn", .array(of: .string())),
    ])

    static let workflow: Schema = .object("The workflow (no step types are implemented yet).", [
        .optional("steps", .array(of: workflowStep)),
    ])
}
