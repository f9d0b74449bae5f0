import TandemModel

/// The parameters of a component's pods and main container, in groups that the component types
/// compose: each group is written once, and each type lists the groups it takes.
package enum ParameterGroups {
    /// Labels and annotations of the pods.
    package static let podMetadata: [Property] = [
        .optional("labels", PodTemplate.labels),
        .optional("annotations", PodTemplate.annotations),
    ]

    /// The image and how it is pulled.
    package static let image: [Property] = [
        .required("image", ContainerParameters.image),
        .optional("imagePullPolicy", ContainerParameters.imagePullPolicy),
        .optional("imagePullSecrets", ContainerParameters.imagePullSecrets),
    ]

    /// The command, its arguments (unless the type takes none) and the environment.
    package static func command(args: Bool = true) -> [Property] {
        [.optional("cmd", ContainerParameters.cmd)]
            + (args ? [.optional("args", ContainerParameters.args)] : [])
            + [.optional("env", ContainerParameters.env)]
    }

    /// CPU and memory: both the request and the limit, unless the type takes a separate `limit`.
    package static func resources(separateLimit: Bool = false) -> [Property] {
        if separateLimit {
            return [
                .optional("cpu", ResourceParameters.cpu.described("CPU requested (and limited, unless limit.cpu is set).")),
                .optional("memory", ResourceParameters.memory.described("Memory requested (and limited, unless limit.memory is set).")),
                .optional("limit", ResourceParameters.limit),
            ]
        }
        return [
            .optional("cpu", ResourceParameters.cpu.described("CPU requested and limited, in cores (0.5) or millicores (500m).")),
            .optional("memory", ResourceParameters.memory.described("Memory requested and limited (128Mi, 1Gi).")),
        ]
    }

    /// The volumes, and KubeVela's deprecated list form of them.
    package static let volumeMounts: [Property] = [
        .optional("volumeMounts", VolumeMountParameters.schema),
        .optional("volumes", DeprecatedParameters.volumes),
    ]

    /// KubeVela's `addRevisionLabel`: a label on the pods that changes with the component.
    package static let revisionLabel: [Property] = [
        .optional("addRevisionLabel", .boolean(
            "Label the pods app.oam.dev/revision with the component's revision (<component>-<hash of its properties and traits>), so that any change to the component rolls the pods.",
            default: false)),
    ]

    package static let probes: [Property] = [
        .optional("livenessProbe", ProbeParameters.schema(.liveness)),
        .optional("readinessProbe", ProbeParameters.schema(.readiness)),
    ]

    /// The checks every component type with a main container makes.
    package static let componentChecks: [Schema.Check] =
        ResourceParameters.checks + [DeprecatedParameters.check, PodTemplate.checkReservedLabels]

    package static let hostAliases: [Property] = [.optional("hostAliases", PodTemplate.hostAliases)]

    /// The ports of a type reached over the network, and how its Service is reached.
    package static func ports(containerPort: Bool = true, nodePort: Bool = true) -> [Property] {
        [.optional("port", DeprecatedParameters.port),
         .optional("ports", ServicePorts.schema(containerPort: containerPort, nodePort: nodePort)),
         .optional("exposeType", ServicePorts.exposeType)]
    }
}
