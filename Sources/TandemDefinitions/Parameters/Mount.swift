import KubeModel
import TandemJSON

/// A volume mount with every field Tandem writes: `VolumeMount`'s, and a hostPath's `readOnly`
/// and `mountPropagation`.
package struct Mount {
    package var name: String
    package var mountPath: String
    package var subPath: String?
    package var readOnly: Bool?
    package var mountPropagation: String?

    package init(name: String, mountPath: String, subPath: String? = nil, readOnly: Bool? = nil, mountPropagation: String? = nil) {
        self.name = name
        self.mountPath = mountPath
        self.subPath = subPath
        self.readOnly = readOnly
        self.mountPropagation = mountPropagation
    }

    package var json: JSONValue {
        var object: JSONObject = ["name": .string(name), "mountPath": .string(mountPath)]
        if let subPath { object.append("subPath", .string(subPath)) }
        if let readOnly { object.append("readOnly", .bool(readOnly)) }
        if let mountPropagation { object.append("mountPropagation", .string(mountPropagation)) }
        return .object(object)
    }
}

extension PodSpec {
    /// Adds mounts to the container named `name`, after those it has.
    package mutating func add(mounts: [Mount], toContainer name: String) {
        guard !mounts.isEmpty else { return }
        editContainer(named: name) { container in
            container.setContainerField("volumeMounts", .array((container["volumeMounts"]?.array ?? []) + mounts.map(\.json)))
        }
    }
}
