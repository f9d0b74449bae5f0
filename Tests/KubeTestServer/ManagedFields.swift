import TandemJSON

/// One `metadata.managedFields` entry: a manager, how it wrote (Apply or Update), through
/// which version and subresource, and the fields it owns.
struct ManagedFieldsEntry: Sendable, Equatable {
    var manager: String
    var operation: String
    var apiVersion: String
    var time: String
    var subresource: String
    var fields: FieldSet

    var isApply: Bool { operation == "Apply" }

    /// Whether two entries are the same manager: appliers are one manager whatever version
    /// they apply through; updaters are one per version.
    func isSameManager(as other: ManagedFieldsEntry) -> Bool {
        manager == other.manager && operation == other.operation && subresource == other.subresource
            && (isApply || apiVersion == other.apiVersion)
    }

    /// The manager as conflict messages name it (the apiserver's `printManager`).
    var printed: String {
        var text = JSONWriter.compact(.string(manager))
        if !subresource.isEmpty { text += " with subresource " + JSONWriter.compact(.string(subresource)) }
        if !isApply { text += " using \(apiVersion)" }
        return text
    }

    /// The manager identifier the apiserver sorts conflicting managers by.
    var identifier: String {
        var object = JSONObject()
        object.append("manager", .string(manager))
        object.append("operation", .string(operation))
        if !isApply { object.append("apiVersion", .string(apiVersion)) }
        if !subresource.isEmpty { object.append("subresource", .string(subresource)) }
        return JSONWriter.compact(.object(object))
    }

    var json: JSONValue {
        var object = JSONObject()
        object.append("manager", .string(manager))
        object.append("operation", .string(operation))
        object.append("apiVersion", .string(apiVersion))
        object.append("time", .string(time))
        object.append("fieldsType", "FieldsV1")
        object.append("fieldsV1", fields.fieldsV1)
        if !subresource.isEmpty { object.append("subresource", .string(subresource)) }
        return .object(object)
    }

    init(manager: String, operation: String, apiVersion: String, time: String, subresource: String, fields: FieldSet) {
        self.manager = manager
        self.operation = operation
        self.apiVersion = apiVersion
        self.time = time
        self.subresource = subresource
        self.fields = fields
    }

    init?(json: JSONValue) {
        guard let manager = json["manager"]?.string, let operation = json["operation"]?.string else { return nil }
        self.manager = manager
        self.operation = operation
        apiVersion = json["apiVersion"]?.string ?? ""
        time = json["time"]?.string ?? ""
        subresource = json["subresource"]?.string ?? ""
        fields = FieldSet(fieldsV1: json["fieldsV1"] ?? .object([:]))
    }
}

/// Field ownership: records Update operations and performs server-side apply, keeping
/// `metadata.managedFields` as the real server does.
enum FieldManager {
    static func entries(of object: JSONValue?) -> [ManagedFieldsEntry] {
        (object?[path: ["metadata", "managedFields"]]?.array ?? []).compactMap(ManagedFieldsEntry.init(json:))
    }

    /// Writes the entries in the server's order (Apply before Update, then by time and
    /// manager), dropping those that own nothing.
    static func setEntries(_ entries: [ManagedFieldsEntry], on object: inout JSONValue) {
        let kept = entries.filter { !$0.fields.isEmpty }.sorted { lhs, rhs in
            if lhs.operation != rhs.operation { return lhs.operation < rhs.operation }
            if lhs.time != rhs.time { return lhs.time < rhs.time }
            if lhs.manager != rhs.manager { return lhs.manager < rhs.manager }
            if lhs.apiVersion != rhs.apiVersion { return lhs.apiVersion < rhs.apiVersion }
            return lhs.subresource < rhs.subresource
        }
        if kept.isEmpty {
            object[path: ["metadata", "managedFields"]] = nil
        } else {
            object[path: ["metadata", "managedFields"]] = .array(kept.map(\.json))
        }
    }

    private static let untrackedMetadata = ["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp",
                                            "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink"]

    /// The part of an object whose fields are tracked through a (sub)resource: identity and
    /// server-set metadata never are; a status subresource tracks only status, and the main
    /// resource of such a type (and its scale subresource) everything but status.
    static func tracked(_ object: JSONValue?, type: ResourceType, subresource: String) -> JSONValue? {
        guard var object else { return nil }
        object["apiVersion"] = nil
        object["kind"] = nil
        if var metadata = object["metadata"]?.object {
            for key in untrackedMetadata { metadata[key] = nil }
            object["metadata"] = metadata.isEmpty ? nil : .object(metadata)
        }
        if subresource == "status" {
            return .object(["status": object["status"] ?? .object([:])])
        }
        if type.hasStatus { object["status"] = nil }
        return object
    }

    /// Records a non-apply write by `manager`: it takes the fields it changed (from whoever
    /// owned them) and loses those it removed.
    static func recordUpdate(old: JSONValue?, new: inout JSONValue, manager: String, type: ResourceType,
                             subresource: String, time: String) {
        var entries = entries(of: old)
        // A write that sets managedFields itself replaces them (how clients reset ownership).
        if let given = new[path: ["metadata", "managedFields"]], given != old?[path: ["metadata", "managedFields"]] {
            entries = (given.array ?? []).compactMap(ManagedFieldsEntry.init(json:))
        }
        let (changed, removed) = FieldWalk.compare(tracked(old, type: type, subresource: subresource),
                                                   tracked(new, type: type, subresource: subresource), names: [])
        guard changed.hasMembers || removed.hasMembers || old == nil else {
            setEntries(entries, on: &new)
            return
        }
        let me = ManagedFieldsEntry(manager: manager, operation: "Update", apiVersion: type.apiVersion, time: time,
                                    subresource: subresource, fields: FieldSet())
        var mine = FieldSet()
        for index in entries.indices.reversed() {
            if entries[index].isSameManager(as: me) {
                mine = entries[index].fields
                entries.remove(at: index)
            } else {
                entries[index].fields = entries[index].fields.subtracting(changed).subtracting(removed)
            }
        }
        var entry = me
        entry.fields = mine.subtracting(removed).union(changed)
        entries.append(entry)
        setEntries(entries, on: &new)
    }

    /// Server-side apply of `config` by `manager` onto `live` (nil: the object is new). Returns the
    /// merged object with its managedFields, or throws the 409 of the conflicts found.
    static func apply(live: JSONValue?, config: JSONValue, manager: String, force: Bool, type: ResourceType,
                      subresource: String, time: String) throws(APIError) -> JSONValue {
        let configTracked = tracked(config, type: type, subresource: subresource) ?? .object([:])
        let configSet = FieldWalk.fieldSet(configTracked, names: [], markMaps: false)
        var entries = entries(of: live)
        let me = ManagedFieldsEntry(manager: manager, operation: "Apply", apiVersion: type.apiVersion, time: time,
                                    subresource: subresource, fields: configSet)
        var lastSet = FieldSet()
        if let index = entries.firstIndex(where: { $0.isSameManager(as: me) }) {
            lastSet = entries[index].fields
            entries.remove(at: index)
        }
        let base = live ?? .object([:])
        var merged = FieldWalk.merge(base, configTracked, names: [])
        // Fields this manager applied before and no longer does go, unless someone else owns them.
        let othersOwn = entries.reduce(FieldSet()) { $0.union($1.fields) }
        let removable = FieldWalk.prunable(lastSet.subtracting(configSet), keeping: othersOwn.union(configSet))
        if removable.hasMembers {
            merged = FieldWalk.removing(removable, from: merged, names: [])
        }
        let (changed, _) = FieldWalk.compare(tracked(live, type: type, subresource: subresource),
                                             tracked(merged, type: type, subresource: subresource), names: [])
        var conflicts: [(entry: ManagedFieldsEntry, paths: [[String]])] = []
        for index in entries.indices {
            let overlap = entries[index].fields.intersection(changed)
            guard overlap.hasMembers else { continue }
            conflicts.append((entries[index], overlap.paths()))
            if force { entries[index].fields = entries[index].fields.subtracting(overlap) }
        }
        if !conflicts.isEmpty, !force { throw conflictError(conflicts) }
        entries.append(me)
        setEntries(entries, on: &merged)
        return merged
    }

    /// The 409 of an apply that would change fields others own, worded as the apiserver does.
    static func conflictError(_ conflicts: [(entry: ManagedFieldsEntry, paths: [[String]])]) -> APIError {
        let sorted = conflicts.sorted { $0.entry.identifier < $1.entry.identifier }
        let count = sorted.reduce(0) { $0 + $1.paths.count }
        var causes: [JSONValue] = []
        for conflict in sorted {
            for path in conflict.paths {
                causes.append(["reason": "FieldManagerConflict", "message": .string("conflict with \(conflict.entry.printed)"),
                               "field": .string(FieldSet.describe(path))])
            }
        }
        let message: String
        if count == 1, let only = sorted.first, let path = only.paths.first {
            message = "Apply failed with 1 conflict: conflict with \(only.entry.printed): \(FieldSet.describe(path))"
        } else {
            var lines: [String] = []
            for conflict in sorted {
                lines.append("conflicts with \(conflict.entry.printed):")
                lines.append(contentsOf: conflict.paths.map { "- " + FieldSet.describe($0) })
            }
            message = "Apply failed with \(count) conflicts: " + lines.joined(separator: "\n")
        }
        return APIError(code: 409, reason: "Conflict", message: message, details: ["causes": .array(causes)])
    }
}
