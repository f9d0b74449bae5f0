import Foundation
import TandemJSON

/// Server-side printing (`Accept: ...;as=Table`): the columns `kubectl get` shows for the
/// common kinds, NAME and AGE for the rest.
enum Tables {
    struct Column {
        var name: String
        var type = "string"
        var format = ""
        var priority = 0
        var cell: (JSONValue) -> JSONValue
    }

    static func table(for value: JSONValue, type: ResourceType, includeObject: String?) -> JSONValue {
        let items = value["items"]?.array ?? [value]
        let columns = self.columns(type)
        let rows: [JSONValue] = items.map { item in
            var row = JSONObject()
            row.append("cells", .array(columns.map { $0.cell(item) }))
            if includeObject == "Object" {
                var object = item
                object["kind"] = .string(type.kind)
                object["apiVersion"] = .string(type.apiVersion)
                row.append("object", object)
            } else if includeObject != "None" {
                row.append("object", ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": item["metadata"] ?? [:]])
            }
            return .object(row)
        }
        var metadata = JSONObject()
        if let version = value[path: ["metadata", "resourceVersion"]] { metadata.append("resourceVersion", version) }
        if let token = value[path: ["metadata", "continue"]] { metadata.append("continue", token) }
        return ["kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": .object(metadata),
                "columnDefinitions": .array(columns.map { column in
                    ["name": .string(column.name), "type": .string(column.type), "format": .string(column.format),
                     "description": .string(column.name), "priority": .int(column.priority)]
                }),
                "rows": .array(rows)]
    }

    private static func string(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text)?: return text
        case .int(let number)?: return String(number)
        case .bool(let flag)?: return String(flag)
        default: return ""
        }
    }

    private static func int(_ value: JSONValue?) -> Int { value?.int ?? 0 }

    /// kubectl's human durations: `45s`, `3m12s`, `25m`, `5h3m`, `20h`, `3d`.
    static func age(_ timestamp: String?) -> String {
        guard let timestamp, let date = ISO8601DateFormatter().date(from: timestamp) else { return "<unknown>" }
        let seconds = max(0, Int(Date().timeIntervalSince(date)))
        if seconds < 120 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 { return seconds % 60 == 0 ? "\(minutes)m" : "\(minutes)m\(seconds % 60)s" }
        if minutes < 180 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 8 { return minutes % 60 == 0 ? "\(hours)h" : "\(hours)h\(minutes % 60)m" }
        if hours < 48 { return "\(hours)h" }
        return "\(hours / 24)d"
    }

    private static var name: Column { Column(name: "Name", format: "name") { .string(string($0[path: ["metadata", "name"]])) } }
    private static var ageColumn: Column { Column(name: "Age") { .string(age($0[path: ["metadata", "creationTimestamp"]]?.string)) } }

    private static func column(_ name: String, priority: Int = 0, _ cell: @escaping (JSONValue) -> String) -> Column {
        Column(name: name, priority: priority) { .string(cell($0)) }
    }

    private static func intColumn(_ name: String, _ cell: @escaping (JSONValue) -> Int) -> Column {
        Column(name: name, type: "integer") { .int(cell($0)) }
    }

    static func columns(_ type: ResourceType) -> [Column] {
        switch (type.group, type.kind) {
        case ("", "Pod"):
            return [name,
                    column("Ready") { pod in
                        let statuses = pod[path: ["status", "containerStatuses"]]?.array ?? []
                        let total = pod[path: ["spec", "containers"]]?.array?.count ?? statuses.count
                        return "\(statuses.filter { $0["ready"]?.bool == true }.count)/\(total)"
                    },
                    column("Status", PodStatusText.reason),
                    column("Restarts") { pod in
                        let statuses = pod[path: ["status", "containerStatuses"]]?.array ?? []
                        return String(statuses.reduce(0) { $0 + int($1["restartCount"]) })
                    },
                    ageColumn,
                    column("IP", priority: 1) { string($0[path: ["status", "podIP"]]).isEmpty ? "<none>" : string($0[path: ["status", "podIP"]]) },
                    column("Node", priority: 1) { string($0[path: ["spec", "nodeName"]]).isEmpty ? "<none>" : string($0[path: ["spec", "nodeName"]]) }]
        case ("apps", "Deployment"):
            return [name,
                    column("Ready") { "\(int($0[path: ["status", "readyReplicas"]]))/\(int($0[path: ["spec", "replicas"]]))" },
                    intColumn("Up-to-date") { int($0[path: ["status", "updatedReplicas"]]) },
                    intColumn("Available") { int($0[path: ["status", "availableReplicas"]]) },
                    ageColumn]
        case ("apps", "ReplicaSet"):
            return [name, intColumn("Desired") { int($0[path: ["spec", "replicas"]]) },
                    intColumn("Current") { int($0[path: ["status", "replicas"]]) },
                    intColumn("Ready") { int($0[path: ["status", "readyReplicas"]]) }, ageColumn]
        case ("apps", "StatefulSet"):
            return [name, column("Ready") { "\(int($0[path: ["status", "readyReplicas"]]))/\(int($0[path: ["spec", "replicas"]]))" }, ageColumn]
        case ("apps", "DaemonSet"):
            return [name, intColumn("Desired") { int($0[path: ["status", "desiredNumberScheduled"]]) },
                    intColumn("Current") { int($0[path: ["status", "currentNumberScheduled"]]) },
                    intColumn("Ready") { int($0[path: ["status", "numberReady"]]) },
                    intColumn("Up-to-date") { int($0[path: ["status", "updatedNumberScheduled"]]) },
                    intColumn("Available") { int($0[path: ["status", "numberAvailable"]]) },
                    column("Node Selector") { ds in
                        let selector = ds[path: ["spec", "template", "spec", "nodeSelector"]]?.object ?? [:]
                        return selector.isEmpty ? "<none>" : selector.map { "\($0.key)=\(string($0.value))" }.joined(separator: ",")
                    }, ageColumn]
        case ("batch", "Job"):
            return [name,
                    column("Status") { job in
                        let conditions = job[path: ["status", "conditions"]]?.array ?? []
                        if conditions.contains(where: { $0["type"] == "Complete" && $0["status"] == "True" }) { return "Complete" }
                        if conditions.contains(where: { $0["type"] == "Failed" && $0["status"] == "True" }) { return "Failed" }
                        return "Running"
                    },
                    column("Completions") { "\(int($0[path: ["status", "succeeded"]]))/\(int($0[path: ["spec", "completions"]]))" },
                    column("Duration") { job in
                        guard let start = job[path: ["status", "startTime"]]?.string else { return "" }
                        return age(start)
                    }, ageColumn]
        case ("", "Service"):
            return [name, column("Type") { string($0[path: ["spec", "type"]]) },
                    column("Cluster-IP") { string($0[path: ["spec", "clusterIP"]]) },
                    column("External-IP") { service in
                        let ingress = service[path: ["status", "loadBalancer", "ingress"]]?.array ?? []
                        let addresses = ingress.compactMap { $0["ip"]?.string ?? $0["hostname"]?.string }
                        if !addresses.isEmpty { return addresses.joined(separator: ",") }
                        return service[path: ["spec", "type"]] == "LoadBalancer" ? "<pending>" : "<none>"
                    },
                    column("Port(s)") { service in
                        let ports = service[path: ["spec", "ports"]]?.array ?? []
                        if ports.isEmpty { return "<none>" }
                        return ports.map { port in
                            let node = port["nodePort"].map { ":" + string($0) } ?? ""
                            return string(port["port"]) + node + "/" + string(port["protocol"] ?? "TCP")
                        }.joined(separator: ",")
                    }, ageColumn]
        case ("", "ConfigMap"):
            return [name, intColumn("Data") { ($0["data"]?.object?.count ?? 0) + ($0["binaryData"]?.object?.count ?? 0) }, ageColumn]
        case ("", "Secret"):
            return [name, column("Type") { string($0["type"]) }, intColumn("Data") { $0["data"]?.object?.count ?? 0 }, ageColumn]
        case ("", "Namespace"):
            return [name, column("Status") { string($0[path: ["status", "phase"]]) }, ageColumn]
        case ("", "PersistentVolumeClaim"):
            return [name, column("Status") { string($0[path: ["status", "phase"]]) },
                    column("Volume") { string($0[path: ["spec", "volumeName"]]) },
                    column("Capacity") { string($0[path: ["status", "capacity", "storage"]]) },
                    column("Access Modes") { pvc in
                        (pvc[path: ["status", "accessModes"]]?.strings ?? []).map {
                            ["ReadWriteOnce": "RWO", "ReadOnlyMany": "ROX", "ReadWriteMany": "RWX", "ReadWriteOncePod": "RWOP"][$0] ?? $0
                        }.joined(separator: ",")
                    },
                    column("StorageClass") { string($0[path: ["spec", "storageClassName"]]) }, ageColumn]
        case ("", "Event"):
            return [column("Last Seen") { age($0["lastTimestamp"]?.string ?? $0[path: ["metadata", "creationTimestamp"]]?.string) },
                    column("Type") { string($0["type"]) }, column("Reason") { string($0["reason"]) },
                    column("Object") { "\(string($0[path: ["involvedObject", "kind"]]).lowercased())/\(string($0[path: ["involvedObject", "name"]]))" },
                    column("Message") { string($0["message"]) }]
        default:
            guard !type.printerColumns.isEmpty else { return [name, ageColumn] }
            // A CRD's own columns, after NAME, as the apiserver prints custom resources.
            return [name] + type.printerColumns.map { printer in
                if printer.type == "date" {
                    return Column(name: printer.name, type: "date") { .string(age(JSONPathColumn.values($0, printer.jsonPath).first)) }
                }
                return Column(name: printer.name, type: printer.type) {
                    .string(JSONPathColumn.values($0, printer.jsonPath).joined(separator: ","))
                }
            }
        }
    }
}

/// The simple JSONPath of printer columns (`.status.phase`, `.spec.items[*].name`): the values
/// found, as text.
enum JSONPathColumn {
    static func values(_ object: JSONValue, _ path: String) -> [String] {
        var current: [JSONValue] = [object]
        for part in keys(path) {
            var key = part
            let each = key.hasSuffix("[*]")
            if each { key.removeLast(3) }
            current = current.compactMap { $0[key] }
            if each { current = current.flatMap { $0.array ?? [] } }
        }
        return current.map { value in
            switch value {
            case .string(let text): return text
            case .int(let number): return String(number)
            case .bool(let flag): return String(flag)
            case .double(let number): return String(number)
            default: return JSONWriter.compact(value)
            }
        }
    }
}

extension JSONPathColumn {
    /// The keys of a path split at its dots; `\.` is a dot within a key
    /// (`.metadata.labels.app\.oam\.dev/name`), as in Kubernetes' JSONPath.
    static func keys(_ path: String) -> [String] {
        var keys: [String] = []
        var key = ""
        var escaped = false
        for character in path {
            if escaped {
                key.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "." {
                if !key.isEmpty { keys.append(key) }
                key = ""
            } else {
                key.append(character)
            }
        }
        if !key.isEmpty { keys.append(key) }
        return keys
    }
}

/// The STATUS column of `kubectl get pods`, computed as kubectl's printer does.
enum PodStatusText {
    static func reason(_ pod: JSONValue) -> String {
        var reason = pod[path: ["status", "reason"]]?.string ?? pod[path: ["status", "phase"]]?.string ?? "Unknown"
        let initStatuses = pod[path: ["status", "initContainerStatuses"]]?.array ?? []
        let sidecars = Set((pod[path: ["spec", "initContainers"]]?.array ?? []).filter { $0["restartPolicy"] == "Always" }
            .compactMap { $0["name"]?.string })
        var initializing = false
        for (index, status) in initStatuses.enumerated() {
            if let terminated = status[path: ["state", "terminated"]], terminated["exitCode"]?.int == 0 { continue }
            if sidecars.contains(status["name"]?.string ?? ""), status["started"]?.bool == true { continue }
            if let terminated = status[path: ["state", "terminated"]] {
                reason = (terminated["reason"]?.string).map { "Init:" + $0 } ?? "Init:ExitCode:\(terminated["exitCode"]?.int ?? 0)"
            } else if let waiting = status[path: ["state", "waiting", "reason"]]?.string, waiting != "PodInitializing" {
                reason = "Init:" + waiting
            } else {
                reason = "Init:\(index)/\(initStatuses.count)"
            }
            initializing = true
            break
        }
        if !initializing {
            var hasRunning = false
            for status in (pod[path: ["status", "containerStatuses"]]?.array ?? []).reversed() {
                if let waiting = status[path: ["state", "waiting", "reason"]]?.string, !waiting.isEmpty {
                    reason = waiting
                } else if let terminated = status[path: ["state", "terminated"]] {
                    reason = terminated["reason"]?.string ?? "ExitCode:\(terminated["exitCode"]?.int ?? 0)"
                } else if status["ready"]?.bool == true, status[path: ["state", "running"]] != nil {
                    hasRunning = true
                }
            }
            if reason == "Completed", hasRunning { reason = "Running" }
        }
        if pod[path: ["metadata", "deletionTimestamp"]] != nil { reason = "Terminating" }
        return reason
    }
}
