import TandemModel

/// Turns a parsed document into an `Application`, reporting every problem of its envelope.
public enum ApplicationDecoder {
    /// The Application in `document`, or `nil` when it is not one at all. An Application whose
    /// envelope has errors is still returned, as far as it can be read, so that its components
    /// are checked too and one run reports every problem.
    public static func decode(_ document: SourceDocument, log: DiagnosticLog) -> Application? {
        let scope = DiagnosticScope(log: log, file: document.file, document: document.root)
        guard isApplication(document.root, scope) else { return nil }
        let envelope = SchemaValidator.validate(document.root, against: ApplicationSchema.document, in: scope)
        let errorsBefore = log.errorCount
        guard checkSizes(document.root, scope) else { return nil }
        var application = makeApplication(document)
        rejectUnimplemented(document.root, scope)
        if envelope != nil { checkDependencies(application, scope) }
        application.isValid = envelope != nil && log.errorCount == errorsBefore
        return application
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
        if apiVersion == nil, kind == nil {
            scope.error("expected an Application, found a mapping without apiVersion or kind", code: "not-an-application",
                        hint: "an Application starts with apiVersion: \(ApplicationSchema.apiVersion) and kind: \(ApplicationSchema.kind)")
            return false
        }
        if let kind, let apiVersion, kind != ApplicationSchema.kind || !apiVersion.hasPrefix("core.oam.dev/") {
            scope.error(
                "this document is a \(kind) (\(apiVersion)), not an Application", at: ["kind"], code: "not-an-application",
                hint: "tandem reads \(ApplicationSchema.apiVersion) Application documents; render other objects with the k8s-objects component type")
            return false
        }
        return true
    }

    /// The most components in one Application, and traits on one component.
    public static let maxComponents = 1_000
    public static let maxTraits = 100

    /// Whether the application is small enough to check further.
    private static func checkSizes(_ root: YAMLNode, _ scope: DiagnosticScope) -> Bool {
        let components = root["spec"]?["components"]?.sequence ?? []
        if components.count > maxComponents {
            scope.error("the application has \(components.count) components, more than the limit of \(maxComponents)",
                        at: ["spec", "components"], code: "too-many-components", hint: "split it into several applications")
            return false
        }
        var small = true
        for (index, component) in components.enumerated() {
            let traits = component["traits"]?.sequence ?? []
            if traits.count > maxTraits {
                scope.error("the component has \(traits.count) traits, more than the limit of \(maxTraits)",
                            at: ["spec", "components", .index(index), "traits"], code: "too-many-traits")
                small = false
            }
        }
        return small
    }

    private static func rejectUnimplemented(_ root: YAMLNode, _ scope: DiagnosticScope) {
        for (index, policy) in (root["spec"]?["policies"]?.sequence ?? []).enumerated() {
            guard let type = policy["type"]?.scalar?.text else { continue }
            scope.error("unknown policy type '\(type)'", at: ["spec", "policies", .index(index), "type"],
                        code: "unknown-policy", hint: "tandem implements no policies yet; remove the policy to render the rest")
        }
        for (index, step) in (root["spec"]?["workflow"]?["steps"]?.sequence ?? []).enumerated() {
            guard let type = step["type"]?.scalar?.text else { continue }
            scope.error("unknown workflow step type '\(type)'",
                        at: ["spec", "workflow", "steps", .index(index), "type"], code: "unknown-workflow-step",
                        hint: "tandem implements no workflow steps yet; without a workflow, components deploy in dependsOn order")
        }
    }

    private static func checkDependencies(_ application: Application, _ scope: DiagnosticScope) {
        let names = application.components.map(\.name)
        var edges: [String: [String]] = [:]
        for component in application.components {
            for (index, dependency) in component.dependsOn.enumerated() {
                let path = component.path / "dependsOn" / index
                if dependency == component.name {
                    scope.error("component '\(component.name)' depends on itself", at: path, code: "invalid-dependency")
                } else if !names.contains(dependency) {
                    let suggestion = Suggestion.closest(to: dependency, among: names)
                    scope.error("no component is named '\(dependency)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                                at: path, code: "invalid-dependency")
                } else {
                    edges[component.name, default: []].append(dependency)
                }
            }
        }
        if let cycle = findCycle(names, edges), let first = cycle.first,
           let component = application.components.first(where: { $0.name == first }) {
            scope.error("dependsOn forms a cycle: \(cycle.joined(separator: " -> "))",
                        at: component.path / "dependsOn", code: "dependency-cycle")
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

    /// Reads the Application from the document's nodes, skipping what is malformed (the schema
    /// has reported it).
    private static func makeApplication(_ document: SourceDocument) -> Application {
        let root = document.root
        func text(_ node: YAMLNode?) -> String? {
            guard let scalar = node?.scalar, node?.isNull == false else { return nil }
            return scalar.text
        }
        func pairs(_ node: YAMLNode?) -> [(key: String, value: String)] {
            (node?.mapping ?? []).compactMap { pair in
                guard let key = text(pair.key), let value = text(pair.value) else { return nil }
                return (key, value)
            }
        }
        let metadata = root["metadata"]
        let components = (root["spec"]?["components"]?.sequence ?? []).enumerated().compactMap { index, node -> Application.Component? in
            guard let name = text(node["name"]), let type = text(node["type"]) else { return nil }
            let path: FieldPath = ["spec", "components", .index(index)]
            let traits = (node["traits"]?.sequence ?? []).enumerated().compactMap { traitIndex, trait -> Application.Trait? in
                guard let type = text(trait["type"]) else { return nil }
                return Application.Trait(type: type, properties: trait["properties"], path: path / "traits" / traitIndex)
            }
            return Application.Component(
                name: name, type: type, properties: node["properties"], traits: traits,
                dependsOn: (node["dependsOn"]?.sequence ?? []).compactMap(text), path: path)
        }
        return Application(
            name: text(metadata?["name"]) ?? "",
            namespace: text(metadata?["namespace"]),
            labels: pairs(metadata?["labels"]),
            annotations: pairs(metadata?["annotations"]),
            components: components,
            source: document,
            isValid: false)
    }
}
