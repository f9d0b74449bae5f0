import TandemDefinitions
import TandemJSON
import TandemModel

/// Checks `spec.policies` and `spec.workflow` against the parameters of their types, and the
/// workflow as a whole (WorkflowChecks); says which policies take effect only at deploy time.
struct WorkflowValidator {
    let registry: DefinitionRegistry
    let limits: InputLimits

    /// The policies and steps with validated, defaulted properties, and whether all were valid.
    func validate(_ envelope: ApplicationEnvelope, _ root: DiagnosticScope) -> (policies: [Application.Policy], steps: [Application.WorkflowStep], valid: Bool) {
        let errorsBefore = root.log.errorCount
        let policies = envelope.policies.compactMap { validate($0, root) }
        let steps = envelope.workflow.compactMap { validate($0, root, inGroup: false) }
        WorkflowChecks(steps: envelope.workflow, mode: envelope.workflowMode, root: root).check()
        if envelope.workflowRef != nil {
            root.error("the workflow names a WorkflowTemplate (ref), which lives in a cluster; tandem renders the steps written here",
                       at: ["spec", "workflow", "ref"], code: .unsupportedFeature, hint: "copy the template's steps into workflow.steps")
        }
        let valid = root.log.errorCount == errorsBefore && policies.count == envelope.policies.count && steps.count == envelope.workflow.count
        return (policies, steps, valid)
    }

    private func validate(_ policy: Application.Policy, _ root: DiagnosticScope) -> Application.Policy? {
        let scope = root.scoped(policy.path)
        guard let definition = registry.policies[policy.type] else {
            unknown("policy", policy.type, names: registry.policyNames, aliases: registry.policyAliases, scope)
            return nil
        }
        guard let properties = SchemaValidator.validate(policy.properties == .null ? Optional<JSONValue>.none : policy.properties, against: definition.parameters,
                                                        in: scope.scoped(["properties"]), limits: limits, enclosing: Self.policy) else { return nil }
        if definition.stage == .deploy {
            scope.warning("the \(policy.type) policy takes effect at deploy time; the rendered objects do not show it", at: ["type"],
                          code: .deployTimeOnly)
        }
        var validated = policy
        validated.properties = properties.value
        return validated
    }

    private func validate(_ step: Application.WorkflowStep, _ root: DiagnosticScope, inGroup: Bool) -> Application.WorkflowStep? {
        let scope = root.scoped(step.path)
        guard let definition = registry.workflowSteps[step.type] else {
            unknown("workflow step", step.type, names: registry.workflowStepNames, aliases: registry.workflowStepAliases, scope)
            return nil
        }
        var valid = true
        if step.type == StepGroupStep().name, inGroup {
            scope.error("a step-group cannot hold another step-group", at: ["type"], code: .invalidValue,
                        hint: "list its steps in the outer group's subSteps")
            valid = false
        }
        if !step.subSteps.isEmpty, step.type != StepGroupStep().name {
            scope.error("only a step-group takes subSteps; this is a \(step.type) step", at: ["subSteps"], code: .unknownProperty,
                        hint: "set type: step-group, or move the sub-steps into workflow.steps")
            valid = false
        }
        let given = step.properties == .null ? Optional<JSONValue>.none : step.properties
        let placeholders = InputPlaceholders(step.inputs)
        let properties = placeholders.paths.isEmpty
            ? SchemaValidator.validate(given, against: definition.parameters, in: scope.scoped(["properties"]), limits: limits, enclosing: Self.step)
            : validate(given, filledBy: placeholders, against: definition.parameters, scope.scoped(["properties"]))
        for (index, input) in step.inputs.enumerated() {
            guard let path = input.parameterPath, case .unknown(let key) = InputPlaceholders.lookup(path, in: definition.parameters) else { continue }
            scope.error("the \(step.type) step has no property '\(key)' for input '\(input.from)' to fill", at: ["inputs", .index(index), "parameterKey"],
                        code: .unknownProperty, hint: "name one of its properties: tandem show \(step.type) lists them")
            valid = false
        }
        let subSteps = step.subSteps.compactMap { validate($0, root, inGroup: true) }
        // Every step type runs in the workflow (`tandem up`, the controller): nothing to warn about.
        guard valid, let properties, subSteps.count == step.subSteps.count else { return nil }
        var validated = step
        validated.properties = placeholders.removing(from: properties.value, given: given)
        validated.subSteps = subSteps
        return validated
    }

    /// Properties that inputs complete: their problems are reported as written, except those
    /// the inputs settle (a required property an input gives); the value is the properties
    /// validated with stand-ins for the inputs (without a source map: the stand-ins are written nowhere).
    private func validate(_ given: JSONValue?, filledBy placeholders: InputPlaceholders, against schema: Schema,
                          _ scope: DiagnosticScope) -> SchemaValidator.Result? {
        let written = DiagnosticLog(limit: scope.log.limit)
        _ = SchemaValidator.validate(given, against: schema, in: DiagnosticScope(log: written, source: scope.source, path: scope.path),
                                     limits: limits, enclosing: Self.step)
        let inputPaths = placeholders.paths.map { scope.path / FieldPath($0.map { .key($0) }) }
        let settled = { (problem: Diagnostic) -> Bool in
            guard let path = problem.path else { return false }
            return inputPaths.contains { input in
                guard problem.code == .missingProperty else { return path.components.starts(with: input.components) }
                // "missing required property 'message'" at slack, for an input into slack.message.text.
                let missing = problem.message.split(separator: "'").dropFirst().first.map { FieldPath.Component.key(String($0)) }
                return missing.map { input.components.starts(with: path.components + [$0]) } ?? false
            }
        }
        scope.log.add(contentsOf: written.diagnostics.filter { !settled($0) })
        guard !written.diagnostics.contains(where: { $0.isError && !settled($0) }) else { return nil }
        let filled = DiagnosticLog(limit: scope.log.limit)
        return SchemaValidator.validate(placeholders.filling(given, schema: schema), against: schema,
                                        in: DiagnosticScope(log: filled, source: nil, path: scope.path), limits: limits, enclosing: Self.step)
    }

    private func unknown(_ what: String, _ type: String, names: [String], aliases: [String: String], _ scope: DiagnosticScope) {
        let suggestion = aliases[type.lowercased()] ?? Suggestion.closest(to: type, among: names)
        scope.error("unknown \(what) type '\(type)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? ""), at: ["type"],
                    code: what == "policy" ? .unknownPolicy : .unknownWorkflowStep,
                    hint: suggestion == nil ? "known \(what) types: \(names.joined(separator: ", "))" : nil)
    }

    /// The keys around `properties`, for the hint that one was indented under it by mistake.
    static let policy = SchemaValidator.Enclosing(keys: ["name", "type"], name: "policy", valueKey: "properties")
    static let step = SchemaValidator.Enclosing(keys: ["name", "type", "dependsOn", "if", "timeout", "inputs", "outputs", "meta", "subSteps"],
                                                name: "step", valueKey: "properties")
}
