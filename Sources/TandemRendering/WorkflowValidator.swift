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
        let properties = SchemaValidator.validate(step.properties == .null ? Optional<JSONValue>.none : step.properties, against: definition.parameters,
                                                  in: scope.scoped(["properties"]), limits: limits, enclosing: Self.step)
        let subSteps = step.subSteps.compactMap { validate($0, root, inGroup: true) }
        // Every step type runs in the workflow (`tandem up`, the controller): nothing to warn about.
        guard valid, let properties, subSteps.count == step.subSteps.count else { return nil }
        var validated = step
        validated.properties = properties.value
        validated.subSteps = subSteps
        return validated
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
