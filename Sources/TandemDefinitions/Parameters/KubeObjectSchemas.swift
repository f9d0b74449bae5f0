import KubeModel
import TandemJSON
import TandemModel

/// Schemas of the kinds Tandem writes, for checking objects given whole (`k8s-objects`): the
/// fields Kubernetes would refuse at apply time for their type are reported now, with their
/// line; every other field is taken as it is.
package enum KubeObjectSchemas {
    package static func schema(for kind: GroupKind) -> Schema? {
        schemas[kind]
    }

    static let metadata = Schema.openObject("Object metadata.", [
        .optional("namespace", .string(format: .dns1123Label)),
        .optional("labels", .map(of: .string(format: .labelValue), keyFormat: .labelKey)),
        .optional("annotations", .map(of: .string(), keyFormat: .labelKey)),
    ])

    static func object(_ fields: [Property]) -> Schema {
        .openObject("", [.optional("metadata", metadata)] + fields)
    }

    static let container = Schema.openObject("A container.", [
        .required("name", .string(format: .dns1123Label)),
        .optional("image", .string()),
        .optional("command", .array(of: .string())),
        .optional("args", .array(of: .string())),
        .optional("env", .array(of: .openObject("", [.required("name", .string(format: .nonEmpty)), .optional("value", .string())]))),
        .optional("ports", .array(of: .openObject("", [
            .required("containerPort", .integer(range: 1...65535)),
            .optional("name", .string(format: .portName)),
            .optional("protocol", .oneOf(["TCP", "UDP", "SCTP"])),
        ]))),
    ])

    static let podTemplate = Schema.openObject("A pod template.", [
        .optional("metadata", metadata),
        .optional("spec", .openObject("", [
            .required("containers", .array(of: container, minItems: 1)),
            .optional("initContainers", .array(of: container)),
            .optional("restartPolicy", .oneOf(["Always", "OnFailure", "Never"])),
            .optional("serviceAccountName", .string(format: .dns1123Subdomain)),
            .optional("volumes", .array(of: .openObject("", [.required("name", .string(format: .dns1123Label))]))),
        ])),
    ])

    static let selector = Schema.openObject("", [.optional("matchLabels", .map(of: .string(format: .labelValue), keyFormat: .labelKey))])
    static let count = Schema.integer(range: 0...Int(Int32.max))

    static let jobSpec = Schema.openObject("", [
        .optional("parallelism", count), .optional("completions", count), .optional("backoffLimit", count),
        .required("template", podTemplate),
    ])

    static let schemas: [GroupKind: Schema] = [
        GroupVersionKind.configMap.groupKind: object([
            .optional("data", .map(of: .string("A value: text (quote numbers and booleans).", format: nil), keyFormat: .dataKey)),
            .optional("binaryData", .map(of: .string(), keyFormat: .dataKey)),
            .optional("immutable", .boolean()),
        ]),
        GroupVersionKind.secret.groupKind: object([
            .optional("data", .map(of: .string(format: .base64), keyFormat: .dataKey)),
            .optional("stringData", .map(of: .string(), keyFormat: .dataKey)),
            .optional("type", .string()),
            .optional("immutable", .boolean()),
        ]),
        GroupVersionKind.service.groupKind: object([
            .optional("spec", .openObject("", [
                .optional("type", .oneOf(["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"])),
                .optional("selector", .map(of: .string(format: .labelValue), keyFormat: .labelKey)),
                .optional("ports", .array(of: .openObject("", [
                    .required("port", .integer(range: 1...65535)),
                    .optional("targetPort", .port()),
                    .optional("nodePort", .integer(range: 1...65535)),
                    .optional("protocol", .oneOf(["TCP", "UDP", "SCTP"])),
                    .optional("name", .string(format: .portName)),
                ]))),
            ])),
        ]),
        GroupVersionKind.deployment.groupKind: object([
            .required("spec", .openObject("", [.optional("replicas", count), .required("selector", selector), .required("template", podTemplate)])),
        ]),
        GroupVersionKind.statefulSet.groupKind: object([
            .required("spec", .openObject("", [
                .optional("replicas", count), .required("selector", selector), .optional("serviceName", .string()),
                .required("template", podTemplate),
            ])),
        ]),
        GroupVersionKind.daemonSet.groupKind: object([
            .required("spec", .openObject("", [.required("selector", selector), .required("template", podTemplate)])),
        ]),
        GroupVersionKind.replicaSet.groupKind: object([
            .required("spec", .openObject("", [.optional("replicas", count), .required("selector", selector), .required("template", podTemplate)])),
        ]),
        GroupVersionKind.job.groupKind: object([.required("spec", jobSpec)]),
        GroupVersionKind.cronJob.groupKind: object([
            .required("spec", .openObject("", [
                .required("schedule", .string(format: .cronSchedule)),
                .required("jobTemplate", .openObject("", [.required("spec", jobSpec)])),
            ])),
        ]),
    ]
}
