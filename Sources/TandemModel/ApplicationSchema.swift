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
        .optional("policies", .array(of: policy, "Policies: where and how the components are delivered (topology, override) and how the deploy lifecycle treats their objects.", uniqueKey: "name")),
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
        .required("name", .string("The policy's name, unique in the Application; deploy steps refer to it.", format: .nonEmpty)),
        .required("type", .string("The policy type, such as topology or override.", format: .nonEmpty)),
        .optional("properties", .deferred("The parameters of the policy type.")),
    ])

    /// A step, and a step-group's sub-steps (which take no sub-steps of their own).
    static func workflowStep(subSteps: Bool) -> Schema {
        var properties: [Property] = [
            .required("name", .string("The step's name, unique in the workflow.", format: .nonEmpty)),
            .required("type", .string("The step type, such as deploy or suspend.", format: .nonEmpty)),
            .optional("properties", .deferred("The parameters of the step type.")),
            .optional("dependsOn", .array(of: .string(format: .nonEmpty), "Steps that must finish before this one (in DAG mode).")),
            .optional("if", .string("A condition on earlier steps, such as always or status.a.phase == \"succeeded\".")),
            .optional("timeout", .string("How long the step may run, such as 10m.", format: .nonEmpty)),
            .optional("inputs", .array(of: .object("A value the step reads from an earlier step's output.", [
                .required("from", .string(format: .nonEmpty)), .optional("parameterKey", .string(format: .nonEmpty)),
            ]), "Values read from earlier steps' outputs.")),
            .optional("outputs", .array(of: .object("A value the step exports for later steps.", [
                .required("name", .string(format: .nonEmpty)), .required("valueFrom", .string(format: .nonEmpty)),
            ]), "Values exported for later steps.")),
            .optional("meta", .object("Metadata of the step.", [.optional("alias", .string("A display name."))])),
        ]
        if subSteps {
            properties.append(.optional("subSteps", .array(of: workflowStep(subSteps: false), "The steps of a step-group.", uniqueKey: "name")))
        }
        return .object("A workflow step.", properties)
    }

    static let workflow: Schema = .object("The workflow: the steps that deliver the application, in order.", [
        .optional("steps", .array(of: workflowStep(subSteps: true), "The steps.", uniqueKey: "name")),
        .optional("mode", .object("How steps run: one after another, or as a graph of dependsOn.", [
            .optional("steps", .oneOf(["StepByStep", "DAG"], "Mode of the steps.")),
            .optional("subSteps", .oneOf(["StepByStep", "DAG"], "Mode of a step-group's sub-steps.")),
        ])),
        .optional("ref", .string("A WorkflowTemplate to use instead of steps (read from the cluster).")),
    ])
}
