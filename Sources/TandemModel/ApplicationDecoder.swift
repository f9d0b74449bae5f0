import TandemJSON

/// Reads an Application's envelope from a JSON document, reporting every problem with it.
public enum ApplicationDecoder {
    /// The envelope of the Application in `document`, or nil when the document is not an
    /// Application at all. An envelope with errors is still returned, as far as it can be read,
    /// so that its components are checked too.
    public static func decode(
        _ document: JSONValue, source: SourceMap?, log: DiagnosticLog, limits: InputLimits = .default
    ) -> ApplicationEnvelope? {
        let scope = DiagnosticScope(log: log, source: source)
        guard isApplication(document, scope) else { return nil }
        let errorsBefore = log.errorCount
        let conforms = SchemaValidator.conforms(document, to: ApplicationSchema.document, in: scope, limits: limits)
        guard checkSizes(document, scope, limits) else { return nil }
        var application = read(document, source: source)
        if conforms { checkDependencies(application, scope) }
        application.isValid = conforms && log.errorCount == errorsBefore
        return application
    }

    /// Refuses, with one clear message, documents that are not Applications at all, rather than
    /// listing every property an Application would need.
    private static func isApplication(_ root: JSONValue, _ scope: DiagnosticScope) -> Bool {
        guard root.object != nil else {
            let found: String
            switch root {
            case .array: found = "a list"
            case .null: found = "null"
            case .bool: found = "a boolean"
            case .int: found = "an integer"
            case .double: found = "a number"
            default: found = "a string"
            }
            scope.error("expected an Application (a mapping), found \(found)", code: .notAnApplication)
            return false
        }
        let apiVersion = scalarText(root["apiVersion"])
        let kind = scalarText(root["kind"])
        if apiVersion == nil, kind == nil {
            scope.error("expected an Application, found a mapping without apiVersion or kind", code: .notAnApplication,
                        hint: "an Application starts with apiVersion: \(ApplicationSchema.apiVersion) and kind: \(ApplicationSchema.kind)")
            return false
        }
        if let kind, let apiVersion, kind != ApplicationSchema.kind || !apiVersion.hasPrefix("core.oam.dev/") {
            scope.error(
                "this document is a \(kind) (\(apiVersion)), not an Application", at: ["kind"], code: .notAnApplication,
                hint: "tandem reads \(ApplicationSchema.apiVersion) Application documents; render other objects with the k8s-objects component type")
            return false
        }
        return true
    }

    /// A scalar as text, whatever its type (a kind written as a number is still named); nil
    /// when there is none, or a list or mapping.
    private static func scalarText(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: return text
        case .int(let number)?: return String(number)
        case .bool(let flag)?: return flag ? "true" : "false"
        case .double(let number)?: return "\(number)"
        case .null?: return ""
        default: return nil
        }
    }

    /// Whether the application is small enough to check further.
    private static func checkSizes(_ root: JSONValue, _ scope: DiagnosticScope, _ limits: InputLimits) -> Bool {
        let components = root[path: ["spec", "components"]]?.array ?? []
        if components.count > limits.maxComponents {
            scope.error("the application has \(components.count) components, more than the limit of \(limits.maxComponents)",
                        at: ["spec", "components"], code: .tooManyComponents, hint: "split it into several applications")
            return false
        }
        var small = true
        for (index, component) in components.enumerated() {
            let traits = component["traits"]?.array ?? []
            if traits.count > limits.maxTraits {
                scope.error("the component has \(traits.count) traits, more than the limit of \(limits.maxTraits)",
                            at: ["spec", "components", .index(index), "traits"], code: .tooManyTraits)
                small = false
            }
        }
        return small
    }

    private static func checkDependencies(_ application: ApplicationEnvelope, _ scope: DiagnosticScope) {
        let names = application.components.map(\.name)
        var edges: [String: [String]] = [:]
        for component in application.components {
            for (index, dependency) in component.dependsOn.enumerated() {
                let path = component.path / "dependsOn" / index
                if dependency == component.name {
                    scope.error("component '\(component.name)' depends on itself", at: path, code: .invalidDependency)
                } else if !names.contains(dependency) {
                    let suggestion = Suggestion.closest(to: dependency, among: names)
                    scope.error("no component is named '\(dependency)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""),
                                at: path, code: .invalidDependency)
                } else {
                    edges[component.name, default: []].append(dependency)
                }
            }
        }
        if let cycle = DependencyOrder.cycle(names, edges), let first = cycle.first,
           let component = application.components.first(where: { $0.name == first }) {
            scope.error("dependsOn forms a cycle: \(cycle.joined(separator: " -> "))",
                        at: component.path / "dependsOn", code: .dependencyCycle)
        }
    }

    /// Reads the envelope, skipping what is malformed (the schema has reported it).
    private static func read(_ root: JSONValue, source: SourceMap?) -> ApplicationEnvelope {
        func text(_ value: JSONValue?) -> String? { value?.string }
        func pairs(_ value: JSONValue?) -> [(key: String, value: String)] {
            (value?.object ?? JSONObject()).compactMap { member in member.value.string.map { (member.key, $0) } }
        }
        let metadata = root["metadata"]
        let components = (root[path: ["spec", "components"]]?.array ?? []).enumerated().compactMap {
            index, node -> ApplicationEnvelope.Component? in
            guard let name = text(node["name"]), let type = text(node["type"]) else { return nil }
            let traits = (node["traits"]?.array ?? []).enumerated().compactMap { traitIndex, trait -> ApplicationEnvelope.Trait? in
                guard let type = text(trait["type"]) else { return nil }
                return ApplicationEnvelope.Trait(type: type, properties: trait["properties"], index: traitIndex, componentIndex: index)
            }
            return ApplicationEnvelope.Component(
                name: name, type: type, properties: node["properties"], traits: traits,
                dependsOn: (node["dependsOn"]?.array ?? []).compactMap(\.string), index: index)
        }
        let policies = (root[path: ["spec", "policies"]]?.array ?? []).enumerated().compactMap { index, policy -> Application.Policy? in
            guard let type = text(policy["type"]) else { return nil }
            return Application.Policy(name: text(policy["name"]) ?? "", type: type, properties: policy["properties"] ?? .null, index: index)
        }
        func steps(_ list: JSONValue?, at path: FieldPath) -> [Application.WorkflowStep] {
            (list?.array ?? []).enumerated().compactMap { index, step -> Application.WorkflowStep? in
                guard let type = text(step["type"]) else { return nil }
                return Application.WorkflowStep(
                    name: text(step["name"]) ?? "", type: type, properties: step["properties"] ?? .null,
                    dependsOn: step["dependsOn"]?.strings ?? [], index: index, path: path / index,
                    subSteps: steps(step["subSteps"], at: path / index / "subSteps"),
                    condition: text(step["if"]), timeout: text(step["timeout"]),
                    inputs: (step["inputs"]?.array ?? []).compactMap { input in
                        text(input["from"]).map { Application.WorkflowStep.Input(from: $0, parameterKey: text(input["parameterKey"])) }
                    },
                    outputs: (step["outputs"]?.array ?? []).compactMap { output in
                        guard let name = text(output["name"]), let valueFrom = text(output["valueFrom"]) else { return nil }
                        return Application.WorkflowStep.Output(name: name, valueFrom: valueFrom)
                    },
                    alias: text(step[path: ["meta", "alias"]]))
            }
        }
        let workflow = steps(root[path: ["spec", "workflow", "steps"]], at: ["spec", "workflow", "steps"])
        var server: Application.ServerFields?
        if metadata?["uid"] != nil || metadata?["resourceVersion"] != nil {
            server = Application.ServerFields(
                uid: text(metadata?["uid"]), resourceVersion: text(metadata?["resourceVersion"]),
                generation: metadata?["generation"]?.int, deleting: metadata?["deletionTimestamp"] != nil,
                finalizers: metadata?["finalizers"]?.strings ?? [])
        }
        let mode = root[path: ["spec", "workflow", "mode"]]
        let workflowMode = Application.WorkflowMode(steps: text(mode?["steps"]).flatMap(Application.WorkflowMode.Kind.init(rawValue:)),
                                                    subSteps: text(mode?["subSteps"]).flatMap(Application.WorkflowMode.Kind.init(rawValue:)))
        var envelope = ApplicationEnvelope(
            name: text(metadata?["name"]) ?? "",
            namespace: text(metadata?["namespace"]),
            labels: pairs(metadata?["labels"]),
            annotations: pairs(metadata?["annotations"]),
            components: components, policies: policies, workflow: workflow,
            workflowRef: text(root[path: ["spec", "workflow", "ref"]]), server: server,
            source: source, isValid: false)
        envelope.workflowMode = workflowMode
        return envelope
    }
}

/// Orders components so that each comes after those it depends on.
public enum DependencyOrder {
    /// A cycle in `edges` (name → names it depends on), as the names along it, first repeated last.
    public static func cycle(_ names: [String], _ edges: [String: [String]]) -> [String]? {
        var state: [String: Bool] = [:]  // false: on the current path, true: done
        var stack: [String] = []
        func visit(_ name: String) -> [String]? {
            if state[name] == true { return nil }
            if state[name] == false, let start = stack.lastIndex(of: name) {
                return Array(stack[start...]) + [name]
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

    /// `names` reordered so that every name follows its dependencies, otherwise keeping the
    /// given order; names in a cycle keep their place.
    public static func sorted(_ names: [String], dependencies: [String: [String]]) -> [String] {
        var placed: Set<String> = []
        var result: [String] = []
        var visiting: Set<String> = []
        func place(_ name: String) {
            guard !placed.contains(name), !visiting.contains(name) else { return }
            visiting.insert(name)
            for dependency in dependencies[name] ?? [] where names.contains(dependency) { place(dependency) }
            visiting.remove(name)
            placed.insert(name)
            result.append(name)
        }
        for name in names { place(name) }
        return result
    }
}
