import TandemJSON

/// What a revision changed since the one before it, in a few words for `tandem revisions`:
/// components added, removed or changed by name, then policies, workflow, definitions, metadata.
public enum RevisionChanges {
    public static func summary(of revision: ApplicationRevision, previous: ApplicationRevision?) -> String {
        if let restores = revision.restores { return "restores v\(restores)" }
        guard let previous else { return revision.number == 1 ? "first revision" : "(the revision before it is no longer kept)" }
        let old = previous.content.application, new = revision.content.application
        var changes: [String] = []
        let oldComponents = named(old[path: ["spec", "components"]]), newComponents = named(new[path: ["spec", "components"]])
        for (name, component) in newComponents {
            if let before = oldComponents.first(where: { $0.name == name })?.value {
                if !same(before, component) { changes.append("component \(name) changed") }
            } else {
                changes.append("component \(name) added")
            }
        }
        for (name, _) in oldComponents where !newComponents.contains(where: { $0.name == name }) {
            changes.append("component \(name) removed")
        }
        if !same(old[path: ["spec", "policies"]], new[path: ["spec", "policies"]]) { changes.append("policies changed") }
        if !same(old[path: ["spec", "workflow"]], new[path: ["spec", "workflow"]]) { changes.append("workflow changed") }
        let oldDefinitions = previous.content.definitions, newDefinitions = revision.content.definitions
        let changedDefinitions = newDefinitions.filter { definition in
            !oldDefinitions.contains { same($0, definition) }
        }.compactMap { $0[path: ["metadata", "name"]]?.string }
        if !changedDefinitions.isEmpty { changes.append("definition " + changedDefinitions.joined(separator: ", ") + " changed") }
        if changes.isEmpty, !same(old["metadata"], new["metadata"]) { changes.append("labels or annotations changed") }
        return changes.isEmpty ? "no change in the spec" : changes.joined(separator: "; ")
    }

    private static func named(_ list: JSONValue?) -> [(name: String, value: JSONValue)] {
        (list?.array ?? []).map { ($0["name"]?.string ?? "", $0) }
    }

    private static func same(_ lhs: JSONValue?, _ rhs: JSONValue?) -> Bool {
        RevisionContent.canonical(lhs ?? .null) == RevisionContent.canonical(rhs ?? .null)
    }
}
