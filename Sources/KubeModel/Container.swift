import TandemJSON

/// A container of a pod spec, built from parameters and written out as JSON.
public struct Container: Sendable {
    public var name: String
    public var image: String
    public var imagePullPolicy: String?
    public var command: [String]?
    public var args: [String]?
    public var env: [JSONValue]?
    public var ports: [JSONValue]?
    public var resources = ResourceRequirements()
    public var volumeMounts: [VolumeMount] = []
    public var livenessProbe: JSONValue?
    public var readinessProbe: JSONValue?
    public var startupProbe: JSONValue?
    /// `Always` marks a native sidecar in `initContainers`.
    public var restartPolicy: String?

    public init(name: String, image: String) {
        self.name = name
        self.image = image
    }

    /// The order in which Tandem writes a container's fields, also where traits insert them.
    public static let fieldOrder = ["name", "image", "imagePullPolicy", "command", "args", "env", "ports", "resources",
                                    "volumeMounts", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle",
                                    "securityContext", "restartPolicy"]

    public var json: JSONValue {
        var object = JSONObject()
        object.append("name", .string(name))
        object.append("image", .string(image))
        if let imagePullPolicy { object.append("imagePullPolicy", .string(imagePullPolicy)) }
        if let command { object.append("command", .array(command.map(JSONValue.string))) }
        if let args { object.append("args", .array(args.map(JSONValue.string))) }
        if let env, !env.isEmpty { object.append("env", .array(env)) }
        if let ports, !ports.isEmpty { object.append("ports", .array(ports)) }
        if !resources.isEmpty { object.append("resources", resources.json) }
        if !volumeMounts.isEmpty { object.append("volumeMounts", .array(volumeMounts.map(\.json))) }
        if let livenessProbe { object.append("livenessProbe", livenessProbe) }
        if let readinessProbe { object.append("readinessProbe", readinessProbe) }
        if let startupProbe { object.append("startupProbe", startupProbe) }
        if let restartPolicy { object.append("restartPolicy", .string(restartPolicy)) }
        return .object(object)
    }
}

/// `resources.requests` and `resources.limits` of a container.
public struct ResourceRequirements: Sendable {
    public var requests = JSONObject()
    public var limits = JSONObject()

    public init() {}

    public var isEmpty: Bool { requests.isEmpty && limits.isEmpty }

    public var json: JSONValue {
        var object = JSONObject()
        if !limits.isEmpty { object.append("limits", .object(limits)) }
        if !requests.isEmpty { object.append("requests", .object(requests)) }
        return .object(object)
    }
}

public struct VolumeMount: Sendable {
    public var name: String
    public var mountPath: String
    public var subPath: String?

    public init(name: String, mountPath: String, subPath: String? = nil) {
        self.name = name
        self.mountPath = mountPath
        self.subPath = subPath
    }

    public var json: JSONValue {
        var object: JSONObject = JSONObject([.init(key: "name", value: .string(name)), .init(key: "mountPath", value: .string(mountPath))])
        if let subPath { object.append("subPath", .string(subPath)) }
        return .object(object)
    }
}

/// A pod volume: its name and one source (`emptyDir`, `configMap`, ...).
public struct Volume: Sendable, Equatable {
    public var name: String
    public var sourceKind: String
    public var source: JSONValue

    public init(name: String, sourceKind: String, source: JSONValue) {
        self.name = name
        self.sourceKind = sourceKind
        self.source = source
    }

    public static func emptyDir(_ name: String) -> Volume {
        Volume(name: name, sourceKind: "emptyDir", source: .object(JSONObject()))
    }

    public var json: JSONValue {
        .object(JSONObject([.init(key: "name", value: .string(name)), .init(key: sourceKind, value: source)]))
    }
}

extension JSONObject {
    /// Sets a field of a container object: in place when present, else where `Container.fieldOrder` puts it.
    public mutating func setContainerField(_ key: String, _ value: JSONValue?) {
        if self[key] != nil || value == nil {
            self[key] = value
        } else if let value {
            insert(key, value, following: Container.fieldOrder)
        }
    }
}
