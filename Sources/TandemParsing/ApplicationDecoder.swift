import TandemModel

/// Turns a parsed document into an `Application`, reporting every problem of its envelope.
public enum ApplicationDecoder {
    /// The Application in `document`, or `nil` when its envelope is invalid.
    public static func decode(_ document: SourceDocument, log: DiagnosticLog) -> Application? {
        let scope = DiagnosticScope(log: log, file: document.file, document: document.root)
        guard isApplication(document.root, scope) else { return nil }
        guard let envelope = SchemaValidator.validate(document.root, against: ApplicationSchema.document, in: scope) else {
            return nil
        }
        rejectUnimplemented(envelope, scope)
        checkDependencies(envelope, scope)
        return makeApplication(envelope, document)
    }

    /// Refuses, with one clear message, documents that are not Applications at all, rather than
    /// listing every property an Application would need.
    private static func isApplication(_ root: YAMLNode, _ scope: DiagnosticScope) -> Bool {
        guard root.mapping != nil else {
            scope.error("expected an Application (a mapping), found \(root.kindDescription)", code: "not-an-application")
            return false
        }
        let apiVersion = root["apiVersion"]?.scalar?.text
        let kind = root["kind"]?.scalar?.text
        if let kind, let apiVersion, kind != ApplicationSchema.kind || !apiVersion.hasPrefix("core.oam.dev/") {
            scope.error(
                "this document is a \(kind) (\(apiVersion)), not an Application", at: ["kind"], code: "not-an-application",
                hint: "tandem reads \(ApplicationSchema.apiVersion) Application documents; render other objects with the k8s-objects component type")
            return false
        }
        return true
    }

    private static func rejectUnimplemented(_ envelope: JSONValue, _ scope: DiagnosticScope) {
        for (index, policy) in (envelope[path: ["spec", "policies"]]?.array ?? []).enumerated() {
            scope.error("unknown policy type '\(policy["type"]?.string ?? "")'", at: ["spec", "policies", .index(index), "type"],
                        code: "unknown-policy", hint: "tandem implements no policies yet; remove the policy to render the rest")
        }
        for (index, step) in (envelope[path: ["spec", "workflow", "steps"]]?.array ?? []).enumerated() {
            scope.error("unknown workflow step type '\(step["type"]?.string ?? "")'",
                        at: ["spec", "workflow", "steps", .index(index), "type"], code: "unknown-workflow-step",
                        hint: "tandem implements no workflow steps yet; without a workflow, components deploy in dependsOn order")
        }
    }

    private static func checkDependencies(_ envelope: JSONValue, _ scope: DiagnosticScope) {
        let components = envelope[path: ["spec", "components"]]?.array ?? []
        let names = components.compactMap { $0["name"]?.string }
        var edges: [String: [String]] = [:]
        for (index, component) in components.enumerated() {
            let name = component["name"]?.string ?? ""
            for (dependencyIndex, dependency) in (component["dependsOn"]?.strings ?? []).enumerated() {
                let path: FieldPath = ["spec", "components", .index(index), "dependsOn", .index(dependencyIndex)]
                if dependency == name {
                    scope.error("component '\(name)' depends on itself", at: path, code: "invalid-dependency")
                } else if !names.contains(dependency) {
                    let suggestion = Suggestion.closest(to: dependency, among: names)
                    scope.error("no component is named '\(dependency)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                                at: path, code: "invalid-dependency")
                } else {
                    edges[name, default: []].append(dependency)
                }
            }
        }
        if let cycle = findCycle(names, edges), let first = cycle.first, let index = names.firstIndex(of: first) {
            scope.error("dependsOn forms a cycle: \(cycle.joined(separator: " -> "))",
                        at: ["spec", "components", .index(index), "dependsOn"], code: "dependency-cycle")
        }
    }

    private static func findCycle(_ names: [String], _ edges: [String: [String]]) -> [String]? {
        var state: [String: Bool] = [:]  // false: on the current path, true: done
        var stack: [String] = []
        func visit(_ name: String) -> [String]? {
            if state[name] == true { return nil }
            if state[name] == false {
                return Array(stack[stack.lastIndex(of: name)!...]) + [name]
            }
            state[name] = false
            stack.append(name)
            for next in edges[name] ?? [] {
                if let cycle = visit(next) { return cycle }
            }
            stack.removeLast()
            state[name] = true
            return nil
        }
        for name in names {
            if let cycle = visit(name) { return cycle }
        }
        return nil
    }

    private static func makeApplication(_ envelope: JSONValue, _ document: SourceDocument) -> Application {
        let root = document.root
        func pairs(_ value: JSONValue?) -> [(key: String, value: String)] {
            (value?.object ?? JSONObject()).map { ($0.key, $0.value.string ?? "") }
        }
        let components = (envelope[path: ["spec", "components"]]?.array ?? []).enumerated().map { index, component in
            let path: FieldPath = ["spec", "components", .index(index)]
            let node = root.node(at: path)
            let traits = (component["traits"]?.array ?? []).enumerated().map { traitIndex, trait in
                Application.Trait(
                    type: trait["type"]?.string ?? "",
                    properties: node?["traits"]?[traitIndex]?["properties"],
                    path: path / "traits" / traitIndex)
            }
            return Application.Component(
                name: component["name"]?.string ?? "",
                type: component["type"]?.string ?? "",
                properties: node?["properties"],
                traits: traits,
                dependsOn: component["dependsOn"]?.strings ?? [],
                path: path)
        }
        return Application(
            name: envelope[path: ["metadata", "name"]]?.string ?? "",
            namespace: envelope[path: ["metadata", "namespace"]]?.string,
            labels: pairs(envelope[path: ["metadata", "labels"]]),
            annotations: pairs(envelope[path: ["metadata", "annotations"]]),
            components: components,
            source: document)
    }
}
