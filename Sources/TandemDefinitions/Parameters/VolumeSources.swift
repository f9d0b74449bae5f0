import KubeModel
import TandemJSON

/// The pod volume sources Tandem declares, built one way wherever they come from (a component's
/// `volumeMounts`, the `storage` trait).
package enum VolumeSources {
    package static func persistentVolumeClaim(_ name: String, claimName: JSONValue) -> Volume {
        Volume(name: name, sourceKind: "persistentVolumeClaim", source: ["claimName": claimName])
    }

    package static func configMap(_ name: String, configMapName: JSONValue, defaultMode: JSONValue, items: JSONValue? = nil) -> Volume {
        var source: JSONObject = ["defaultMode": defaultMode, "name": configMapName]
        if let items { source.append("items", items) }
        return Volume(name: name, sourceKind: "configMap", source: .object(source))
    }

    package static func secret(_ name: String, secretName: JSONValue, defaultMode: JSONValue, items: JSONValue? = nil) -> Volume {
        var source: JSONObject = ["defaultMode": defaultMode, "secretName": secretName]
        if let items { source.append("items", items) }
        return Volume(name: name, sourceKind: "secret", source: .object(source))
    }

    package static func emptyDir(_ name: String, medium: JSONValue) -> Volume {
        Volume(name: name, sourceKind: "emptyDir", source: ["medium": medium])
    }

    package static func hostPath(_ name: String, path: JSONValue, type: JSONValue? = nil) -> Volume {
        var source: JSONObject = ["path": path]
        if let type { source.append("type", type) }
        return Volume(name: name, sourceKind: "hostPath", source: .object(source))
    }
}
