import KubeModel
import TandemJSON
import TandemModel

/// The claims the `storage` and `pvc` traits create: the parameters they share, and the object.
package enum PersistentVolumeClaims {
    package static let accessModes: Schema = {
        var schema = Schema.array(of: .oneOf(["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"]), "Access modes.", minItems: 1)
        schema.defaultValue = ["ReadWriteOnce"]
        return schema
    }()

    package static let volumeMode = Schema.oneOf(["Filesystem", "Block"], "Mounted file system, or raw block device.", default: "Filesystem")

    package static let resources = Schema.object("The claim's size.", [
        .required("requests", .object("What the claim asks for.", [.required("storage", .quantity("Requested size, such as 2Gi."))])),
        .optional("limits", .object("The most it may grow to.", [.required("storage", .quantity("Size limit."))])),
    ])

    package static let dataSource = Schema.object("An object to fill the claim from.", [
        .required("name", .string("Its name.", format: .dns1123Subdomain)),
        .required("kind", .string("Its kind, such as VolumeSnapshot or PersistentVolumeClaim.", format: .nonEmpty)),
        .optional("apiGroup", .string("Its API group (empty for the core group).")),
    ])

    package static let selector = Schema.object("Bind only to PersistentVolumes with these labels.", [
        .optional("matchLabels", .map(of: .string(format: .labelValue), "Labels the volume must have.", keyFormat: .labelKey)),
        .optional("matchExpressions", .array(of: .object("A label requirement.", [
            .required("key", .string(format: .labelKey)),
            .required("operator", .oneOf(["In", "NotIn", "Exists", "DoesNotExist"])),
            .optional("values", .array(of: .string())),
        ]), "Label requirements.")),
    ])

    /// The claim `parameters` describe: 8Gi unless a size is given.
    package static func claim(_ parameters: JSONValue, named name: String, context: RenderContext) -> KubeObject {
        var object = context.object(.persistentVolumeClaim, name: name)
        var spec: JSONObject = ["accessModes": parameters.value("accessModes"), "volumeMode": parameters.value("volumeMode")]
        for field in ["volumeName", "storageClassName"] { if let value = parameters[field] { spec.append(field, value) } }
        var resources: JSONObject = ["requests": ["storage": parameters[path: ["resources", "requests", "storage"]] ?? parameters["storage"] ?? "8Gi"]]
        if let limit = parameters[path: ["resources", "limits", "storage"]] { resources.append("limits", ["storage": limit]) }
        spec.append("resources", .object(resources))
        for field in ["dataSourceRef", "dataSource", "selector"] { if let value = parameters[field] { spec.append(field, value) } }
        object.json["spec"] = .object(spec)
        return object
    }
}

extension PodSpec {
    /// Attaches a block device (`{name, devicePath}`) to the container named `name`.
    package mutating func add(device: JSONValue, toContainer name: String) {
        editContainer(named: name) { container in
            let devices = JSONValue.array((container["volumeDevices"]?.array ?? []) + [device])
            if container["volumeDevices"] != nil {
                container["volumeDevices"] = devices
            } else {
                container.insert("volumeDevices", devices, before: ["livenessProbe", "readinessProbe", "startupProbe", "lifecycle", "securityContext", "restartPolicy"])
            }
        }
    }
}
